//! Whole replications of the benchmark scenarios, in events per second (divan's items), after a
//! one-shot table of visitors and events per second for each.
//!
//! `cargo bench --bench replication`

use std::path::Path;
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

fn load(path: &str) -> Scenario {
    scenario::load(Path::new(path)).expect("bench scenario")
}

fn main() {
    println!(
        "{:<34} {:>12} {:>12} {:>10} {:>14} {:>14}",
        "replication of", "visitors", "events", "seconds", "visitors/s", "events/s"
    );
    for path in SCENARIOS {
        let sc = load(path);
        let started = Instant::now();
        let t = run_replication(&sc, 0);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{path:<34} {:>12} {:>12} {secs:>10.3} {:>14.0} {:>14.0}",
            t.visitors,
            t.events,
            t.visitors as f64 / secs,
            t.events as f64 / secs
        );
    }
    println!();
    divan::main();
}

fn bench(bencher: Bencher, path: &str) {
    let sc = load(path);
    let events = run_replication(&sc, 0).events;
    bencher
        .counter(ItemsCount::new(events))
        .bench_local(|| run_replication(&sc, 0));
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
