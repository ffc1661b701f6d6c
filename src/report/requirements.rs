//! What `require` leaves behind: `requirements.csv`, one row per team and interval of the week
//! with the agents online it requires, how that stands and the figures there, and
//! `requirements.json`, the totals planners quote (agent-hours and full-time equivalents per
//! team) and what `roster` needs to read the table back.

use indexmap::IndexMap;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::figure::{self, Metric};
use crate::report::intervals::{CALENDAR_COLUMNS, calendar_cells};
use crate::stats::Summary;

pub struct RequirementTable {
    /// How long an interval is, in milliseconds.
    pub width_ms: u64,
    /// The figures each row gives, at the agents required and as scheduled.
    pub columns: Vec<Metric>,
    pub rows: Vec<RequirementRow>,
}

pub struct RequirementRow {
    pub team: String,
    /// Its first start in the counted time.
    pub first: Timestamp,
    /// The team's time zone, for the local weekday and time.
    pub zone: TimeZone,
    pub required: u32,
    /// Agents online on average as the scenario schedules them.
    pub scheduled: Option<f64>,
    /// `met`, `inconclusive` or `unreachable`.
    pub status: &'static str,
    pub why: String,
    /// Per column: at the agents required, then as scheduled.
    pub figures: Vec<Option<Summary>>,
    pub as_scheduled: Vec<Option<Summary>>,
}

/// `team,weekday,start,end` (UTC), `first_start` (ISO 8601), `time_zone,local_weekday,
/// local_start`, `required,scheduled_online,status,why`, then `<figure>_mean,_ci95_lo,_ci95_hi`
/// at the agents required and `<figure>_scheduled` (the mean as scheduled) for each figure.
pub fn requirements_csv(t: &RequirementTable) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = std::iter::once("team")
        .chain(CALENDAR_COLUMNS)
        .chain(["required", "scheduled_online", "status", "why"])
        .map(String::from)
        .collect();
    for c in &t.columns {
        let name = c.column(figure::Table::Series);
        header.extend(["mean", "ci95_lo", "ci95_hi", "scheduled"].map(|s| format!("{name}_{s}")));
    }
    w.write_record(&header)?;
    for r in &t.rows {
        let mut row = vec![r.team.clone()];
        row.extend(calendar_cells(r.first, t.width_ms, &r.zone));
        row.extend([
            r.required.to_string(),
            r.scheduled.map_or(String::new(), |x| x.to_string()),
            r.status.to_string(),
            r.why.clone(),
        ]);
        for (at, scheduled) in r.figures.iter().zip(&r.as_scheduled) {
            match at {
                Some(s) => row.extend([s.mean, s.ci95[0], s.ci95[1]].map(|x| x.to_string())),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
            row.push(scheduled.map_or(String::new(), |s| s.mean.to_string()));
        }
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

/// `requirements.json`.
#[derive(Serialize, Deserialize)]
pub struct RequirementsDoc {
    pub scenario: String,
    /// The fingerprint of the scenario as searched (its text and overrides): which version of
    /// it the requirements are of. `roster` checks the scenario's name only, so that it may be
    /// given other flags.
    pub fingerprint: String,
    /// Seconds per interval.
    pub interval_s: u64,
    pub targets: Vec<String>,
    /// Replications behind the final figures, and staffings simulated.
    pub replications: u64,
    pub simulations: usize,
    /// Hours per week of one full-time contract, and what FTEs are counted against.
    pub contract_hours: f64,
    pub teams: IndexMap<String, TeamRequirement>,
}

/// A team's week of requirements in the totals planners quote.
#[derive(Serialize, Deserialize)]
pub struct TeamRequirement {
    pub time_zone: String,
    /// Agent-hours online a week the requirement adds up to.
    pub agent_hours: f64,
    /// Share of paid time lost to breaks and meetings, that FTEs add back.
    pub shrinkage: f64,
    /// Full-time equivalents: agent-hours / (contract hours x (1 - shrinkage)).
    pub fte: f64,
    /// The most agents any interval requires, and the most the search could give one.
    pub peak: u32,
    pub max_agents: u32,
    /// The agent-hours the scenario schedules, for comparison.
    pub scheduled_hours: f64,
    pub met: usize,
    pub inconclusive: usize,
    pub unreachable: usize,
}

impl TeamRequirement {
    /// FTEs for `agent_hours` on `contract_hours` a week with `shrinkage`.
    pub fn fte(agent_hours: f64, contract_hours: f64, shrinkage: f64) -> f64 {
        agent_hours / (contract_hours * (1.0 - shrinkage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_reads_on_the_calendar_in_utc_and_local_time() {
        // A week before Berlin's clocks go forward: UTC+1.
        let s = Summary::of([0.02, 0.04]).unwrap();
        let t = RequirementTable {
            width_ms: 3_600_000,
            columns: vec![Metric::FallbackRate],
            rows: vec![RequirementRow {
                team: "emea".into(),
                first: "2024-03-25T07:00:00Z".parse().unwrap(),
                zone: TimeZone::get("Europe/Berlin").unwrap(),
                required: 4,
                scheduled: Some(3.0),
                status: "met",
                why: String::new(),
                figures: vec![Some(s)],
                as_scheduled: vec![None],
            }],
        };
        let text = String::from_utf8(requirements_csv(&t).unwrap()).unwrap();
        let mut lines = text.lines();
        assert!(lines.next().unwrap().ends_with(
            "fallback_rate_mean,fallback_rate_ci95_lo,fallback_rate_ci95_hi,fallback_rate_scheduled"
        ));
        let row = lines.next().unwrap();
        assert!(
            row.starts_with(
                "emea,mon,07:00,08:00,2024-03-25T07:00:00Z,Europe/Berlin,mon,08:00,4,3,met,,0.03"
            ),
            "{row}"
        );
        assert!(row.ends_with(','), "no figure as scheduled: {row}");
        assert!((TeamRequirement::fte(60.0, 40.0, 0.25) - 2.0).abs() < 1e-12);
    }
}
