//! Shared helpers: write a file, load a scenario from text, simulate it, judge a metric against
//! a closed form.

use std::path::{Path, PathBuf};

use chatsim::cli::SimArgs;
use chatsim::commands::simulate;
use chatsim::report::RunSummary;
use chatsim::scenario::{Scenario, parse_str};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Writes `text` as `<dir>/<name>` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn scenario(toml: &str) -> Scenario {
    parse_str(toml, "test", Path::new("."), &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// Erlang B by the stable recursion B(0) = 1, B(n) = a B(n-1) / (n + a B(n-1)).
pub fn erlang_b(servers: u32, erlangs: f64) -> f64 {
    (1..=servers).fold(1.0, |b, n| erlangs * b / (n as f64 + erlangs * b))
}

pub fn run(sc: &Scenario) -> RunSummary {
    simulate(
        sc,
        &SimArgs {
            quiet: true,
            ..SimArgs::default()
        },
    )
    .expect("simulation runs")
}

/// Asserts that `exact` lies within the metric's 99.9% confidence interval over the
/// replications (so a correct model fails about once in a thousand seeds), and that the interval
/// is narrow enough (relative half-width under `max_rel`) for the check to mean something.
pub fn assert_matches(s: &RunSummary, metric: &str, exact: f64, max_rel: f64) {
    let sum = s
        .named(metric)
        .unwrap_or_else(|| panic!("no metric {metric}"));
    let n = sum.n as f64;
    let t95 = StudentsT::new(0.0, 1.0, n - 1.0)
        .unwrap()
        .inverse_cdf(0.975);
    let se = sum.half_width() / t95;
    let t999 = StudentsT::new(0.0, 1.0, n - 1.0)
        .unwrap()
        .inverse_cdf(0.9995);
    let half = t999 * se;
    assert!(
        (sum.mean - exact).abs() <= half,
        "{metric}: simulated {:.5} ± {half:.5} (99.9%), exact {exact:.5}",
        sum.mean
    );
    assert!(
        half <= max_rel * exact,
        "{metric}: interval ±{half:.5} too wide to judge {exact:.5}"
    );
}
