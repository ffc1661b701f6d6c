//! `[[expect]]` tables: bounds that `chatsim check` holds a scenario's figures to. The names
//! depend on the scenario's teams and streams, so they are checked against the finished
//! scenario's own vocabulary.

use crate::figure::{Figure, Uses, group_metrics};

use super::error::Problem;
use super::fields::listing;
use super::raw::RawExpect;
use super::{Expectation, Scenario};

/// The expectations `raw`, the `i`th in window `windows[i]`.
pub(crate) fn expectations(
    raw: &[RawExpect],
    windows: &[Option<usize>],
    sc: &Scenario,
) -> Result<Vec<Expectation>, Problem> {
    raw.iter()
        .zip(windows)
        .enumerate()
        .map(|(i, (e, &window))| {
            let at = format!("expect[{i}]");
            let metric = sc
                .figure(&e.metric)
                .map_err(|why| Problem::new(format!("{at}.metric"), why))?;
            for (side, v) in [("min", e.min), ("max", e.max)] {
                if v.is_some_and(|v| !v.is_finite()) {
                    return Err(Problem::new(
                        format!("{at}.{side}"),
                        "expected a finite number",
                    ));
                }
            }
            match (e.min, e.max) {
                (None, None) => Err(Problem::new(
                    at,
                    format!(
                        "expected a bound on {}: min, max or both (like max = 0.05)",
                        e.metric
                    ),
                )),
                (Some(lo), Some(hi)) if lo > hi => Err(Problem::new(
                    format!("{at}.min"),
                    format!("min ({lo}) is above max ({hi}): no value could pass"),
                )),
                _ => Ok(Expectation {
                    metric: match window {
                        Some(w) => metric.in_window(&sc.windows[w].text),
                        None => metric,
                    },
                    min: e.min,
                    max: e.max,
                }),
            }
        })
        .collect()
}

impl Scenario {
    /// The figure of this scenario's summary named `name`; if there is none, a message with the
    /// closest name and the valid ones. Every name a user gives (`[[expect]]`, `--target`,
    /// `--metric`) is read here, so a typo is caught before anything runs.
    pub fn figure(&self, name: &str) -> Result<Figure, String> {
        let teams: Vec<&str> = self.teams.iter().map(|t| t.name.as_str()).collect();
        let streams: Vec<&str> = self.streams.iter().map(|s| s.name.as_str()).collect();
        let uses = self.uses();
        Figure::parse(name, &teams, &streams, uses)
            .ok_or_else(|| unknown_metric(name, &teams, &streams, uses))
    }
}

/// The message for a name that is not a figure: the closest name, if one is close, and every
/// valid name, with the per-team and per-stream ones as a pattern rather than in full.
fn unknown_metric(metric: &str, teams: &[&str], streams: &[&str], uses: Uses) -> String {
    let names: Vec<String> = Figure::summary(teams, streams, uses)
        .iter()
        .map(Figure::name)
        .collect();
    let closest = names
        .iter()
        .map(|n| (strsim::jaro_winkler(metric, n), n))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| format!(" (did you mean {n:?}?)"))
        .unwrap_or_default();
    let grouped = |kind: &str, group: &str, members: &[&str]| {
        if members.is_empty() {
            String::new()
        } else {
            format!(
                "; per {group}: {kind}.<{group}>.<name> for {kind} {}",
                listing(members)
            )
        }
    };
    let site: Vec<String> = Figure::summary(&[], &[], uses)
        .iter()
        .map(Figure::name)
        .collect();
    let groups = format!(
        "{}{}",
        grouped("teams", "team", teams),
        grouped("streams", "stream", streams)
    );
    let outcome_names = if groups.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = group_metrics().iter().map(|m| m.name()).collect();
        format!(", with <name> one of {}", names.join(", "))
    };
    format!(
        "unknown metric {metric:?}{closest}; valid names: {}{groups}{outcome_names}",
        site.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::figure::{Figure, Metric, Scope};
    use crate::scenario::{Expectation, ScenarioError, parse_str};

    const BASE: &str = r#"
[arrivals]
per_hour = 10
[[streams]]
name = "pricing"
share = 0.5
live_chat = 0.5
routing = { mode = "team", team = "sales" }
[[streams]]
name = "support"
share = 0.5
live_chat = 0.5
routing = { mode = "team", team = "emea" }
[[agents]]
name = "sales"
team = "sales"
[[agents]]
name = "emea"
team = "emea"
"#;

    fn with_expect(block: &str) -> Result<Vec<Expectation>, ScenarioError> {
        let text = format!("{BASE}\n{block}");
        parse_str(&text, "default", Path::new("."), &[]).map(|sc| sc.expect)
    }

    #[test]
    fn reads_bounds_in_file_order() {
        let e = with_expect(
            "[[expect]]\nmetric = \"fallback_rate\"\nmax = 0.2\n\
             [[expect]]\nmetric = \"teams.emea.engaged_rate\"\nmin = 0.5\nmax = 1\n",
        )
        .unwrap();
        assert_eq!(
            e,
            vec![
                Expectation {
                    metric: Figure::site(Metric::FallbackRate),
                    min: None,
                    max: Some(0.2)
                },
                Expectation {
                    metric: Figure {
                        metric: Metric::EngagedRate,
                        scope: Scope::Team("emea".into()),
                        window: None,
                    },
                    min: Some(0.5),
                    max: Some(1.0)
                },
            ]
        );
        assert!(with_expect("").unwrap().is_empty());
    }

    #[test]
    fn unknown_metric_lists_the_valid_names_and_the_closest() {
        let msg = with_expect("[[expect]]\nmetric = \"fallback_rte\"\nmax = 0.2\n")
            .unwrap_err()
            .to_string();
        for part in [
            "expect[0].metric (line",
            "unknown metric \"fallback_rte\"",
            "did you mean \"fallback_rate\"",
            "visitors, requests",
            "teams.<team>.<name> for teams sales, emea",
            "streams.<stream>.<name> for streams pricing, support",
            "abandoned_rate",
        ] {
            assert!(msg.contains(part), "{part:?} not in {msg}");
        }
        let msg = with_expect("[[expect]]\nmetric = \"teams.apac.fallback_rate\"\nmax = 0.2\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("unknown metric \"teams.apac.fallback_rate\""),
            "{msg}"
        );
    }

    #[test]
    fn a_bound_is_required_and_min_must_not_exceed_max() {
        let msg = with_expect("[[expect]]\nmetric = \"fallback_rate\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("expect[0]") && msg.contains("min, max or both"),
            "{msg}"
        );
        let msg = with_expect("[[expect]]\nmetric = \"fallback_rate\"\nmin = 0.3\nmax = 0.2\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("expect[0].min (line") && msg.contains("above max"),
            "{msg}"
        );
        let msg = with_expect("[[expect]]\nmetric = \"fallback_rate\"\nmax = 0.2\nmean = 1\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("mean"), "{msg}");
    }
}
