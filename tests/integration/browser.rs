//! `report.html` in a real browser: headless Chromium must render a page that is not blank, with
//! every plot in it, and the pages of `run`, `sweep`, `staff` and `compare` must fit a 1400 px
//! wide window with nothing scrolling sideways. Without Chromium the tests are skipped on a
//! developer's machine and fail in CI (where the `CI` environment variable is set and `.ci/run`
//! installs it).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::chatsim;
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
fn report_skipped(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}; report.html was NOT checked in a browser (install chromium; \
         with CI set, a missing browser fails the test)"
    );
}

/// The browser, or `None` (the test skipped, said so) on a machine without one outside CI.
fn browser_for(test: &str) -> Option<PathBuf> {
    let found = find_browser();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium is not installed: CI needs it (apt-get install -y chromium)");
        }
        report_skipped(test, "Chromium not found");
    }
    found
}

/// The window's width that every page must fit.
const WIDTH: u32 = 1400;

/// Appended to a copy of the page, this measures the layout once the page is laid out in the
/// window and writes what it found into the DOM as the attributes of `<output id="layout">`,
/// which `--dump-dom` then prints. Measured this way, rather than from a screenshot, because a
/// screenshot is only as wide as the window whatever the page's width: the page's own widths
/// are what say whether it scrolls sideways. It records
///
/// - `data-window`, the window's inner width, to show the page was laid out at [`WIDTH`];
/// - `data-page`, the document's scroll width, and `data-client`, its width without the
///   vertical scroll bar: the page scrolls sideways when the first exceeds the second;
/// - `data-past`, the elements whose box ends right of the window (content that spills out,
///   even where something hides the spill);
/// - `data-scrollers`, the elements that scroll sideways inside the page (an `overflow-x: auto`
///   box around a table too wide for it), which leave the document's width alone;
/// - `data-plots`, each `<figure id="plot-...">` with the drawn size of its SVG.
const MEASURE: &str = r##"<script>
(function () {
  var doc = document.documentElement, width = doc.clientWidth, past = [], scrollers = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "");
    if (e.getBoundingClientRect().right > width + 0.5) past.push(name);
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
      scrollers.push(name);
  });
  var plots = [].map.call(document.querySelectorAll("figure[id^='plot-']"), function (f) {
    var svg = f.querySelector("svg"), r = svg ? svg.getBoundingClientRect() : null;
    return f.id + "=" + (r ? Math.round(r.width) + "x" + Math.round(r.height) : "none");
  });
  var out = document.createElement("output");
  out.id = "layout";
  out.setAttribute("data-window", String(window.innerWidth));
  out.setAttribute("data-page", String(doc.scrollWidth));
  out.setAttribute("data-client", String(width));
  out.setAttribute("data-past", past.join(" "));
  out.setAttribute("data-scrollers", scrollers.join(" "));
  out.setAttribute("data-plots", plots.join(" "));
  document.body.appendChild(out);
})();
</script>"##;

/// What [`MEASURE`] found.
#[derive(Debug)]
struct Layout {
    window: u32,
    page: u32,
    client: u32,
    past: String,
    scrollers: String,
    /// `(id, width, height)` of each plot's SVG as drawn.
    plots: Vec<(String, u32, u32)>,
}

impl Layout {
    fn fits(&self) -> bool {
        self.page <= self.client && self.past.is_empty() && self.scrollers.is_empty()
    }
}

/// Lays `page` out in headless Chromium at [`WIDTH`] px and measures it. The page must be
/// self-contained (no script of its own, nothing fetched); the measuring script goes into a
/// copy beside it.
fn layout(browser: &Path, page: &Path) -> Layout {
    let html = std::fs::read_to_string(page).unwrap();
    for fetch in ["<script", "<link", "src=", "url(", "@import"] {
        assert!(!html.contains(fetch), "{} contains {fetch}", page.display());
    }
    let copy = page.with_file_name("measured.html");
    std::fs::write(&copy, html.replace("</body>", &format!("{MEASURE}</body>"))).unwrap();
    let dom = headless(
        browser,
        &copy,
        &[format!("--window-size={WIDTH},1000"), "--dump-dom".into()],
    );
    let at = dom
        .find("<output id=\"layout\"")
        .unwrap_or_else(|| panic!("the measuring script did not run: {dom}"));
    let tag = &dom[at..at + dom[at..].find('>').unwrap()];
    let attr = |name: &str| -> String {
        let key = format!("data-{name}=\"");
        let start = tag.find(&key).map(|i| i + key.len());
        start.map_or(String::new(), |s| {
            tag[s..s + tag[s..].find('"').unwrap()].to_string()
        })
    };
    let number = |name: &str| {
        attr(name)
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("{tag}"))
    };
    let plots = attr("plots")
        .split_whitespace()
        .map(|p| {
            let (id, size) = p.split_once('=').unwrap();
            let (w, h) = size.split_once('x').unwrap_or(("0", "0"));
            (id.to_string(), w.parse().unwrap(), h.parse().unwrap())
        })
        .collect();
    Layout {
        window: number("window"),
        page: number("page"),
        client: number("client"),
        past: attr("past"),
        scrollers: attr("scrollers"),
        plots,
    }
}

/// The page fits the window, and it has exactly the plots `expected` (in any order), each drawn
/// at a size a person can read.
fn assert_fits_with_plots(browser: &Path, page: &Path, expected: &[String]) {
    let l = layout(browser, page);
    assert_eq!(
        l.window,
        WIDTH,
        "{}: laid out at another width",
        page.display()
    );
    assert!(
        l.fits(),
        "{} scrolls sideways in a {WIDTH} px window: {l:?}",
        page.display()
    );
    let mut ids: Vec<String> = l.plots.iter().map(|(id, _, _)| id.clone()).collect();
    let mut want: Vec<String> = expected.iter().map(|n| format!("plot-{n}")).collect();
    ids.sort();
    want.sort();
    assert_eq!(ids, want, "{}: plots", page.display());
    for (id, w, h) in &l.plots {
        assert!(*w >= 600 && *h >= 300, "{id} is drawn at {w}x{h}");
    }
}

#[test]
fn report_html_renders_in_headless_chromium() {
    let Some(browser) = browser_for("report_html_renders_in_headless_chromium") else {
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
    assert_eq!(plots.len(), 7, "{plots:?}");
    for name in &plots {
        let at = dom
            .find(&format!("id=\"plot-{name}\""))
            .unwrap_or_else(|| panic!("plot {name} is not in the rendered page"));
        assert!(dom[at..].contains("<svg"), "plot {name} has no SVG");
    }
    assert!(dom.matches("<svg").count() >= plots.len());
    assert!(dom.contains("Per team") && dom.contains("Fallbacks by reason"));
    assert!(dom.contains("Fallback rate by reason"));
    assert_fits_with_plots(&browser, &page, &plots);
}

/// Runs `chatsim` with `args` and `--out` a fresh folder, and returns its report.html.
fn planning_page(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    chatsim()
        .args(args)
        .args(["--quiet", "--replications", "2", "--horizon", "1d", "--out"])
        .arg(&out)
        .assert()
        .success();
    (dir, out.join("report.html"))
}

#[test]
fn planning_pages_fit_a_1400_px_window_in_headless_chromium() {
    let Some(browser) = browser_for("planning_pages_fit_a_1400_px_window_in_headless_chromium")
    else {
        return;
    };
    let (_s, sweep) = planning_page(&[
        "sweep",
        "--set",
        "agents.emea.count=2,4",
        "--set",
        "package.cap=3,6",
    ]);
    assert_fits_with_plots(&browser, &sweep, &["sweep".into()]);
    let (_t, staff) = planning_page(&[
        "staff",
        "--vary",
        "agents.emea.count=1..6",
        "--target",
        "fallback_rate<=0.5",
        "--target",
        "teams.emea.fallback_rate.at_cap<=0.2",
    ]);
    assert_fits_with_plots(&browser, &staff, &[]);
    let (_c, compare) = planning_page(&[
        "compare",
        "scenarios/default.toml",
        "--set",
        "package.cap=5",
    ]);
    assert_fits_with_plots(&browser, &compare, &[]);
}

/// The measurement is not vacuous: a table too wide for the window is seen, whether the page
/// scrolls or a box around the table does.
#[test]
fn the_layout_check_sees_a_table_too_wide_for_the_window() {
    let Some(browser) = browser_for("the_layout_check_sees_a_table_too_wide_for_the_window") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("wide.html");
    // (A cell's own width is only a wish that the table may shrink; its content's is not.)
    let table = "<table><tr><td><div style=\"width:2000px\">wide</div></td></tr></table>";
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><body><div id=\"box\" style=\"overflow-x:auto\">{table}\
             </div></body></html>"
        ),
    )
    .unwrap();
    let l = layout(&browser, &page);
    assert_eq!(l.window, WIDTH);
    assert!(
        l.page <= l.client && l.scrollers.contains("div#box"),
        "{l:?}"
    );
    std::fs::write(
        &page,
        format!("<!DOCTYPE html><html><body>{table}</body></html>"),
    )
    .unwrap();
    let l = layout(&browser, &page);
    assert!(l.page > l.client && l.past.contains("table"), "{l:?}");
    assert!(!l.fits());
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
