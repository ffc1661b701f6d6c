//! Windows: `--window`, `[simulation] window` and an `[[expect]]`'s `window` restrict figures
//! to the requests arriving in, and the time inside, a weekly window.

use chatsim::figure::{Figure, Metric};
use chatsim::model::run_replication;
use chatsim::report::{At, Reader};

use crate::cli::chatsim;
use crate::common::{scenario, write};

const SITE: &str = r#"
[simulation]
horizon = "7d"
replications = 4
SIMULATION

[arrivals]
per_hour = 60

[[streams]]
name = "main"
share = 1
live_chat = 1
routing = { mode = "team", team = "day" }

[[agents]]
name = "day"
count = 2
team = "day"
cap = 3
schedule = ["mon-fri 09:00-17:00"]
chat_length = { dist = "exponential", mean = "5m" }
"#;

/// Monday 14:00-16:00 UTC as a window agrees with a run that starts counting at 14:00 and
/// stops at 16:00, replication by replication: the same visitors arrive in it and the levels
/// are integrated over the same two hours. Only requests still waiting at 16:00 may end
/// differently, as the shorter run has no outcome for them.
#[test]
fn a_window_agrees_with_the_warm_up_and_horizon_trick() {
    let windowed = scenario(&SITE.replace("SIMULATION", r#"window = "mon 14:00-16:00""#));
    let trick = scenario(
        &SITE
            .replace("\"7d\"", "\"16h\"")
            .replace("SIMULATION", r#"warmup = "14h""#),
    );
    let (rw, rt) = (Reader::new(&windowed), Reader::new(&trick));
    for rep in 0..4 {
        let (w, t) = (
            run_replication(&windowed, rep).unwrap(),
            run_replication(&trick, rep).unwrap(),
        );
        let both = |m: Metric| {
            (
                rw.value(&w, m, At::Site).unwrap(),
                rt.value(&t, m, At::Site).unwrap(),
            )
        };
        for m in [Metric::Visitors, Metric::Requests] {
            let (a, b) = both(m);
            assert_eq!(a, b, "{m} in replication {rep}");
        }
        for m in [
            Metric::OnlineAgents,
            Metric::Occupancy,
            Metric::CapSaturation,
            Metric::ChatsPerAgent,
            Metric::LiveChats,
        ] {
            let (a, b) = both(m);
            assert!((a - b).abs() < 1e-9, "{m} in replication {rep}: {a} vs {b}");
        }
        let unsettled = t.in_flight_at_end as f64;
        for m in [Metric::Engaged, Metric::Fallback] {
            let (a, b) = both(m);
            assert!(
                (a - b).abs() <= unsettled,
                "{m} in replication {rep}: {a} vs {b}, {unsettled} in flight at 16:00"
            );
        }
        assert!(both(Metric::Requests).0 > 50.0);
    }
}

/// An expectation's own window is read from that window's tally; the run's figures stay the
/// whole week's.
#[test]
fn an_expectation_may_hold_a_window_to_its_bound() {
    let sc = scenario(
        &(SITE.replace("SIMULATION", "").replace(
            "chat_length",
            "response = { dist = \"constant\", value = \"5s\" }\nchat_length",
        ) + r#"
[[expect]]
metric = "fallback_rate"
window = "mon-fri 09:00-17:00"
max = 0.5

[[expect]]
metric = "fallback_rate"
max = 0.5
"#),
    );
    let window = Figure::site(Metric::FallbackRate).in_window("mon-fri 09:00-17:00");
    assert_eq!(sc.expect[0].metric, window);
    assert_eq!(window.name(), "fallback_rate in [mon-fri 09:00-17:00]");
    assert_eq!(window.name().parse::<Figure>().unwrap(), window);
    let reader = Reader::new(&sc);
    let t = run_replication(&sc, 0).unwrap();
    let inside = reader.figure(&t, &window).unwrap();
    let week = reader
        .figure(&t, &Figure::site(Metric::FallbackRate))
        .unwrap();
    assert!(
        inside < 0.5 && week > 0.5,
        "{inside} in the window, {week} all week"
    );
    let unavailable = Figure::site(Metric::FallbackRateFor(
        chatsim::figure::Reason::Unavailable,
    ))
    .in_window("mon-fri 09:00-17:00");
    assert_eq!(reader.figure(&t, &unavailable), Some(0.0));

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "gate.toml",
        &(SITE.replace("SIMULATION", "")
            + r#"
[[expect]]
metric = "fallback_rate"
window = "mon-fri 09:00-17:00"
max = 0.5
"#),
    );
    let out = chatsim().args(["check"]).arg(&file).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.contains("pass          fallback_rate in [mon-fri 09:00-17:00]"),
        "{stdout}"
    );
    // The expectation's own window wins over the run's.
    chatsim()
        .args(["check", "--window", "sat,sun 00:00-24:00"])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn a_bad_window_is_bad_input_naming_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "s.toml",
        &(SITE.replace("SIMULATION", "")
            + "\n[[expect]]\nmetric = \"fallback_rate\"\nwindow = \"mon-fri 9-17\"\nmax = 0.1\n"),
    );
    let out = chatsim().args(["check"]).arg(&file).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("expect[0].window"), "{err}");
    assert!(err.contains("expected a weekly window"), "{err}");
    let out = chatsim()
        .args([
            "run",
            "--quiet",
            "--no-plots",
            "--window",
            "mon-fri 09:00-17:00 Mars/Olympus",
        ])
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("simulation.window"), "{err}");
    assert!(!dir.path().join("out").exists());
}
