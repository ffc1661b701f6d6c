//! `report.html`: one self-contained page a planner can attach to a staffing proposal. Styles
//! and plots (SVG) are inline; nothing is fetched, so it opens anywhere, offline.

use std::fmt::Write;

use crate::model::Reason;
use crate::report::plots::Rendered;
use crate::report::{Detail, RunSummary, Table};
use crate::scenario::{Routing, Scenario, Tier};
use crate::stats::Summary;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d1d1d;
       max-width: 1240px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2.4rem; border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; }
.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; white-space: nowrap; }
th { vertical-align: bottom; }
span.ci { color: #666; font-size: 0.8rem; white-space: nowrap; }
th { background: #f2f5f8; }
td.ci { color: #666; }
.scroll { overflow-x: auto; }
figure { margin: 1.6rem 0; }
figure svg { width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #555; font-size: 0.9rem; }
.note { color: #555; font-size: 0.9rem; }
";

pub fn report_html(sc: &Scenario, s: &RunSummary, d: &Detail, plots: &[Rendered]) -> String {
    let mut h = String::new();
    let days = s.horizon_s / 86_400.0;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chatsim report: {name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Live-chat simulation: {name}</h1>\n\
         <p class=\"sub\">{reps} replications of {days:.1} days, seed {seed}; every figure is \
         the mean per replication with its 95% confidence interval. Made by chatsim {version}.</p>\n",
        name = esc(&s.scenario),
        reps = s.replications,
        seed = s.seed,
        version = env!("CARGO_PKG_VERSION"),
    );
    settings(&mut h, sc);
    headline(&mut h, s, d.trial.is_some());
    fallbacks(&mut h, s);
    h.push_str("<h2>Plots</h2>\n");
    if plots.is_empty() {
        h.push_str("<p class=\"note\">Plots were skipped (<code>--no-plots</code>).</p>\n");
    }
    for p in plots {
        let _ = write!(
            h,
            "<figure id=\"plot-{name}\" aria-label=\"{title}\">\n{svg}\n<figcaption>Also \
             <code>plots/{name}.png</code> and <code>plots/{name}.svg</code>.</figcaption>\n\
             </figure>\n",
            name = p.name,
            svg = p.svg.trim(),
            title = esc(&p.title),
        );
    }
    let team_columns: Vec<&str> = REQUEST_COLUMNS
        .iter()
        .chain(&TEAM_COLUMNS)
        .copied()
        .collect();
    table(&mut h, "Per team", &d.teams, &team_columns);
    table(&mut h, "Per stream", &d.streams, &REQUEST_COLUMNS);
    table(&mut h, "Per agent", &d.agents, &AGENT_COLUMNS);
    h.push_str("</body>\n</html>\n");
    h
}

fn settings(h: &mut String, sc: &Scenario) {
    let p = &sc.package;
    let limit = |l: Option<u64>| l.map_or("none".to_string(), |n| n.to_string());
    let rows = [
        (
            "package",
            match p.tier {
                Tier::Select => "Select".to_string(),
                Tier::Prime => "Prime".to_string(),
            },
        ),
        ("trial engagement limit", limit(p.trial_engagements)),
        ("monthly engagement limit", limit(p.monthly_engagements)),
        ("retries after a timeout", p.retries.to_string()),
        (
            "accept window",
            format!("{} s", p.accept_timeout.as_secs_f64()),
        ),
        ("cap (chats per agent)", p.cap.to_string()),
        (
            "inactivity end",
            format!("{} min", p.inactivity_timeout.as_secs_f64() / 60.0),
        ),
        (
            "visitors per hour (mean before profile)",
            sc.arrivals.per_hour.to_string(),
        ),
        (
            "warm-up",
            format!("{} h", sc.simulation.warmup.as_secs_f64() / 3600.0),
        ),
        (
            "time-series bucket",
            format!("{} h", sc.simulation.bucket.as_secs_f64() / 3600.0),
        ),
    ];
    h.push_str("<h2>Scenario</h2>\n<table>\n");
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><td>{k}</td><td>{}</td></tr>", esc(&v));
    }
    h.push_str(
        "</table>\n<table>\n<tr><th>stream</th><th>share of visitors</th>\
                <th>ask for an agent</th><th>routing</th></tr>\n",
    );
    for st in &sc.streams {
        let routing = match &st.routing {
            Routing::RoundRobin => "round robin".to_string(),
            Routing::Agent(a) => format!("agent {}", sc.agents[*a as usize].name),
            Routing::Team(t) => format!("team {}", sc.teams[*t as usize].name),
            Routing::Rules(r) => format!("{} custom rules", r.len()),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{:.0}%</td><td>{:.0}%</td><td>{}</td></tr>",
            esc(&st.name),
            100.0 * st.share,
            100.0 * st.live_chat,
            esc(&routing)
        );
    }
    h.push_str(
        "</table>\n<table>\n<tr><th>agents</th><th>count</th><th>team</th><th>cap</th>\
                <th>miss</th><th>decline</th></tr>\n",
    );
    for g in &sc.groups {
        let a = &sc.agents[g.first as usize..(g.first + g.count) as usize];
        let Some(first) = a.first() else { continue };
        let team = first
            .team
            .map_or("", |t| sc.teams[t as usize].name.as_str());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%</td><td>{:.0}%</td></tr>",
            esc(&g.name),
            g.count,
            esc(team),
            first.cap,
            100.0 * first.miss,
            100.0 * first.decline
        );
    }
    h.push_str("</table>\n");
}

fn headline(h: &mut String, s: &RunSummary, trial: bool) {
    let rows: [(&str, &str, bool); 11] = [
        ("visitors", "visitors", false),
        ("requested live chats", "requests", false),
        ("connected live chats", "engaged", false),
        ("fallback rate", "fallback_rate", true),
        ("abandoned before an accept", "abandoned", false),
        ("rescued by a retry", "retry.rescued", false),
        ("meetings booked from the fallback", "meetings", false),
        ("occupancy", "occupancy", true),
        (
            "agents at cap (share of online time)",
            "cap_saturation",
            true,
        ),
        ("average agent response (s)", "response_time.mean_s", false),
        ("average chat length (s)", "chat_length.mean_s", false),
    ];
    h.push_str(
        "<h2>Headline numbers</h2>\n<table>\n<tr><th>figure</th><th>mean</th>\
                <th>95% interval</th></tr>\n",
    );
    for (label, metric, pct) in rows {
        summary_row(h, label, s.get(metric), pct);
    }
    if trial {
        let label = "trial used up (share of replications)";
        summary_row(h, label, s.get("trial.exhausted"), true);
    }
    if let Some(x) = s.get("trial.exhausted_at_s").filter(|_| trial) {
        let hours = Summary {
            mean: x.mean / 3600.0,
            ci95: [x.ci95[0] / 3600.0, x.ci95[1] / 3600.0],
            ..*x
        };
        summary_row(h, "trial used up after (h)", Some(&hours), false);
    }
    h.push_str("</table>\n");
}

fn fallbacks(h: &mut String, s: &RunSummary) {
    h.push_str(
        "<h2>Fallbacks by reason</h2>\n<table>\n<tr><th>reason</th>\
                <th>requests per replication</th><th>share of requests</th>\
                <th>95% interval</th></tr>\n",
    );
    for r in Reason::ALL {
        let count = s.get(&format!("fallback.{}", r.name()));
        let rate = s.get(&format!("fallback_rate.{}", r.name()));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"ci\">{}</td></tr>",
            r.name(),
            count.map_or("-".into(), |c| format!("{:.1}", c.mean)),
            rate.map_or("-".into(), |x| format!("{:.2}%", 100.0 * x.mean)),
            rate.map_or("-".into(), |x| format!(
                "{:.2}% to {:.2}%",
                100.0 * x.ci95[0],
                100.0 * x.ci95[1]
            )),
        );
    }
    h.push_str("</table>\n");
}

fn summary_row(h: &mut String, label: &str, x: Option<&Summary>, pct: bool) {
    let (mean, ci) = match x {
        Some(x) if pct => (
            format!("{:.2}%", 100.0 * x.mean),
            format!("{:.2}% to {:.2}%", 100.0 * x.ci95[0], 100.0 * x.ci95[1]),
        ),
        Some(x) => (
            format!("{:.1}", x.mean),
            format!("{:.1} to {:.1}", x.ci95[0], x.ci95[1]),
        ),
        None => ("-".into(), "-".into()),
    };
    let _ = writeln!(
        h,
        "<tr><td>{label}</td><td>{mean}</td><td class=\"ci\">{ci}</td></tr>"
    );
}

/// The request figures a planner reads first; the CSV files have every column.
const REQUEST_COLUMNS: [&str; 9] = [
    "requested_live_chats",
    "connected_live_chats",
    "missed_requests",
    "fallback_rate",
    "abandoned",
    "retry_rescued",
    "retry_failed",
    "avg_chat_length_min",
    "avg_agent_response_s",
];

const TEAM_COLUMNS: [&str; 3] = ["online_agent_h", "at_cap_share", "occupancy_share"];

const AGENT_COLUMNS: [&str; 11] = [
    "offers",
    "accepted",
    "missed",
    "declined",
    "timed_out",
    "engaged",
    "online_h",
    "at_cap_share",
    "occupancy_share",
    "avg_agent_response_s",
    "avg_chat_length_min",
];

/// The `columns` of `t` (means, with the interval where the table gives one).
fn table(h: &mut String, title: &str, t: &Table, columns: &[&str]) {
    if t.rows.is_empty() {
        return;
    }
    let picked: Vec<usize> = columns
        .iter()
        .filter_map(|c| t.columns.iter().position(|(n, _)| n == c))
        .collect();
    let _ = write!(
        h,
        "<h2>{title}</h2>\n<p class=\"note\">Means per replication, with the 95% interval \
         where given; <code>{}s.csv</code> has these and more.</p>\n<div class=\"scroll\">\
         <table>\n<tr><th>{}</th>",
        t.key, t.key
    );
    for l in &t.labels {
        let _ = write!(h, "<th>{l}</th>");
    }
    for &c in &picked {
        let _ = write!(h, "<th>{}</th>", header(&t.columns[c].0));
    }
    h.push_str("</tr>\n");
    for r in &t.rows {
        let _ = write!(h, "<tr><td>{}</td>", esc(&r.name));
        for l in &r.labels {
            let _ = write!(h, "<td>{}</td>", esc(l));
        }
        for &c in &picked {
            let (name, interval) = &t.columns[c];
            let pct = is_share(name);
            let cell = match r.values[c] {
                None => "-".to_string(),
                Some(s) if *interval => format!(
                    "{}<br><span class=\"ci\">{} to {}</span>",
                    value(s.mean, pct),
                    value(s.ci95[0], pct),
                    value(s.ci95[1], pct)
                ),
                Some(s) => value(s.mean, pct),
            };
            let _ = write!(h, "<td>{cell}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
}

fn is_share(column: &str) -> bool {
    column.ends_with("_share") || column.ends_with("_rate")
}

/// A column name as a heading: `avg_chat_length_min` -> `avg chat length (min)`.
fn header(column: &str) -> String {
    let units = [
        ("_min", "min"),
        ("_s", "s"),
        ("_h", "h"),
        ("_share", "%"),
        ("_rate", "%"),
    ];
    for (suffix, unit) in units {
        if let Some(stem) = column.strip_suffix(suffix) {
            let stem = if unit == "%" { column } else { stem };
            let stem = stem.strip_suffix("_share").unwrap_or(stem);
            return format!("{} ({unit})", stem.replace('_', " "));
        }
    }
    column.replace('_', " ")
}

fn value(x: f64, pct: bool) -> String {
    if pct {
        format!("{:.2}%", 100.0 * x)
    } else {
        number(x)
    }
}

fn number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e12 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Text and attribute values for the page: the XML escapes (`&lt;`, `&amp;`, `&quot;`, ...)
/// are valid HTML too.
fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        assert_eq!(
            esc("<a & 'b' \"c\">"),
            "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;"
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(0.123456), "0.12");
        assert_eq!(number(1234.56), "1234.6");
        assert_eq!(value(0.0345, true), "3.45%");
    }

    #[test]
    fn headings_carry_units() {
        assert_eq!(header("avg_chat_length_min"), "avg chat length (min)");
        assert_eq!(header("at_cap_share"), "at cap (%)");
        assert_eq!(header("fallback_rate"), "fallback rate (%)");
        assert_eq!(header("online_h"), "online (h)");
        assert_eq!(header("offers"), "offers");
    }
}
