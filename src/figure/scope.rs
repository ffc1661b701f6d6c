//! What a figure is about: the whole site, one team or one stream. Room for an interval of the
//! week or a window when results become time-aware.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use super::metric::{LOAD, Metric, QUEUE, group_metrics, site_metrics};
use super::uses::Uses;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Site,
    Team(String),
    Stream(String),
}

/// A metric of a scope: one number per replication, named `fallback_rate` for the site and
/// `teams.<team>.fallback_rate` for a team.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Figure {
    pub metric: Metric,
    pub scope: Scope,
    /// The weekly window it is restricted to, as written (`mon-fri 09:00-17:00`): named
    /// `fallback_rate in [mon-fri 09:00-17:00]`. `None` for the run's own figures.
    pub window: Option<String>,
}

impl Figure {
    pub fn site(metric: Metric) -> Figure {
        Figure {
            metric,
            scope: Scope::Site,
            window: None,
        }
    }

    /// The public name.
    pub fn name(&self) -> String {
        self.to_string()
    }

    /// The figure of `summary.json` named `name` for a site with these teams and streams,
    /// using these optional features.
    pub fn parse(name: &str, teams: &[&str], streams: &[&str], uses: Uses) -> Option<Figure> {
        if let Some(m) = Metric::parse(name).filter(|m| in_summary(*m, uses)) {
            return Some(Figure::site(m));
        }
        let group = |prefix: &str, names: &[&str], scope: fn(String) -> Scope| {
            let rest = name.strip_prefix(prefix)?;
            let extra = match prefix {
                "teams." => uses.team_metrics(),
                _ => Vec::new(),
            };
            names.iter().find_map(|g| {
                let m = rest.strip_prefix(g)?.strip_prefix('.')?;
                let metric = group_metrics()
                    .into_iter()
                    .chain(extra.iter().copied())
                    .find(|x| x.name() == m)?;
                Some(Figure {
                    metric,
                    scope: scope(g.to_string()),
                    window: None,
                })
            })
        };
        group("teams.", teams, Scope::Team).or_else(|| group("streams.", streams, Scope::Stream))
    }

    /// Every figure of `summary.json`, in its order, for a site with these teams and streams
    /// using these optional features: theirs come last, so that a scenario that uses none has
    /// the figures it always had.
    pub fn summary(teams: &[&str], streams: &[&str], uses: Uses) -> Vec<Figure> {
        let groups = teams
            .iter()
            .map(|t| Scope::Team(t.to_string()))
            .chain(streams.iter().map(|s| Scope::Stream(s.to_string())));
        let mut all: Vec<Figure> = site_metrics().into_iter().map(Figure::site).collect();
        for scope in groups {
            all.extend(group_metrics().into_iter().map(|metric| Figure {
                metric,
                scope: scope.clone(),
                window: None,
            }));
        }
        all.extend(QUEUE.into_iter().map(Figure::site));
        all.extend(LOAD.into_iter().map(Figure::site));
        all.extend(uses.site_metrics().into_iter().map(Figure::site));
        for t in teams {
            all.extend(uses.team_metrics().into_iter().map(|metric| Figure {
                metric,
                scope: Scope::Team(t.to_string()),
                window: None,
            }));
        }
        all
    }
}

/// Reads any figure name of `summary.json` without knowing the site's teams and streams (a
/// stored file's names): a team or stream name ends where the rest is a request metric.
impl FromStr for Figure {
    type Err = String;

    fn from_str(name: &str) -> Result<Figure, String> {
        if let Some((base, window)) = name
            .strip_suffix(']')
            .and_then(|n| n.split_once(WINDOW_OPEN))
        {
            let base: Figure = base.parse()?;
            return Ok(base.in_window(window));
        }
        if let Some(m) = Metric::parse(name).filter(|m| in_summary(*m, Uses::ALL)) {
            return Ok(Figure::site(m));
        }
        let group = |prefix: &str, scope: fn(String) -> Scope| {
            let rest = name.strip_prefix(prefix)?;
            let extra = match prefix {
                "teams." => Uses::ALL.team_metrics(),
                _ => Vec::new(),
            };
            rest.match_indices('.').find_map(|(i, _)| {
                let m = &rest[i + 1..];
                let metric = group_metrics()
                    .into_iter()
                    .chain(extra.iter().copied())
                    .find(|x| x.name() == m)?;
                Some(Figure {
                    metric,
                    scope: scope(rest[..i].to_string()),
                    window: None,
                })
            })
        };
        group("teams.", Scope::Team)
            .or_else(|| group("streams.", Scope::Stream))
            .ok_or_else(|| format!("{name:?} is not a figure of summary.json"))
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Whether the site-wide metric is in `summary.json` of a scenario using `uses`.
fn in_summary(m: Metric, uses: Uses) -> bool {
    site_metrics().contains(&m)
        || QUEUE.contains(&m)
        || LOAD.contains(&m)
        || uses.site_metrics().contains(&m)
}

/// Where a windowed figure's name gives its window.
const WINDOW_OPEN: &str = " in [";

impl Figure {
    /// This figure restricted to the window written `window`.
    pub fn in_window(self, window: &str) -> Figure {
        Figure {
            window: Some(window.to_string()),
            ..self
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scope {
            Scope::Site => write!(f, "{}", self.metric)?,
            Scope::Team(t) => write!(f, "teams.{t}.{}", self.metric)?,
            Scope::Stream(s) => write!(f, "streams.{s}.{}", self.metric)?,
        }
        match &self.window {
            Some(w) => write!(f, "{WINDOW_OPEN}{w}]"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Reason;

    #[test]
    fn names_parse_back_to_their_figures() {
        let teams = ["sales", "emea.north"];
        let streams = ["pricing"];
        for f in Figure::summary(&teams, &streams, Uses::ALL) {
            assert_eq!(
                Figure::parse(&f.name(), &teams, &streams, Uses::ALL),
                Some(f)
            );
        }
        assert_eq!(
            Figure::parse(
                "teams.emea.north.fallback_rate.at_cap",
                &teams,
                &streams,
                Uses::default()
            ),
            Some(Figure {
                metric: Metric::FallbackRateFor(Reason::AtCap),
                scope: Scope::Team("emea.north".into()),
                window: None,
            })
        );
        for f in Figure::summary(&teams, &streams, Uses::ALL) {
            assert_eq!(f.name().parse(), Ok(f));
        }
        for unknown in [
            "fallback_rte",
            "teams.apac.fallback_rate",
            "teams.sales.occupancy",
            "offers",
        ] {
            assert_eq!(
                Figure::parse(unknown, &teams, &streams, Uses::ALL),
                None,
                "{unknown}"
            );
        }
    }

    #[test]
    fn summary_keeps_its_public_order() {
        let names: Vec<String> = Figure::summary(&["t"], &["s"], Uses::default())
            .iter()
            .map(Figure::name)
            .collect();
        assert_eq!(
            names[..5],
            ["visitors", "requests", "engaged", "abandoned", "fallback"]
        );
        assert_eq!(names[5], "fallback.no_rule");
        let at = |n: &str| names.iter().position(|x| x == n).unwrap();
        assert!(at("trial.exhausted_at_s") < at("teams.t.requests"));
        assert!(at("teams.t.abandoned_rate") < at("streams.s.requests"));
        assert!(at("streams.s.abandoned_rate") < at("queue.queued"));
        assert_eq!(names.last().unwrap(), "chatting_share");
    }

    #[test]
    fn a_features_figures_appear_only_when_it_is_used_and_after_all_others() {
        let none = Figure::summary(&["t"], &["s"], Uses::default());
        let names = |uses| -> Vec<String> {
            Figure::summary(&["t"], &["s"], uses)
                .iter()
                .map(Figure::name)
                .collect()
        };
        let all = names(Uses::ALL);
        assert_eq!(all[..none.len()], names(Uses::default())[..]);
        assert_eq!(
            all[none.len()..],
            [
                "hidden_demand",
                "overflow.sent",
                "overflow.served",
                "teams.t.overflow.sent",
                "teams.t.overflow.served"
            ]
        );
        let only_branch = Uses {
            availability_branch: true,
            ..Uses::default()
        };
        assert_eq!(names(only_branch)[none.len()..], ["hidden_demand"]);
        // Named only where the feature is used; a stored file's names always read.
        let parse = |n, uses| Figure::parse(n, &["t"], &["s"], uses);
        assert_eq!(parse("hidden_demand", Uses::default()), None);
        assert!(parse("hidden_demand", only_branch).is_some());
        assert_eq!(parse("teams.t.overflow.sent", only_branch), None);
        assert!(parse("teams.t.overflow.sent", Uses::ALL).is_some());
        assert!("teams.t.overflow.served".parse::<Figure>().is_ok());
    }
}
