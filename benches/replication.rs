//! Whole replications of the benchmark scenarios, in events per second (divan's items), after a
//! one-shot table of visitors and events per second for each.
//!
//! `cargo bench --bench replication`

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use chatsim::model::run_replication;
use chatsim::scenario::{self, Scenario};
use divan::Bencher;
use divan::counter::ItemsCount;

const SCENARIOS: [&str; 3] = [
    "scenarios/default.toml",
    "scenarios/bench-200.toml",
    "scenarios/bench-enterprise.toml",
];

/// Each scenario, loaded, with the events of its replication 0 as the table counted them: a
/// benchmark reuses both instead of simulating a replication (a year, for the enterprise
/// scenario) only to count its events.
static MEASURED: OnceLock<HashMap<&'static str, (Scenario, u64)>> = OnceLock::new();

fn main() {
    MEASURED.get_or_init(table);
    println!();
    divan::main();
}

/// Prints one replication of each scenario in visitors and events per second.
fn table() -> HashMap<&'static str, (Scenario, u64)> {
    println!(
        "{:<34} {:>12} {:>12} {:>10} {:>14} {:>14}",
        "replication of", "visitors", "events", "seconds", "visitors/s", "events/s"
    );
    let mut measured = HashMap::new();
    for path in SCENARIOS {
        let sc = scenario::load(Path::new(path)).expect("bench scenario");
        let started = Instant::now();
        let t = run_replication(&sc, 0).expect("a generated scenario");
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{path:<34} {:>12} {:>12} {secs:>10.3} {:>14.0} {:>14.0}",
            t.visitors,
            t.events,
            t.visitors as f64 / secs,
            t.events as f64 / secs
        );
        measured.insert(path, (sc, t.events));
    }
    measured
}

fn bench(bencher: Bencher, path: &str) {
    let (sc, events) = &MEASURED.get().expect("main measured the scenarios")[path];
    bencher
        .counter(ItemsCount::new(*events))
        .bench_local(|| run_replication(sc, 0).expect("a generated scenario"));
}

#[divan::bench(sample_count = 20)]
fn default_7_days(bencher: Bencher) {
    bench(bencher, SCENARIOS[0]);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn agents_200_for_30_days(bencher: Bencher) {
    bench(bencher, SCENARIOS[1]);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn enterprise_for_a_year(bencher: Bencher) {
    bench(bencher, SCENARIOS[2]);
}
