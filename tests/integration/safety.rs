//! Hostile input and shared machines: files a scenario names stay inside its folder, outputs
//! never replace special files, reports appear whole or not at all, work and sizes are bounded.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::cli::{chatsim, short_run, stderr, stdout};
use crate::common::write;

const SMALL: &str = r#"
[simulation]
replications = 2
horizon = "1d"
[arrivals]
per_hour = 20
[[streams]]
name = "s"
share = 1.0
live_chat = 0.5
routing = { mode = "round_robin" }
[[agents]]
name = "ana"
"#;

fn small_with_response(file: &str) -> String {
    SMALL.replace(
        "name = \"ana\"",
        &format!("name = \"ana\"\nresponse = {{ dist = \"empirical\", file = \"{file}\", column = \"?\" }}"),
    )
}

/// `validate` of `text` as `<dir>/s.toml`: exit code, standard error.
fn validate(dir: &Path, text: &str, extra: &[&str]) -> (i32, String) {
    let file = write(dir, "s.toml", text);
    let a = chatsim()
        .arg("validate")
        .arg(&file)
        .args(extra)
        .env("CHATSIM_TEST_SECRET", "hunter2-do-not-print")
        .timeout(Duration::from_secs(60))
        .assert();
    let code = a.get_output().status.code().unwrap_or(-1);
    (code, stderr(&a))
}

#[test]
fn scenario_files_never_leak_what_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let scen = dir.path().join("scen");
    std::fs::create_dir(&scen).unwrap();
    std::fs::write(
        dir.path().join("secret.csv"),
        "seconds\nhunter2-do-not-print\n",
    )
    .unwrap();
    for file in ["/proc/self/environ", "../secret.csv", "/etc/passwd"] {
        let (code, err) = validate(&scen, &small_with_response(file), &[]);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(!err.contains("hunter2"), "{file} leaked: {err}");
        assert!(err.len() < 600, "{file}: a long message: {err}");
    }
    let trace = SMALL.replace("per_hour = 20", "trace = \"/proc/self/environ\"");
    let (code, err) = validate(&scen, &trace, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        !err.contains("hunter2") && err.contains("arrivals.trace"),
        "{err}"
    );
    // Symlinks out of the folder are outside too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/proc/self/environ", scen.join("env.csv")).unwrap();
        let (code, err) = validate(&scen, &small_with_response("env.csv"), &[]);
        assert_eq!(code, 2, "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    // An explicit flag lets a scenario read a file elsewhere (still a regular file).
    std::fs::write(dir.path().join("r.csv"), "seconds\n12\n30\n").unwrap();
    let ok = SMALL.replace(
        "name = \"ana\"",
        "name = \"ana\"\nresponse = { dist = \"empirical\", file = \"../r.csv\" }",
    );
    assert_eq!(validate(&scen, &ok, &[]).0, 2);
    let (code, err) = validate(&scen, &ok, &["--allow-outside-files"]);
    assert_eq!(code, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn scenario_files_must_be_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.csv");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let started = Instant::now();
    let (code, err) = validate(dir.path(), &small_with_response("fifo.csv"), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
    let (code, err) = validate(
        dir.path(),
        &SMALL.replace("per_hour = 20", "trace = \"fifo.csv\""),
        &[],
    );
    assert_eq!(code, 2, "{err}");
}

/// A copy of a device node (`mknod`, as root), in a temporary folder, never the real /dev.
#[cfg(unix)]
fn device_copy(dir: &Path, name: &str, minor: u32) -> Option<PathBuf> {
    let path = dir.join(name);
    let made = std::process::Command::new("mknod")
        .arg(&path)
        .args(["c", "1", &minor.to_string()])
        .status();
    made.is_ok_and(|s| s.success()).then_some(path)
}

#[cfg(unix)]
fn is_char_device(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

fn check_cmd(scenario: &Path) -> assert_cmd::Command {
    let mut c = chatsim();
    c.args(["check", "--quiet", "--replications", "2", "--horizon", "1d"])
        .arg(scenario);
    c
}

fn checked_scenario(dir: &Path) -> PathBuf {
    write(
        dir,
        "c.toml",
        &format!("{SMALL}\n[[expect]]\nmetric = \"fallback_rate\"\nmax = 1.0\n"),
    )
}

#[cfg(unix)]
#[test]
fn single_file_outputs_never_replace_special_files_or_symlinks() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let sc = checked_scenario(dir.path());
    // A symlink is followed: its file gets the output, the link stays.
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    symlink(&real, &link).unwrap();
    check_cmd(&sc).arg("--json").arg(&link).assert().success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().starts_with('{'));
    // A symlink to a descriptor (as /dev/stdout is) writes through it: here, standard output.
    let to_stdout = dir.path().join("stdout-link");
    symlink("/proc/self/fd/1", &to_stdout).unwrap();
    let a = check_cmd(&sc)
        .arg("--json")
        .arg(&to_stdout)
        .assert()
        .success();
    assert!(stdout(&a).contains("\"verdict\""), "{}", stdout(&a));
    assert!(
        std::fs::symlink_metadata(&to_stdout)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // `-` is standard output.
    let a = check_cmd(&sc).args(["--json", "-"]).assert().success();
    assert!(stdout(&a).trim_start().starts_with('{'), "{}", stdout(&a));
    // A device is written in place, not replaced.
    if let Some(null) = device_copy(dir.path(), "null", 3) {
        check_cmd(&sc).arg("--junit").arg(&null).assert().success();
        assert!(is_char_device(&null));
        let via_link = dir.path().join("to-null");
        symlink(&null, &via_link).unwrap();
        check_cmd(&sc)
            .arg("--json")
            .arg(&via_link)
            .assert()
            .success();
        assert!(
            is_char_device(&null)
                && std::fs::symlink_metadata(&via_link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
        );
    }
    // A full disk: the write fails (exit 3: the check could not run), the device stays.
    if let Some(full) = device_copy(dir.path(), "full", 7) {
        let a = check_cmd(&sc).arg("--json").arg(&full).assert().code(3);
        assert!(stderr(&a).contains("cannot write"), "{}", stderr(&a));
        assert!(is_char_device(&full));
        let a = chatsim()
            .args(["arrivals", "--horizon", "1d", "--out"])
            .arg(&full)
            .assert()
            .code(3);
        assert!(!stderr(&a).contains("panicked"));
        assert!(is_char_device(&full));
    }
    // A FIFO is written through.
    let fifo = dir.path().join("fifo");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(&fifo).unwrap())
        };
        chatsim()
            .args(["arrivals", "--horizon", "1h", "--out"])
            .arg(&fifo)
            .assert()
            .success();
        let got = reader.join().unwrap();
        assert!(got.starts_with(b"time_s,stream,live_chat"));
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    // A folder, or a symlink to nothing, is bad input, found before anything runs.
    check_cmd(&sc)
        .arg("--json")
        .arg(dir.path())
        .assert()
        .code(2);
    let dangling = dir.path().join("dangling");
    symlink(dir.path().join("nothing"), &dangling).unwrap();
    check_cmd(&sc)
        .arg("--junit")
        .arg(&dangling)
        .assert()
        .code(2);
    // Arrivals to standard output: the trace alone on stdout.
    let a = chatsim()
        .args(["arrivals", "--horizon", "1h", "--out", "-"])
        .assert()
        .success();
    assert!(stdout(&a).starts_with("time_s,stream,live_chat"));
    assert!(stderr(&a).contains("visitors of replication 0"));
}

#[test]
fn merge_refuses_a_shard_that_names_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard");
    short_run()
        .args(["--shard", "1/1", "--out"])
        .arg(&shard)
        .assert()
        .success();
    let file = shard.join("shard.json");
    let text = std::fs::read_to_string(&file).unwrap();
    for name in ["../escaped", "/tmp/escaped-abs", "a\u{1b}[31m"] {
        let evil = text.replacen(
            "\"scenario\":\"default\"",
            &format!("\"scenario\":{}", serde_json::to_string(name).unwrap()),
            1,
        );
        assert_ne!(evil, text);
        std::fs::write(&file, evil).unwrap();
        let a = chatsim()
            .current_dir(dir.path())
            .arg("merge")
            .arg(&shard)
            .assert()
            .code(2);
        assert!(stderr(&a).contains("scenario"), "{}", stderr(&a));
        assert!(!dir.path().join("escaped").exists());
        assert!(!Path::new("/tmp/escaped-abs").exists());
        assert!(!dir.path().join("reports").exists());
    }
}

#[test]
fn a_failed_merge_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard");
    short_run()
        .args(["--shard", "1/1", "--out"])
        .arg(&shard)
        .assert()
        .success();
    let file = shard.join("shard.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    // The first row shorter than the metrics list: the summary can be made of it, the table
    // of every row cannot, so the merge fails only once it is writing.
    doc["values"][0].as_array_mut().unwrap().pop();
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = dir.path().join("merged");
    // (How the merge reports a short row is another matter; here only that it writes nothing.)
    chatsim()
        .arg("merge")
        .arg(&shard)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    assert!(
        !out.exists(),
        "a failed merge wrote {:?}",
        std::fs::read_dir(&out).ok().map(|d| d.count())
    );
    assert_eq!(hidden_entries(dir.path()), Vec::<String>::new());
}

fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.contains("tmp"))
        .collect()
}

fn summary_seed(out: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(out.join("summary.json")).ok()?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    doc["seed"].as_u64()
}

/// Every file of the report in `out` is of the run with `seed` (its summary.csv equals a fresh
/// run's of that seed).
fn assert_whole_report(out: &Path, reference: &Path) {
    for f in [
        "summary.json",
        "summary.csv",
        "replications.csv",
        "agents.csv",
        "report.html",
    ] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap_or_default(),
            std::fs::read(reference.join(f)).unwrap(),
            "{f} is not of the same run"
        );
    }
}

#[cfg(unix)]
#[test]
fn signals_leave_the_old_report_or_the_new_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let old = dir.path().join("old-copy");
    let run = |out: &Path, seed: &str| {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("chatsim"));
        c.args([
            "run",
            "--quiet",
            "--replications",
            "4",
            "--horizon",
            "3d",
            "--seed",
            seed,
            "--out",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        c
    };
    assert!(run(&out, "1").status().unwrap().success());
    assert!(run(&old, "1").status().unwrap().success());
    let new = dir.path().join("new-copy");
    assert!(run(&new, "2").status().unwrap().success());
    for (i, signal) in ["-INT", "-TERM", "-INT", "-TERM", "-TERM", "-INT"]
        .iter()
        .enumerate()
    {
        let mut child = run(&out, "2").spawn().unwrap();
        // From at once to late in the run, so that some signals arrive while files are written.
        std::thread::sleep(Duration::from_millis(20 + 60 * i as u64));
        let _ = std::process::Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status();
        let status = child.wait().unwrap();
        match summary_seed(&out) {
            Some(1) => assert_whole_report(&out, &old),
            Some(2) => {
                assert_whole_report(&out, &new);
                // Back to the old report for the next round.
                assert!(run(&out, "1").status().unwrap().success());
            }
            other => panic!("after {signal} ({status}): summary of seed {other:?}"),
        }
        assert_eq!(
            hidden_entries(dir.path()),
            Vec::<String>::new(),
            "after {signal}"
        );
    }
}

#[test]
fn runs_into_one_folder_at_once_leave_one_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let reference = |seed: &str| {
        let p = dir.path().join(format!("ref-{seed}"));
        short_run()
            .args(["--seed", seed, "--out"])
            .arg(&p)
            .assert()
            .success();
        p
    };
    let refs = [reference("1"), reference("2")];
    for _ in 0..4 {
        let children: Vec<_> = ["1", "2"]
            .iter()
            .map(|seed| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("chatsim"))
                    .args([
                        "run",
                        "--quiet",
                        "--replications",
                        "2",
                        "--horizon",
                        "1d",
                        "--seed",
                        seed,
                        "--out",
                    ])
                    .arg(&out)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert!(c.wait().unwrap().success());
        }
        let seed = summary_seed(&out).unwrap();
        assert_whole_report(&out, &refs[seed as usize - 1]);
        assert_eq!(hidden_entries(dir.path()), Vec::<String>::new());
    }
}

#[test]
fn output_folders_that_cannot_be_reports_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "f.txt", "keep me");
    chatsim()
        .args([
            "sweep",
            "--quiet",
            "--replications",
            "2",
            "--horizon",
            "1d",
            "--set",
            "package.cap=5,10",
            "--out",
        ])
        .arg(&file)
        .assert()
        .code(2);
    for out in [Path::new("/"), file.as_path()] {
        let a = short_run().arg("--out").arg(out).assert().code(2);
        assert!(stderr(&a).contains("--out"), "{}", stderr(&a));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    // A folder with someone's files is not replaced.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    write(&mine, "thesis.tex", "years of work");
    short_run().arg("--out").arg(&mine).assert().code(2);
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.tex")).unwrap(),
        "years of work"
    );
    chatsim()
        .args([
            "compare",
            "scenarios/default.toml",
            "--quiet",
            "--replications",
            "2",
            "--horizon",
            "1d",
            "--set",
            "package.cap=5",
            "--out",
        ])
        .arg(&file)
        .assert()
        .code(2);
}

#[test]
fn work_past_the_limit_is_refused_at_once_unless_forced() {
    for set in [
        "arrivals.per_hour=1e12",
        "arrivals.per_hour=1e308",
        r#"arrivals.surges=[{ start = "0s", length = "7d", factor = 1e9 }]"#,
        "arrivals.hourly=[4294967296, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let a = chatsim()
            .args(["run", "--quiet", "--set", set, "--out"])
            .arg(dir.path().join("r"))
            .timeout(Duration::from_secs(60))
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(
            err.contains("--force") && err.contains("visitors"),
            "{set}: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(30));
        chatsim()
            .args(["check", "scenarios/default.toml", "--quiet", "--set", set])
            .timeout(Duration::from_secs(60))
            .assert()
            .code(2);
    }
}

#[test]
fn sizes_past_their_limits_are_bad_input() {
    for args in [
        &["--replications", "4294967295"][..],
        &["--replications", "1001"],
        &["--threads", "0"],
        &["--threads", "50000"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let a = chatsim()
            .args(["run", "--quiet"])
            .args(args)
            .arg("--out")
            .arg(dir.path().join("r"))
            .timeout(Duration::from_secs(60))
            .assert()
            .code(2);
        assert!(!stderr(&a).contains("panicked"), "{args:?}");
    }
    chatsim()
        .args(["sweep", "--quiet", "--set", "package.cap=1..10001"])
        .assert()
        .code(2);
}

#[test]
fn the_agents_plot_shows_the_worst_agents_of_many() {
    let text = SMALL.replace("name = \"ana\"", "name = \"ana\"\ncount = 300\ncap = 1");
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "many.toml",
        &text.replace("per_hour = 20", "per_hour = 2000"),
    );
    let out = dir.path().join("r");
    chatsim()
        .args(["run", "--quiet"])
        .arg(&sc)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let png = std::fs::read(out.join("plots/agents.png")).unwrap();
    let (w, h, _, _) = crate::reports::decode_png(&png);
    assert!(w == 1200 && h <= 170 + 26 * 40, "{w}x{h}");
    let svg = std::fs::read_to_string(out.join("plots/agents.svg")).unwrap();
    assert!(svg.contains("40 most at cap of 300 agents"));
}

#[test]
fn compare_applies_set_both_before_the_variants_set() {
    for order in [
        [
            "--set-both",
            "agents.emea.count=4",
            "--set",
            "agents.emea.count=2",
        ],
        [
            "--set",
            "agents.emea.count=2",
            "--set-both",
            "agents.emea.count=4",
        ],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("c");
        chatsim()
            .args([
                "compare",
                "scenarios/default.toml",
                "--quiet",
                "--replications",
                "3",
                "--horizon",
                "2d",
            ])
            .args(order)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap())
                .unwrap();
        let diff = doc["metrics"]["occupancy"]["diff"].as_f64().unwrap();
        assert!(
            diff > 0.0,
            "{order:?}: EMEA from 4 to 2 agents changed nothing ({diff})"
        );
    }
}

#[test]
fn names_are_bounded_printable_and_not_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("name = \"{}\"\n{SMALL}", "n".repeat(256));
    let (code, err) = validate(dir.path(), &long, &[]);
    assert_eq!(code, 2, "{err}");
    for (text, key) in [
        (format!("name = \"a\\u001b[2Jb\"\n{SMALL}"), "name"),
        (format!("name = \"a\\nb\"\n{SMALL}"), "name"),
        (
            SMALL.replace("name = \"ana\"", "name = \"=HYPERLINK(1)\""),
            "agents[0].name",
        ),
        (
            SMALL.replace("name = \"s\"", "name = \"@sum\""),
            "streams[0].name",
        ),
        (
            SMALL.replace("name = \"ana\"", "name = \"ana\"\nteam = \"+t\""),
            "agents[0].team",
        ),
    ] {
        let (code, err) = validate(dir.path(), &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(key) && !err.contains('\u{1b}'), "{err}");
    }
}

#[test]
fn small_input_mistakes_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = validate(
        dir.path(),
        &SMALL.replace("horizon = \"1d\"", "horizon = \"1h -30m\""),
        &[],
    );
    assert_eq!(code, 2, "{err}");
    std::fs::write(dir.path().join("hex.csv"), "0x10\n").unwrap();
    let hex = SMALL.replace(
        "name = \"ana\"",
        "name = \"ana\"\nresponse = { dist = \"empirical\", file = \"hex.csv\" }",
    );
    let (code, err) = validate(dir.path(), &hex, &[]);
    assert!(
        code == 2 && err.contains("\"0x10\"") && !err.contains("no values"),
        "{err}"
    );
    // validate takes folders as check does.
    let folder = dir.path().join("many");
    std::fs::create_dir(&folder).unwrap();
    write(&folder, "a.toml", SMALL);
    write(&folder, "b.toml", SMALL);
    let a = chatsim().arg("validate").arg(&folder).assert().success();
    assert_eq!(stdout(&a).lines().count(), 2, "{}", stdout(&a));
    // An I/O error in check is not a failed check: exit 3, not 1.
    let sc = checked_scenario(dir.path());
    let blocked = write(dir.path(), "plain-file", "x");
    check_cmd(&sc)
        .arg("--json")
        .arg(blocked.join("out.json"))
        .assert()
        .code(3);
}

#[test]
fn a_trace_says_which_rate_keys_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.csv", "time_s,stream\n1,s\n2,s\n");
    let text = SMALL.replace("per_hour = 20", "per_hour = 20\ntrace = \"t.csv\"");
    let (code, err) = validate(dir.path(), &text, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("arrivals.per_hour") && err.contains("not used"),
        "{err}"
    );
}

#[test]
fn a_bare_vary_of_a_count_keeps_one_naming_scheme() {
    use chatsim::scenario::{DEFAULT_SCENARIO, Override, parse_str};
    let one: Override = "agents.sales.count=1".parse().unwrap();
    // The built-in scenario's rules name sales-1 and sales-2: at count 1 sales-1 keeps its
    // name (the scenario stays valid only from 2, which a bare --vary starts from).
    let err = parse_str(DEFAULT_SCENARIO, "default", Path::new("."), &[one]).unwrap_err();
    assert!(err.to_string().contains("sales-2"), "{err}");
    let sc = parse_str(DEFAULT_SCENARIO, "default", Path::new("."), &[]).unwrap();
    let v = chatsim::plan::Vary::parse("agents.sales.count", &sc).unwrap();
    assert_eq!(v.lo, 2);
    let text = SMALL.replace("name = \"ana\"", "name = \"ana\"\ncount = 1");
    let sc = parse_str(&text, "t", Path::new("."), &[]).unwrap();
    assert_eq!(sc.agents[0].name, "ana-1");
    // The staffing search over the built-in scenario runs from there.
    let dir = tempfile::tempdir().unwrap();
    chatsim()
        .args([
            "staff",
            "--quiet",
            "--replications",
            "2",
            "--horizon",
            "1d",
            "--target",
            "fallback_rate<=0.5",
            "--vary",
            "agents.sales.count",
            "--out",
        ])
        .arg(dir.path().join("s"))
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn an_interrupted_trace_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("visitors.csv");
    std::fs::write(&out, "old").unwrap();
    for (i, signal) in ["-INT", "-TERM"].iter().enumerate() {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("chatsim"))
            .args(["arrivals", "--horizon", "800d", "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300 + 200 * i as u64));
        let _ = std::process::Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status();
        let status = child.wait().unwrap();
        // Interrupted while writing, not refused nor finished.
        assert!(
            matches!(status.code(), Some(130) | Some(143)),
            "after {signal}: {status}"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["visitors.csv"], "after {signal} ({status})");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text == "old" || text.starts_with("time_s"),
            "after {signal}"
        );
    }
}

/// A small tmpfs, mounted for the test and unmounted after it.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(kib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_full_disk_leaves_the_old_report_whole() {
    let Some(disk) = Tmpfs::mount(600) else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED a_full_disk_leaves_the_old_report_whole: cannot mount a tmpfs here; the \
             failed write is covered by report::folder's unit test"
        );
        return;
    };
    let out = disk.0.path().join("r");
    short_run()
        .arg("--no-plots")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let before: Vec<(String, Vec<u8>)> = ["summary.json", "summary.csv", "report.html"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
        .collect();
    // With plots the report does not fit in what is left.
    let a = chatsim()
        .args([
            "run",
            "--quiet",
            "--replications",
            "3",
            "--horizon",
            "7d",
            "--seed",
            "9",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(3);
    assert!(stderr(&a).contains("cannot write"), "{}", stderr(&a));
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), bytes, "{f} changed");
    }
    assert!(!out.join("plots").exists());
    assert_eq!(hidden_entries(disk.0.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn merge_reads_only_regular_shard_files() {
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard");
    std::fs::create_dir(&shard).unwrap();
    let fifo = shard.join("shard.json");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let a = chatsim()
        .arg("merge")
        .arg(&shard)
        .arg("--out")
        .arg(dir.path().join("m"))
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2);
    assert!(stderr(&a).contains("not a regular file"), "{}", stderr(&a));
}

#[test]
fn rate_intervals_stay_within_zero_and_one() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", SMALL);
    let out = dir.path().join("r");
    chatsim()
        .args(["run", "--quiet", "--no-plots"])
        .arg(&sc)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mut rates = 0;
    for (name, m) in doc["metrics"].as_object().unwrap() {
        if name.ends_with("_rate") || name.contains("_rate.") || name == "occupancy" {
            let ci = m["ci95"].as_array().unwrap();
            let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
            assert!(
                (0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi),
                "{name}: [{lo}, {hi}]"
            );
            rates += 1;
        }
    }
    assert!(rates > 5);
}
