//! Back-tests: a scenario's simulated daily figures against a period's observed ones.
