//! `report.html`: one self-contained page a planner can attach to a staffing proposal. Styles
//! and plots (SVG) are inline; nothing is fetched, so it opens anywhere, offline.

use std::fmt::Write;

use crate::figure::{self, Metric, Reason, Unit};
use crate::report::plots::Rendered;
use crate::report::{Detail, RunSummary, Table};
use crate::scenario::{Routing, Scenario, Tier};

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
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chatsim report: {name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Live-chat simulation: {name}</h1>\n\
         <p class=\"sub\">{reps} replications of {horizon}, seed {seed}; every figure is \
         the mean per replication with its 95% confidence interval. Made by chatsim {version}; \
         scenario fingerprint <code>{fingerprint}</code>{overrides}.</p>\n",
        name = esc(&s.scenario),
        reps = s.replications,
        horizon = figure::duration(s.horizon_s),
        seed = s.seed,
        version = env!("CARGO_PKG_VERSION"),
        fingerprint = &s.provenance.fingerprint,
        overrides = if s.provenance.overrides.is_empty() {
            String::new()
        } else {
            format!(
                ", with <code>{}</code>",
                esc(&s.provenance.overrides.join(" "))
            )
        },
    );
    settings(&mut h, sc);
    headline(&mut h, s);
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
    let team_columns: Vec<Metric> = REQUEST_COLUMNS
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

fn headline(h: &mut String, s: &RunSummary) {
    h.push_str(
        "<h2>Headline numbers</h2>\n<table>\n<tr><th>figure</th><th>mean</th>\
                <th>95% interval</th></tr>\n",
    );
    for (metric, label) in s.headline() {
        let unit = metric.unit();
        let (mean, ci) = match s.site(metric) {
            Some(x) => (figure::value(unit, x.mean), figure::interval(unit, x.ci95)),
            None => ("-".into(), "-".into()),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{mean}</td><td class=\"ci\">{ci}</td></tr>",
            esc(label.trim())
        );
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
        let count = s.site(Metric::FallbackFor(r));
        let rate = s.site(Metric::FallbackRateFor(r));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"ci\">{}</td></tr>",
            r.name(),
            count.map_or("-".into(), |c| figure::value(Unit::Count, c.mean)),
            rate.map_or("-".into(), |x| figure::value(Unit::Share, x.mean)),
            rate.map_or("-".into(), |x| figure::interval(Unit::Share, x.ci95)),
        );
    }
    h.push_str("</table>\n");
}

/// The request figures a planner reads first; the CSV files have every column.
const REQUEST_COLUMNS: [Metric; 9] = [
    Metric::Requests,
    Metric::Engaged,
    Metric::MissedRequests,
    Metric::FallbackRate,
    Metric::Abandoned,
    Metric::RetryRescued,
    Metric::RetryFailed,
    Metric::ChatLength,
    Metric::ResponseTime,
];

const TEAM_COLUMNS: [Metric; 3] = [
    Metric::OnlineHours,
    Metric::CapSaturation,
    Metric::Occupancy,
];

const AGENT_COLUMNS: [Metric; 11] = [
    Metric::Offers,
    Metric::OffersAccepted,
    Metric::OffersMissed,
    Metric::OffersDeclined,
    Metric::OffersTimedOut,
    Metric::Engaged,
    Metric::OnlineHours,
    Metric::CapSaturation,
    Metric::Occupancy,
    Metric::ResponseTime,
    Metric::ChatLength,
];

/// The `columns` of `t` (means, with the interval where the table gives one).
fn table(h: &mut String, title: &str, t: &Table, columns: &[Metric]) {
    if t.rows.is_empty() {
        return;
    }
    let picked: Vec<usize> = columns
        .iter()
        .filter_map(|m| t.columns.iter().position(|c| c.metric == *m))
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
        let _ = write!(h, "<th>{}</th>", header(&t.column_name(&t.columns[c])));
    }
    h.push_str("</tr>\n");
    for r in &t.rows {
        let _ = write!(h, "<tr><td>{}</td>", esc(&r.name));
        for l in &r.labels {
            let _ = write!(h, "<td>{}</td>", esc(l));
        }
        for &c in &picked {
            let column = &t.columns[c];
            let unit = column.metric.column_unit();
            let cell = match r.values[c] {
                None => "-".to_string(),
                Some(s) if column.interval => format!(
                    "{}<br><span class=\"ci\">{}</span>",
                    figure::value(unit, s.mean),
                    figure::interval(unit, s.ci95)
                ),
                Some(s) => figure::value(unit, s.mean),
            };
            let _ = write!(h, "<td>{cell}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
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
    fn headings_carry_units() {
        assert_eq!(header("avg_chat_length_min"), "avg chat length (min)");
        assert_eq!(header("at_cap_share"), "at cap (%)");
        assert_eq!(header("fallback_rate"), "fallback rate (%)");
        assert_eq!(header("online_h"), "online (h)");
        assert_eq!(header("offers"), "offers");
    }
}
