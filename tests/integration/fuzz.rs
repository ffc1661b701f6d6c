//! Fuzzing in the suite: random scenario documents and byte mutations of the example scenarios
//! must be accepted or refused with a message, never panic; the ones accepted are simulated
//! briefly (one replication of a day, when their estimated work is small) within a bound of
//! 20 seconds each. A handful of mutations also go through the binary, which must exit 0 or 2
//! (never abort) within 60 seconds.

use std::path::Path;
use std::time::{Duration, Instant};

use chatsim::limits::expected_visitors;
use chatsim::model::run_replication;
use chatsim::scenario::{Override, parse_str};
use proptest::prelude::*;

use crate::cli::chatsim;

/// How long one accepted case may take to check and simulate.
const BOUND: Duration = Duration::from_secs(20);

const EXAMPLES: [&str; 7] = [
    include_str!("../../scenarios/default.toml"),
    include_str!("../../scenarios/prime-team.toml"),
    include_str!("../../scenarios/rules.toml"),
    include_str!("../../scenarios/select-trial.toml"),
    include_str!("../../scenarios/empirical.toml"),
    include_str!("../../scenarios/bench-200.toml"),
    include_str!("../../scenarios/global.toml"),
];

/// Tokens that broke parsers before: huge and tiny numbers, paths, escapes, signs.
const TOKENS: [&str; 16] = [
    "1e308",
    "-1",
    "4294967296",
    "0",
    "nan",
    "\"../x\"",
    "\"/proc/self/environ\"",
    "\"\\u0000\"",
    "\"\\u001b[2J\"",
    "\"1h -30m\"",
    "[]",
    "{}",
    "=",
    "\"\"",
    "18446744073709551615",
    "0.0000001",
];

/// Checks `text` (from the scenarios folder, where the examples' data files are) and, when it
/// is valid and small, simulates one short replication.
fn exercise(text: &str) {
    let started = Instant::now();
    let short = [
        Override {
            path: "simulation.horizon".into(),
            value: "\"1d\"".into(),
        },
        Override {
            path: "simulation.warmup".into(),
            value: "0".into(),
        },
    ];
    let _ = parse_str(text, "fuzz", Path::new("scenarios"), &[]);
    if let Ok(sc) = parse_str(text, "fuzz", Path::new("scenarios"), &short)
        && expected_visitors(&sc) < 200_000.0
        && sc.agents.len() <= 5_000
    {
        let _ = run_replication(&sc, 0);
    }
    assert!(
        started.elapsed() < BOUND,
        "a case took {:?}",
        started.elapsed()
    );
}

fn mutate(text: &str, ops: &[(u8, usize, usize, usize)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(op, a, b, t) in ops {
        if bytes.is_empty() {
            break;
        }
        let i = a % bytes.len();
        let j = (i + b % 64).min(bytes.len());
        match op % 5 {
            0 => bytes[i] ^= 1 << (b % 8),
            1 => {
                bytes.drain(i..j);
            }
            2 => {
                let chunk = bytes[i..j].to_vec();
                bytes.splice(i..i, chunk);
            }
            3 => {
                bytes.splice(i..j, TOKENS[t % TOKENS.len()].bytes());
            }
            _ => {
                // Replace a number with a token: most keys take numbers.
                if let Some(k) = bytes[i..].iter().position(u8::is_ascii_digit) {
                    let at = i + k;
                    let end = at
                        + bytes[at..]
                            .iter()
                            .take_while(|c| c.is_ascii_digit() || **c == b'.')
                            .count();
                    bytes.splice(at..end, TOKENS[t % TOKENS.len()].bytes());
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A random scenario document: random values (some valid, many not) in every section.
fn document() -> impl Strategy<Value = String> {
    let token = || proptest::sample::select(TOKENS.to_vec()).prop_map(str::to_string);
    let num = prop_oneof![
        6 => (0.0f64..5000.0).prop_map(|v| v.to_string()),
        3 => (-10i64..100_000).prop_map(|v| v.to_string()),
        1 => token(),
    ];
    let int = prop_oneof![
        9 => (0i64..40).prop_map(|v| v.to_string()),
        1 => token(),
    ];
    let dur = prop_oneof![
        5 => (1u32..400).prop_map(|v| format!("\"{v}s\"")),
        4 => (1u32..48).prop_map(|v| format!("\"{v}h\"")),
        1 => token(),
    ];
    let mode = proptest::sample::select(vec![
        "{ mode = \"round_robin\" }",
        "{ mode = \"team\", team = \"t\" }",
        "{ mode = \"agent\", agent = \"a-1\" }",
        "{ mode = \"rules\" }",
        "{ mode = \"nope\" }",
    ]);
    (
        num.clone(),
        dur.clone(),
        int,
        (0u32..30, num.clone(), dur.clone()),
        mode,
        (0.0f64..1.05, 0.0f64..1.05),
        proptest::option::of((dur, num.clone())),
        // Sometimes several sources instead of one rate: a second rate, a zone, a region
        // value and a stream share, some of them bad.
        proptest::option::of((
            num,
            proptest::sample::select(vec!["UTC", "Asia/Tokyo", "America/New_York", "Mars/Base"]),
            proptest::sample::select(vec!["A", "B", "C"]),
            0.0f64..1.2,
        )),
    )
        .prop_map(
            |(
                per_hour,
                horizon,
                cap,
                (count, factor, length),
                mode,
                (share, live),
                surge,
                sources,
            )| {
                let surge = surge.map_or(String::new(), |(start, f)| {
                    format!("surges = [{{ start = {start}, length = {length}, factor = {f} }}]\n")
                });
                let arrivals = match sources {
                    None => format!("[arrivals]\nper_hour = {per_hour}\n{surge}"),
                    Some((other, zone, region, to_s)) => format!(
                        "[arrivals]\n{surge}\
                         [[arrivals.sources]]\nname = \"x\"\nper_hour = {per_hour}\n\
                         time_zone = \"{zone}\"\nattributes = {{ region = \"{region}\" }}\n\
                         [[arrivals.sources]]\nname = \"y\"\nper_hour = {other}\n\
                         streams = {{ s = {to_s} }}\n\
                         [visitors]\nattributes = {{ region = {{ A = 0.5, B = 0.5 }} }}\n"
                    ),
                };
                format!(
                    "[simulation]\nhorizon = {horizon}\nreplications = 2\n[package]\ncap = {cap}\n\
                 {arrivals}\
                 [[streams]]\nname = \"s\"\nshare = {share}\nlive_chat = {live}\nrouting = {mode}\n\
                 [[agents]]\nname = \"a\"\ncount = {count}\nteam = \"t\"\n\
                 response = {{ dist = \"exponential\", mean = {factor} }}\n"
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_never_panic(text in document()) {
        exercise(&text);
    }

    #[test]
    fn mutated_examples_never_panic(
        which in 0..EXAMPLES.len(),
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        exercise(&mutate(EXAMPLES[which], &ops));
    }
}

/// Through the binary: no abort (exit 134), no signal, no hang past the bound.
#[test]
fn mutated_examples_never_abort_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng as usize
    };
    for case in 0..12 {
        let ops: Vec<_> = (0..3)
            .map(|_| ((next() % 256) as u8, next(), next(), next()))
            .collect();
        let text = mutate(EXAMPLES[case % EXAMPLES.len()], &ops);
        // Cases whose work is not small are left to the in-process cases (the limit on work
        // is tested on its own).
        let short: Vec<Override> = ["simulation.horizon=1d", "simulation.replications=2"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        if parse_str(&text, "m", Path::new("scenarios"), &short)
            .is_ok_and(|sc| expected_visitors(&sc) > 5e6)
        {
            continue;
        }
        let file = dir.path().join("m.toml");
        std::fs::write(&file, text).unwrap();
        let a = chatsim()
            .args([
                "run",
                "--quiet",
                "--no-plots",
                "--replications",
                "2",
                "--horizon",
                "1d",
            ])
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join("r"))
            .timeout(Duration::from_secs(60))
            .assert();
        let status = a.get_output().status;
        assert!(
            matches!(status.code(), Some(0) | Some(2)),
            "case {case}: {status}: {}",
            String::from_utf8_lossy(&a.get_output().stderr)
        );
    }
}

/// The generator's documents are not all refused: some reach the simulation.
#[test]
fn the_generator_makes_some_valid_scenarios() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = document();
    let valid: Vec<usize> = (0..300)
        .filter_map(|_| {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            parse_str(&text, "fuzz", Path::new("scenarios"), &[])
                .ok()
                .map(|sc| sc.arrivals.sources.len())
        })
        .collect();
    assert!(
        valid.len() >= 15,
        "only {} of 300 documents are valid",
        valid.len()
    );
    let with_sources = valid.iter().filter(|&&n| n > 1).count();
    assert!(
        with_sources >= 3,
        "only {with_sources} valid documents have several sources"
    );
}
