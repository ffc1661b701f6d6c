//! What `roster` leaves behind beside the scenario it writes: `roster.csv`, each team's shift
//! patterns with their head counts, and `roster.json`, each team's paid hours against the
//! linear-programming bound and how the rostered scenario did when simulated.

use indexmap::IndexMap;
use serde::Serialize;

use crate::report::Estimate;

/// One shift pattern of a team's roster.
pub struct RosterRow {
    pub team: String,
    /// The scenario group that carries it.
    pub group: String,
    /// As the schedule syntax writes it: `mon-fri 08:00-16:00`.
    pub schedule: String,
    pub time_zone: String,
    pub length_h: f64,
    pub days: u32,
    pub agents: u32,
    /// Paid hours a week of all its agents.
    pub paid_hours: f64,
    pub cost: f64,
}

/// `team,group,schedule,time_zone,length_h,days,agents,paid_hours,cost`.
pub fn roster_csv(rows: &[RosterRow]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "team",
        "group",
        "schedule",
        "time_zone",
        "length_h",
        "days",
        "agents",
        "paid_hours",
        "cost",
    ])?;
    for r in rows {
        w.write_record([
            r.team.clone(),
            r.group.clone(),
            r.schedule.clone(),
            r.time_zone.clone(),
            r.length_h.to_string(),
            r.days.to_string(),
            r.agents.to_string(),
            r.paid_hours.to_string(),
            r.cost.to_string(),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// `roster.json`.
#[derive(Serialize)]
pub struct RosterDoc {
    pub scenario: String,
    /// The scenario written, relative to the roster's folder.
    pub roster_scenario: String,
    pub targets: Vec<String>,
    pub teams: IndexMap<String, TeamRoster>,
    /// The rostered scenario as simulated.
    pub simulated: Simulated,
}

#[derive(Serialize)]
pub struct TeamRoster {
    pub agents: u32,
    pub paid_hours: f64,
    pub cost: f64,
    /// The cost of the covering problem's linear relaxation: no roster costs less.
    pub lower_bound: f64,
    /// How far above the bound the roster is: cost / lower_bound - 1.
    pub gap: f64,
    /// Paid hours / contract hours.
    pub fte: f64,
    pub shrinkage: f64,
    /// Intervals of the requirements not covered: not met even at the most agents `require`
    /// could give them, so head count has no known answer there.
    pub left_out: usize,
    /// Intervals with requests in the simulated roster, and how many meet every target with
    /// 95% confidence and in the mean.
    pub intervals: usize,
    pub met: usize,
    pub met_in_mean: usize,
    pub fallback_rate: Option<Estimate>,
}

#[derive(Serialize)]
pub struct Simulated {
    pub replications: usize,
    /// Share of all teams' intervals with requests that meet every target with confidence,
    /// and in the mean.
    pub share_met: f64,
    pub share_met_in_mean: f64,
    pub fallback_rate: Option<Estimate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_is_one_row() {
        let rows = [RosterRow {
            team: "emea".into(),
            group: "emea-mon-fri-0800".into(),
            schedule: "mon-fri 08:00-16:00".into(),
            time_zone: "Europe/Berlin".into(),
            length_h: 8.0,
            days: 5,
            agents: 3,
            paid_hours: 120.0,
            cost: 120.0,
        }];
        let text = String::from_utf8(roster_csv(&rows).unwrap()).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("emea,emea-mon-fri-0800,mon-fri 08:00-16:00,Europe/Berlin,8,5,3,120,120")
        );
    }
}
