//! The per-request event log (`run --events`): its rows add up to the run's figures for that
//! replication, come in time order, and the file is written safely.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use assert_cmd::Command;
use chatsim::model::{Tally, run_replication};
use chatsim::report::write_events;
use chatsim::scenario::{self, Override, Scenario};

/// Counts of the log: rows per event, fallbacks per reason, and per request how it ended.
#[derive(Default, Debug)]
struct Counts {
    events: BTreeMap<String, u64>,
    fallback: BTreeMap<String, u64>,
    engaged: u64,
    ended_twice: u64,
}

fn count(csv_bytes: &[u8]) -> Counts {
    let mut r = csv::Reader::from_reader(csv_bytes);
    let mut c = Counts::default();
    let mut accepted: HashMap<String, bool> = HashMap::new();
    let mut ended: HashMap<String, u32> = HashMap::new();
    let mut last_time = String::new();
    for row in r.records() {
        let row = row.unwrap();
        let (time, request, event, reason) = (&row[0], &row[1], &row[2], &row[6]);
        assert!(time >= last_time.as_str(), "{time} after {last_time}");
        last_time = time.to_string();
        *c.events.entry(event.to_string()).or_default() += 1;
        match event {
            "accepted" => {
                accepted.insert(request.into(), true);
            }
            "fallback" => {
                *c.fallback.entry(reason.to_string()).or_default() += 1;
                accepted.insert(request.into(), false);
            }
            _ => {}
        }
        if matches!(event, "fallback" | "abandoned") {
            *ended.entry(request.into()).or_default() += 1;
        }
    }
    c.engaged = accepted.values().filter(|&&a| a).count() as u64;
    c.ended_twice = ended.values().filter(|&&n| n > 1).count() as u64;
    c
}

fn log_of(sc: &Scenario, replication: u64) -> (Counts, Tally) {
    let mut bytes = Vec::new();
    let log = write_events(sc, replication, &mut bytes, false).unwrap();
    (count(&bytes), log.tally)
}

fn assert_conserved(sc: &Scenario, replication: u64) {
    let (c, logged) = log_of(sc, replication);
    let t = run_replication(sc, replication).unwrap();
    // The log only watches: the logged replication is the run's.
    assert_eq!(logged.total, t.total);
    assert_eq!(logged.events, t.events);
    let o = &t.total;
    let n = |e: &str| c.events.get(e).copied().unwrap_or(0);
    assert_eq!(n("requested"), o.requests);
    assert_eq!(c.engaged, o.engaged);
    assert_eq!(n("abandoned"), o.abandoned);
    assert_eq!(n("fallback"), o.fallbacks());
    for r in chatsim::figure::Reason::ALL {
        let logged = c.fallback.get(r.name()).copied().unwrap_or(0);
        assert_eq!(logged, o.fallback[r.index()], "fallback {}", r.name());
    }
    let agents = |f: fn(&chatsim::model::AgentTally) -> u64| t.agents.iter().map(f).sum::<u64>();
    assert_eq!(n("offered"), agents(|a| a.offers));
    assert_eq!(n("accepted"), agents(|a| a.accepted));
    assert_eq!(n("declined"), agents(|a| a.declined));
    assert_eq!(n("missed"), agents(|a| a.missed));
    assert_eq!(n("timed_out"), agents(|a| a.too_slow));
    assert_eq!(n("withdrawn"), agents(|a| a.withdrawn));
    assert_eq!(c.ended_twice, 0);
    assert!(n("ended") <= o.engaged && n("ended") > 0);
}

fn example(name: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    scenario::load_with(
        Some(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios")
                .join(name),
        ),
        &overrides,
    )
    .unwrap()
}

#[test]
fn the_log_adds_up_to_the_replications_figures() {
    // Patience, retries, rules, account routing, schedules: every kind of row.
    assert_conserved(&example("default.toml", &[]), 3);
    // The trial: fallbacks after an accept, and a cap that is reached.
    assert_conserved(&example("select-trial.toml", &[]), 0);
    // A waiting queue and breaks.
    assert_conserved(
        &example(
            "default.toml",
            &[
                "package.queue={ max_wait = \"2m\" }",
                "package.cap=1",
                "package.shrinkage=0.1",
            ],
        ),
        1,
    );
}

fn chatsim() -> Command {
    Command::cargo_bin("chatsim").unwrap()
}

#[test]
fn run_writes_the_log_of_one_replication_plain_or_compressed() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.csv.gz");
    let out = dir.path().join("report");
    chatsim()
        .args(["run", "--quiet", "--no-plots", "--replications", "3"])
        .args(["--replication", "2", "--events"])
        .arg(&log)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut text = Vec::new();
    use std::io::Read;
    flate2::read::GzDecoder::new(std::fs::File::open(&log).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    let c = count(&text);
    let reps = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    let mut lines = reps.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.nth(2).unwrap().split(',').collect();
    let figure = |name: &str| -> u64 {
        let i = header.iter().position(|h| *h == name).unwrap();
        row[i].parse().unwrap()
    };
    assert_eq!(c.events["requested"], figure("requests"));
    assert_eq!(c.engaged, figure("engaged"));
    assert_eq!(c.events["fallback"], figure("fallback"));
    assert_eq!(c.events["abandoned"], figure("abandoned"));
    assert!(text.starts_with(b"time,request,event,agent,team,stream,reason,country,segment\n"));
}

#[test]
fn the_log_never_replaces_what_is_not_a_log_nor_sits_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.csv");
    std::fs::write(&notes, "keep me\n").unwrap();
    let out = dir.path().join("report");
    let run = |events: &Path, extra: &[&str]| {
        chatsim()
            .args(["run", "--quiet", "--no-plots", "--horizon", "1d"])
            .args(extra)
            .arg("--events")
            .arg(events)
            .arg("--out")
            .arg(&out)
            .assert()
    };
    let err = run(&notes, &[]).code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&err).contains("not an event log"));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "keep me\n");
    assert!(!out.exists(), "a refused run writes nothing");
    run(&out.join("events.csv"), &[]).code(2);
    run(&dir.path().join("e.csv"), &["--replication", "10"]).code(2);
    // A log it wrote is replaced.
    let log = dir.path().join("e.csv");
    run(&log, &[]).success();
    run(&log, &["--replication", "1"]).success();
}
