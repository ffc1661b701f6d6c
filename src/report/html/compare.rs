//! `compare`'s `report.html`: base against variant, each headline figure with both means and
//! the paired difference with its 95% interval, then every other figure that differs
//! significantly.

use crate::figure::{self, Figure, Metric, Scope, Worse};
use crate::report::DifferenceDoc;
use crate::scenario::Scenario;

use super::page::{HtmlTable, Page, breakable, esc, made_by, value_cell};

/// The figures `compare` shows first, in the terminal and on its page, whether or not they
/// changed.
pub const COMPARE_HEADLINE: [Metric; 6] = [
    Metric::Requests,
    Metric::EngagedRate,
    Metric::FallbackRate,
    Metric::AbandonedRate,
    Metric::Occupancy,
    Metric::ResponseTime,
];

/// What a comparison's page shows.
pub struct ComparePage<'a> {
    pub base: Side<'a>,
    pub variant: Side<'a>,
    /// Every figure both sides have, in `compare.json`'s order.
    pub differences: &'a [(Figure, DifferenceDoc)],
}

/// One side of a comparison: the file it was read from and the scenario simulated.
pub struct Side<'a> {
    pub file: String,
    pub scenario: &'a Scenario,
}

pub fn compare_html(c: &ComparePage) -> String {
    let sim = &c.base.scenario.simulation;
    let sub = format!(
        "Both sides simulated with common random numbers over the same {reps} replications \
         (seed {seed}); difference = variant - base, paired replication by replication, with \
         its 95% confidence interval (rates in percentage points). A difference is significant \
         when its interval excludes 0. {made_by}.",
        reps = sim.replications,
        seed = sim.seed,
        made_by = made_by(),
    );
    let mut p = Page::new(
        &format!(
            "chatsim compare: {} vs {}",
            c.base.scenario.name, c.variant.scenario.name
        ),
        &format!(
            "Comparison: {} vs {}",
            c.base.scenario.name, c.variant.scenario.name
        ),
        &sub,
    );
    p.section("Sides");
    let mut t =
        HtmlTable::new(["side", "scenario", "file", "set on the command line"]).text_columns(4);
    let shared = &c.base.scenario.provenance.overrides;
    for (name, side) in [("base", &c.base), ("variant", &c.variant)] {
        // The variant's own changes: what the base was not also given.
        let sets: Vec<&String> = (side.scenario.provenance.overrides.iter())
            .filter(|o| name == "base" || !shared.contains(o))
            .collect();
        t.row(vec![
            name.to_string(),
            esc(&side.scenario.name),
            format!("<code>{}</code>", esc(&side.file)),
            if sets.is_empty() {
                "-".into()
            } else {
                let sets: Vec<&str> = sets.iter().map(|s| s.as_str()).collect();
                format!("<code>{}</code>", esc(&sets.join(" ")))
            },
        ]);
    }
    p.table(&t);
    p.note("The variant's row lists what it is given beyond the base's settings.");
    let site = |d: &&(Figure, DifferenceDoc)| d.0.scope == Scope::Site;
    let headline: Vec<&(Figure, DifferenceDoc)> = COMPARE_HEADLINE
        .iter()
        .filter_map(|m| c.differences.iter().find(|(f, _)| *f == Figure::site(*m)))
        .collect();
    let other = |d: &&(Figure, DifferenceDoc)| {
        significant(&d.0, &d.1) && !(site(d) && COMPARE_HEADLINE.contains(&d.0.metric))
    };
    let (others, groups): (Vec<_>, Vec<_>) = c.differences.iter().filter(other).partition(site);
    p.section("Headline figures");
    p.table(&differences(&headline));
    p.section("Other significant differences");
    if others.is_empty() {
        p.note("No other site-wide figure differs significantly.");
    } else {
        p.table(&differences(&others));
    }
    p.section("Teams and streams: significant differences");
    if groups.is_empty() {
        p.note("No team's or stream's figure differs significantly.");
    } else {
        p.table(&differences(&groups));
    }
    p.note("<code>compare.json</code> has every figure, significant or not, with full precision.");
    p.finish()
}

/// Significant, and large enough to print: a difference that prints as zero is not called
/// significant, however consistent it was (as in the terminal).
fn significant(f: &Figure, d: &DifferenceDoc) -> bool {
    d.significant
        && d.diff
            .is_some_and(|v| !figure::prints_as_zero(f.metric.unit(), v))
}

fn differences(rows: &[&(Figure, DifferenceDoc)]) -> HtmlTable {
    let mut t = HtmlTable::new([
        "figure",
        "base",
        "variant",
        "difference",
        "95% interval",
        "significant",
    ]);
    for (f, d) in rows {
        let unit = f.metric.unit();
        let signed = |v: f64| figure::signed(unit, v);
        let verdict = if significant(f, d) {
            let worse = match (f.metric.worse(), d.diff) {
                (Some(Worse::Higher), Some(v)) => Some(v > 0.0),
                (Some(Worse::Lower), Some(v)) => Some(v < 0.0),
                _ => None,
            };
            match worse {
                Some(true) => "<strong>yes</strong>, worse",
                Some(false) => "<strong>yes</strong>, better",
                None => "<strong>yes</strong>",
            }
        } else {
            "no"
        };
        t.row(vec![
            breakable(&f.name()),
            value_cell(unit, d.base),
            value_cell(unit, d.variant),
            d.diff.map_or("-".into(), signed),
            d.ci95.map_or("-".into(), |[lo, hi]| {
                format!("<span class=\"ci\">[{}, {}]</span>", signed(lo), signed(hi))
            }),
            verdict.to_string(),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(base: f64, variant: f64, ci95: [f64; 2]) -> DifferenceDoc {
        DifferenceDoc {
            base: Some(base),
            variant: Some(variant),
            diff: Some(variant - base),
            ci95: Some(ci95),
            significant: ci95[0] > 0.0 || ci95[1] < 0.0,
        }
    }

    fn page(differences: &[(Figure, DifferenceDoc)]) -> String {
        let base = crate::scenario::load_with(None, &[]).unwrap();
        let mut variant = base.clone();
        variant.name = "cap <5>".into();
        variant.provenance.overrides = vec!["package.cap=5".into()];
        compare_html(&ComparePage {
            base: Side {
                file: "default.toml".into(),
                scenario: &base,
            },
            variant: Side {
                file: "default.toml".into(),
                scenario: &variant,
            },
            differences,
        })
    }

    #[test]
    fn headline_figures_first_then_the_significant_others() {
        let team = Figure {
            metric: Metric::FallbackRate,
            scope: Scope::Team("sales".into()),
            window: None,
        };
        let html = page(&[
            (
                Figure::site(Metric::Visitors),
                doc(100.0, 100.0, [0.0, 0.0]),
            ),
            (
                Figure::site(Metric::FallbackRate),
                doc(0.10, 0.04, [-0.07, -0.05]),
            ),
            (Figure::site(Metric::Requests), doc(50.0, 51.0, [-2.0, 4.0])),
            (Figure::site(Metric::Abandoned), doc(9.0, 12.0, [2.0, 4.0])),
            (team, doc(0.2, 0.3, [0.05, 0.15])),
        ]);
        assert!(html.contains("Comparison: default vs cap &lt;5&gt;"));
        assert!(html.contains("<code>package.cap=5</code>"));
        let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
        // Headline figures in COMPARE_HEADLINE's order, significant or not.
        assert!(at("<td>requests</td>") < at("<td>fallback_<wbr>rate</td>"));
        let fallback = &html[at("<td>fallback_<wbr>rate</td>")..];
        let fallback = &fallback[..fallback.find("</tr>").unwrap()];
        assert!(fallback.contains("<td>10.00%</td><td>4.00%</td><td>-6.00 pp</td>"));
        assert!(fallback.contains("[-7.00 pp, -5.00 pp]"));
        assert!(fallback.contains("yes</strong>, better"), "{fallback}");
        // Then the other significant ones, site-wide and per team; an unchanged one is not.
        assert!(at("Other significant") < at("<td>abandoned</td>"));
        assert!(html[at("<td>abandoned</td>")..].contains("yes</strong></td>"));
        assert!(at("Teams and streams") < at("teams.<wbr>sales.<wbr>fallback_<wbr>rate"));
        assert!(html.contains(", worse"));
        assert!(!html.contains("<td>visitors</td>"));
    }
}
