//! A trace that breaks during a run (the file changed after the scenario was checked) stops the
//! run at the bad row, with the row in the message; nothing after it is simulated.

use chatsim::model::run_replication;
use chatsim::scenario;

#[test]
fn a_trace_that_breaks_mid_run_stops_the_run_at_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("visitors.csv");
    std::fs::write(&trace, "time_s,stream\n1,pricing\n2,pricing\n").unwrap();
    let file = dir.path().join("s.toml");
    let text = "[arrivals]\ntrace = \"visitors.csv\"\n\
                [[streams]]\nname = \"pricing\"\nshare = 1\nlive_chat = 1\n\
                routing = { mode = \"round_robin\" }\n[[agents]]\nname = \"ana\"\n";
    std::fs::write(&file, text).unwrap();
    let sc = scenario::load_with(Some(&file), &[]).unwrap();
    assert!(run_replication(&sc, 0).is_ok());
    std::fs::write(&trace, "time_s,stream\n1,pricing\n2,nowhere\n3,pricing\n").unwrap();
    let err = run_replication(&sc, 0).unwrap_err().to_string();
    assert!(err.contains("failed during the run"), "{err}");
    assert!(err.contains("line 3"), "{err}");
}
