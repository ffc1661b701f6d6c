//! `staff`'s `report.html`: the staffing found for each searched key, whether it meets every
//! target, each target's figure with its interval and verdict, and the run's headline figures
//! there.

use crate::figure::{self, Figure};
use crate::report::RunSummary;

use super::page::{
    HtmlTable, Page, breakable, esc, headline_table, interval_cell, made_by, value_cell,
};

/// What a staffing search's page shows.
pub struct StaffPage<'a> {
    /// The figures at the staffing found.
    pub summary: &'a RunSummary,
    pub searched: Vec<Searched>,
    pub targets: Vec<TargetRow>,
    /// Whether the staffing found meets every target.
    pub met: bool,
    /// When it does not: whether some target's interval still straddles its bound (more
    /// replications could settle it) rather than every unmet one being missed outright.
    pub inconclusive: bool,
    /// Staffings simulated to find it.
    pub runs: usize,
}

/// One searched key: its range and the value found.
pub struct Searched {
    pub key: String,
    pub lo: i64,
    pub hi: i64,
    pub answer: i64,
}

/// One target, `figure <= bound` or `figure >= bound`, and how it stands at the staffing found:
/// `met`, `inconclusive` or `missed`.
pub struct TargetRow {
    pub figure: Figure,
    pub at_most: bool,
    pub bound: f64,
    pub standing: &'static str,
}

pub fn staff_html(s: &StaffPage) -> String {
    let sum = s.summary;
    let sub = format!(
        "At the staffing shown, every figure is the mean per replication of {reps} \
         replications of {horizon} (seed {seed}) with its 95% confidence interval; a target \
         is met when its whole interval lies on the target's side of the bound. {made_by}.",
        reps = sum.replications,
        horizon = figure::duration(sum.horizon_s),
        seed = sum.seed,
        made_by = made_by(),
    );
    let mut p = Page::new(
        &format!("chatsim staffing: {}", sum.scenario),
        &format!("Staffing search: {}", sum.scenario),
        &sub,
    );
    let total: i64 = s.searched.iter().map(|k| k.answer).sum();
    let answer = if s.met {
        format!(
            "<span class=\"met\">Meets every target</span> with {total} in total over the \
             searched keys: the fewest found."
        )
    } else if s.inconclusive {
        format!(
            "<span class=\"missed\">Inconclusive</span>: at the upper bounds of the search, \
             some target's interval still straddles its bound at {} replications, the most \
             allowed. Shown are the upper bounds, {total} in total over the searched keys.",
            sum.replications
        )
    } else {
        format!(
            "<span class=\"missed\">Does NOT meet every target</span>: the upper bounds of the \
             search are not enough. Shown are the upper bounds, {total} in total over the \
             searched keys."
        )
    };
    p.raw(&format!("<p class=\"answer\">{answer}</p>\n"));
    p.section("Answer");
    let mut t = HtmlTable::new(["key", "staffing", "searched"]);
    for k in &s.searched {
        t.row(vec![
            format!("<code>{}</code>", esc(&k.key)),
            k.answer.to_string(),
            format!("{}..{}", k.lo, k.hi),
        ]);
    }
    p.table(&t);
    p.note(&format!(
        "{} staffings simulated ({} replications each); <code>staff.json</code> has every \
         figure at the staffing found.",
        s.runs, sum.replications
    ));
    p.section("Targets");
    let mut t = HtmlTable::new(["figure", "target", "mean", "95% interval", "verdict"]);
    for target in &s.targets {
        let unit = target.figure.metric.unit();
        let x = sum.get(&target.figure);
        let op = if target.at_most { "&le;" } else { "&ge;" };
        let class = if target.standing == "met" {
            "met"
        } else {
            "missed"
        };
        let verdict = format!("<span class=\"{class}\">{}</span>", target.standing);
        t.row(vec![
            breakable(&target.figure.name()),
            format!("{op} {}", figure::value(unit, target.bound)),
            value_cell(unit, x.map(|x| x.mean)),
            interval_cell(unit, x.map(|x| x.ci95)),
            verdict,
        ]);
    }
    p.table(&t);
    p.section("Headline numbers at this staffing");
    p.table(&headline_table(sum));
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Metric;

    fn summary() -> RunSummary {
        let per_rep = [0.04, 0.036, 0.044, 0.04]
            .iter()
            .map(|v| vec![(Figure::site(Metric::FallbackRate), Some(*v))])
            .collect();
        RunSummary::new("support <desk>", 3, 86_400.0, per_rep)
    }

    fn page(met: bool) -> String {
        let summary = summary();
        staff_html(&StaffPage {
            summary: &summary,
            searched: vec![Searched {
                key: "agents.emea.count".into(),
                lo: 1,
                hi: 30,
                answer: 7,
            }],
            targets: vec![
                TargetRow {
                    figure: Figure::site(Metric::FallbackRate),
                    at_most: true,
                    bound: 0.05,
                    standing: if met { "met" } else { "inconclusive" },
                },
                TargetRow {
                    figure: Figure::site(Metric::Occupancy),
                    at_most: false,
                    bound: 0.1,
                    standing: "missed",
                },
            ],
            met,
            inconclusive: !met,
            runs: 12,
        })
    }

    #[test]
    fn each_target_has_its_bound_interval_and_verdict() {
        let html = page(true);
        assert!(html.contains("Staffing search: support &lt;desk&gt;"));
        assert!(html.contains("Meets every target</span> with 7 in total"));
        assert!(html.contains("<td><code>agents.emea.count</code></td><td>7</td><td>1..30</td>"));
        assert!(html.contains("12 staffings simulated (4 replications each)"));
        let row = |name: &str| {
            let at = html.find(&format!("<td>{name}</td>")).unwrap();
            html[at..html[at..].find("</tr>").unwrap() + at].to_string()
        };
        let fallback = row("fallback_<wbr>rate");
        assert!(fallback.contains("&le; 5.00%"), "{fallback}");
        assert!(fallback.contains("<td>4.00%</td>"), "{fallback}");
        assert!(fallback.contains("[3."), "{fallback}");
        assert!(fallback.contains("class=\"met\">met<"), "{fallback}");
        // A figure the run does not have reads `-` and is missed.
        let occupancy = row("occupancy");
        assert!(occupancy.contains("&ge; 10.00%"), "{occupancy}");
        assert!(occupancy.contains("<td>-</td>"), "{occupancy}");
        assert!(occupancy.contains(">missed<"), "{occupancy}");
    }

    #[test]
    fn a_search_left_open_says_so_and_calls_it_inconclusive() {
        let html = page(false);
        assert!(html.contains("Inconclusive</span>: at the upper bounds"));
        assert!(html.contains("straddles its bound at 4 replications"));
        assert!(html.contains(">inconclusive<"));
        assert!(!html.contains("Meets every target"));
    }
}
