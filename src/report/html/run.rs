//! `run`'s `report.html`: one self-contained page a planner can attach to a staffing proposal.
//! Styles and plots (SVG) are inline; nothing is fetched, so it opens anywhere, offline.

use crate::figure::{self, Metric, Reason, Unit};
use crate::report::plots::Rendered;
use crate::report::{Detail, RunSummary, Table};
use crate::scenario::{Clock, Routing, Scenario, Tier};

use super::page::{
    HtmlTable, Page, esc, estimate_cell, headline_table, interval_cell, made_by, value_cell,
};

pub fn report_html(sc: &Scenario, s: &RunSummary, d: &Detail, plots: &[Rendered]) -> String {
    let sub = format!(
        "{reps} replications of {horizon}, seed {seed}; every figure is the mean per \
         replication with its 95% confidence interval. {made_by}; scenario fingerprint \
         <code>{fingerprint}</code>{overrides}.",
        reps = s.replications,
        horizon = figure::duration(s.horizon_s),
        seed = s.seed,
        made_by = made_by(),
        fingerprint = esc(&s.provenance.fingerprint),
        overrides = if s.provenance.overrides.is_empty() {
            String::new()
        } else {
            format!(
                ", with <code>{}</code>",
                esc(&s.provenance.overrides.join(" "))
            )
        },
    );
    let mut p = Page::new(
        &format!("chatsim report: {}", s.scenario),
        &format!("Live-chat simulation: {}", s.scenario),
        &sub,
    );
    settings(&mut p, sc);
    headline(&mut p, s);
    fallbacks(&mut p, s);
    p.section("Plots");
    if plots.is_empty() {
        p.note("Plots were skipped (<code>--no-plots</code>).");
    }
    for r in plots {
        let caption = format!(
            "Also <code>plots/{0}.png</code> and <code>plots/{0}.svg</code>.",
            esc(r.name)
        );
        p.plot(r.name, &r.title, &r.svg, &caption);
    }
    if !d.teams.rows.is_empty() {
        p.section("Per team");
        p.subsection("Requests");
        p.note(&means_note("teams"));
        table(&mut p, &d.teams, &REQUEST_COLUMNS);
        p.subsection("Fallback rate by reason");
        p.note(
            "Share of the team's live-chat requests that got the fallback message, in all and \
             for each reason: means per replication with the 95% interval beneath; \
             <code>teams.csv</code> has the counts.",
        );
        table(&mut p, &d.team_fallbacks, &FALLBACK_COLUMNS);
        p.subsection("Offers and agents' time");
        p.note(&means_note("teams"));
        table(&mut p, &d.teams, &TEAM_COLUMNS);
    }
    if !d.streams.rows.is_empty() {
        p.section("Per stream");
        p.note(&means_note("streams"));
        table(&mut p, &d.streams, &REQUEST_COLUMNS);
    }
    if !d.agents.rows.is_empty() {
        p.section("Per agent");
        p.note(&means_note("agents"));
        table(&mut p, &d.agents, &AGENT_COLUMNS);
    }
    p.finish()
}

fn settings(p: &mut Page, sc: &Scenario) {
    let pk = &sc.package;
    let limit = |l: Option<u64>| l.map_or("none".to_string(), |n| n.to_string());
    let rows = [
        (
            "package",
            match pk.tier {
                Tier::Select => "Select".to_string(),
                Tier::Prime => "Prime".to_string(),
            },
        ),
        ("trial engagement limit", limit(pk.trial_engagements)),
        ("monthly engagement limit", limit(pk.monthly_engagements)),
        ("retries after a timeout", pk.retries.to_string()),
        (
            "accept window",
            format!("{} s", pk.accept_timeout.as_secs_f64()),
        ),
        ("cap (chats per agent)", pk.cap.to_string()),
        (
            "inactivity end",
            format!("{} min", pk.inactivity_timeout.as_secs_f64() / 60.0),
        ),
        (
            "visitors per hour (mean before profile)",
            sc.arrivals.per_hour().to_string(),
        ),
        (
            "warm-up",
            format!("{} h", sc.simulation.warmup.as_secs_f64() / 3600.0),
        ),
        (
            "time-series bucket",
            format!("{} h", sc.simulation.bucket.as_secs_f64() / 3600.0),
        ),
        ("start", sc.simulation.start.to_string()),
        (
            "interval of intervals.csv",
            format!("{} min", sc.simulation.interval.as_secs_f64() / 60.0),
        ),
        (
            "window of every figure",
            sc.simulation
                .window
                .map_or("none: the whole week".to_string(), |w| {
                    sc.windows[w].text.clone()
                }),
        ),
    ];
    p.section("Scenario");
    let mut t = HtmlTable::new(["setting", "value"]);
    for (k, v) in rows {
        t.row(vec![k.to_string(), esc(&v)]);
    }
    p.table(&t);
    let mut t = HtmlTable::new(["stream", "share of visitors", "ask for an agent", "routing"])
        .text_column(3);
    for st in &sc.streams {
        let routing = match &st.routing {
            Routing::RoundRobin => "round robin".to_string(),
            Routing::Agent(a) => format!("agent {}", sc.agents[*a as usize].name),
            Routing::Team(t) => format!("team {}", sc.teams[*t as usize].name),
            Routing::Rules(r) => format!("{} custom rules", r.len()),
        };
        t.row(vec![
            esc(&st.name),
            format!("{:.0}%", 100.0 * st.share),
            format!("{:.0}%", 100.0 * st.live_chat),
            esc(&routing),
        ]);
    }
    p.table(&t);
    let mut t = HtmlTable::new([
        "traffic source",
        "visitors per hour",
        "clock",
        "busiest hour",
    ])
    .text_column(2);
    for s in &sc.arrivals.sources {
        let busiest = (0..24)
            .max_by(|&a, &b| s.hourly[a].total_cmp(&s.hourly[b]))
            .unwrap_or(0);
        t.row(vec![
            esc(if s.name.is_empty() {
                "[arrivals]"
            } else {
                &s.name
            }),
            format!("{}", s.per_hour),
            esc(&clock(&s.clock)),
            format!("{busiest:02}:00 local"),
        ]);
    }
    p.table(&t);
    let mut t = HtmlTable::new([
        "agents",
        "count",
        "team",
        "cap",
        "miss",
        "decline",
        "scheduled h / week",
        "time zone",
    ])
    .text_column(2)
    .text_column(7);
    for g in &sc.groups {
        let a = &sc.agents[g.first as usize..(g.first + g.count) as usize];
        let Some(first) = a.first() else { continue };
        let team = first
            .team
            .map_or("", |t| sc.teams[t as usize].name.as_str());
        t.row(vec![
            esc(&g.name),
            g.count.to_string(),
            esc(team),
            first.cap.to_string(),
            format!("{:.0}%", 100.0 * first.miss),
            format!("{:.0}%", 100.0 * first.decline),
            format!("{:.1}", first.schedule.hours_per_week()),
            esc(first
                .schedule
                .zone
                .as_ref()
                .and_then(|z| z.iana_name())
                .unwrap_or("fixed offset (in UTC)")),
        ]);
    }
    p.table(&t);
    if !sc.provenance.overrides.is_empty() {
        p.note(&format!(
            "As simulated, with the command line's overrides: <code>{}</code>.",
            esc(&sc.provenance.overrides.join(" "))
        ));
    }
}

/// How a profile's clock reads.
fn clock(c: &Clock) -> String {
    match c {
        Clock::Offset(0) => "UTC".into(),
        Clock::Offset(s) => format!("UTC{:+}h", *s as f64 / 3600.0),
        Clock::Zone(z) => z.iana_name().unwrap_or("time zone").to_string(),
    }
}

fn headline(p: &mut Page, s: &RunSummary) {
    p.section("Headline numbers");
    p.table(&headline_table(s));
}

fn fallbacks(p: &mut Page, s: &RunSummary) {
    p.section("Fallbacks by reason");
    let mut t = HtmlTable::new([
        "reason",
        "requests per replication",
        "share of requests",
        "95% interval",
    ]);
    for r in Reason::ALL {
        let count = s.site(Metric::FallbackFor(r));
        let rate = s.site(Metric::FallbackRateFor(r));
        t.row(vec![
            r.name().to_string(),
            value_cell(Unit::Count, count.map(|c| c.mean)),
            value_cell(Unit::Share, rate.map(|x| x.mean)),
            interval_cell(Unit::Share, rate.map(|x| x.ci95)),
        ]);
    }
    p.table(&t);
}

/// The request figures a planner reads first; the CSV files have every column.
const REQUEST_COLUMNS: [Metric; 10] = [
    Metric::Requests,
    Metric::Engaged,
    Metric::MissedRequests,
    Metric::FallbackRate,
    Metric::Abandoned,
    Metric::RetryRescued,
    Metric::RetryFailed,
    Metric::Meetings,
    Metric::ChatLength,
    Metric::ResponseTime,
];

const FALLBACK_COLUMNS: [Metric; 6] = [
    Metric::FallbackRate,
    Metric::FallbackRateFor(Reason::NoRule),
    Metric::FallbackRateFor(Reason::Unavailable),
    Metric::FallbackRateFor(Reason::AtCap),
    Metric::FallbackRateFor(Reason::Timeout),
    Metric::FallbackRateFor(Reason::TrialLimit),
];

/// A team's agents' offers and time.
const TEAM_COLUMNS: [Metric; 9] = [
    Metric::Offers,
    Metric::OffersMissed,
    Metric::OffersDeclined,
    Metric::OffersTimedOut,
    Metric::OnlineHours,
    Metric::CapSaturation,
    Metric::Occupancy,
    Metric::ChatsPerAgent,
    Metric::ChattingShare,
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

fn means_note(file: &str) -> String {
    format!(
        "Means per replication, with the 95% interval beneath where given; \
         <code>{file}.csv</code> has these and more."
    )
}

/// The `columns` of `t` after its key and labels: means, with the interval beneath where the
/// table gives one.
fn table(p: &mut Page, t: &Table, columns: &[Metric]) {
    let picked: Vec<usize> = columns
        .iter()
        .filter_map(|m| t.columns.iter().position(|c| c.metric == *m))
        .collect();
    let head = std::iter::once(t.key.to_string())
        .chain(t.labels.iter().map(|l| l.to_string()))
        .chain(picked.iter().map(|&c| heading(t, c)));
    // A label column of numbers (an agent's cap, a team's size) is aligned as numbers.
    let text = (0..t.labels.len())
        .take_while(|&i| t.rows.iter().any(|r| r.labels[i].parse::<f64>().is_err()))
        .count();
    let mut html = HtmlTable::new(head).text_columns(1 + text);
    for r in &t.rows {
        let mut cells = vec![esc(&r.name)];
        cells.extend(r.labels.iter().map(|l| esc(l)));
        for &c in &picked {
            let column = &t.columns[c];
            let unit = column.metric.column_unit();
            cells.push(match r.values[c] {
                Some(s) if column.interval => estimate_cell(unit, Some(&s)),
                v => value_cell(unit, v.map(|s| s.mean)),
            });
        }
        html.row(cells);
    }
    p.table(&html);
}

/// A column's heading: a reason's rate by the reason's name, others by the column's name.
fn heading(t: &Table, c: usize) -> String {
    let metric = t.columns[c].metric;
    match metric.reason() {
        Some(r) if metric.unit() == Unit::Share => format!("{} (%)", r.name()),
        _ => header(&t.column_name(&t.columns[c])),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{RunOptions, run_replications};
    use crate::scenario::Override;

    /// The default scenario over a day, two replications, without plots.
    fn page() -> String {
        let set = |p: &str, v: &str| Override {
            path: p.into(),
            value: v.into(),
        };
        let sc = crate::scenario::load_with(
            None,
            &[
                set("simulation.horizon", "\"1d\""),
                set("simulation.replications", "2"),
            ],
        )
        .unwrap();
        let opts = RunOptions {
            threads: Some(1),
            quiet: true,
        };
        let tallies = run_replications(&sc, 0..2, opts).unwrap();
        let per_rep = tallies
            .iter()
            .map(|t| crate::report::metrics(&sc, t))
            .collect();
        let s = RunSummary::of(&sc, per_rep);
        report_html(&sc, &s, &Detail::of(&sc, &tallies), &[])
    }

    #[test]
    fn each_team_has_its_fallback_rate_by_reason_and_no_table_scrolls() {
        let html = page();
        let at = html.find("<h3>Fallback rate by reason</h3>").unwrap();
        let table = &html[at..];
        let table = &table[..table.find("</table>").unwrap()];
        for r in Reason::ALL {
            assert!(
                table.contains(&format!("<th>{} (%)</th>", r.name())),
                "{table}"
            );
        }
        // One row per team, each with the rate in all and per reason, an interval beneath each.
        for team in ["sales", "emea"] {
            let row = &table[table.find(&format!("<tr><td>{team}</td>")).unwrap()..];
            let row = &row[..row.find("</tr>").unwrap()];
            assert_eq!(row.matches("<span class=\"ci\">[").count(), 6, "{row}");
        }
        // Tables are never put in a box that scrolls: they are chosen to fit.
        assert!(!html.contains("overflow-x") && !html.contains("class=\"scroll\""));
        assert!(html.contains("Plots were skipped"));
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
