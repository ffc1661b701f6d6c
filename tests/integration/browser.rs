//! `report.html` in a real browser: headless Chromium must render a page that is not blank, with
//! every plot in it. Without Chromium the test is skipped on a developer's machine and fails in
//! CI (where the `CI` environment variable is set and `.ci/run` installs it).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::reports::{decode_png, grey_variance, plot_names, run_into};

const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| BROWSERS.iter().map(move |b| dir.join(b)))
        .find(|p| p.is_file())
}

/// Runs the browser headless on `page` with `extra` arguments and a fresh profile, and returns
/// what it printed. A browser that hangs is killed after a generous limit, so that the suite
/// cannot hang with it.
fn headless(browser: &Path, page: &Path, extra: &[String]) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (scratch.path().join("out"), scratch.path().join("err"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("{} did not finish", browser.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let err = std::fs::read_to_string(&stderr).unwrap_or_default();
    assert!(
        status.success(),
        "{} failed ({status}): {err}",
        browser.display()
    );
    std::fs::read_to_string(&stdout).unwrap()
}

/// Said where a person sees it: written to the process's standard error itself, which the test
/// harness does not capture (its `eprintln!` capture would hide the note behind "ok").
fn report_skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED report_html_renders_in_headless_chromium: {why}; report.html was NOT checked \
         in a browser (install chromium; with CI set, a missing browser fails the test)"
    );
}

#[test]
fn report_html_renders_in_headless_chromium() {
    let Some(browser) = find_browser() else {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium is not installed: CI needs it (apt-get install -y chromium)");
        }
        report_skipped("Chromium not found");
        return;
    };
    let (_guard, out) = run_into(&["--replications", "2", "--horizon", "2d"]);
    let page = out.join("report.html").canonicalize().unwrap();

    let shot = out.join("screenshot.png");
    headless(
        &browser,
        &page,
        &[
            "--window-size=1280,2400".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let bytes = std::fs::read(&shot).expect("the browser wrote a screenshot");
    let (w, h, channels, pixels) = decode_png(&bytes);
    assert!(w >= 1000 && h >= 2000, "screenshot is {w}x{h}");
    assert!(
        grey_variance(&pixels, channels) > 200.0,
        "the rendered page is blank"
    );

    let dom = headless(&browser, &page, &["--dump-dom".into()]);
    let plots = plot_names(&out, "svg");
    assert_eq!(plots.len(), 5, "{plots:?}");
    for name in &plots {
        let at = dom
            .find(&format!("id=\"plot-{name}\""))
            .unwrap_or_else(|| panic!("plot {name} is not in the rendered page"));
        assert!(dom[at..].contains("<svg"), "plot {name} has no SVG");
    }
    assert!(dom.matches("<svg").count() >= plots.len());
    assert!(dom.contains("Per team") && dom.contains("Fallbacks by reason"));
}

/// Without Chromium the browser test says it was skipped in the output a person reads, even
/// when the harness captures the test's output (as it does by default).
#[test]
fn a_missing_browser_is_reported_as_skipped() {
    if std::env::var_os("CHATSIM_INNER_BROWSER_TEST").is_some() {
        return;
    }
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "browser::report_html_renders_in_headless_chromium",
        ])
        .env("PATH", empty.path())
        .env_remove("CI")
        .env("CHATSIM_INNER_BROWSER_TEST", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("SKIPPED") && text.contains("NOT checked"),
        "{text}"
    );
}
