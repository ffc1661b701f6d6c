//! `agents.csv`: one row per agent, each figure the mean per replication.

use crate::model::{AgentTally, Tally};
use crate::report::table::{Column, Table, ratio};
use crate::scenario::Scenario;

pub fn agents_table(sc: &Scenario, tallies: &[Tally]) -> Table {
    let names = sc
        .agents
        .iter()
        .map(|a| {
            let team = a.team.map(|t| sc.teams[t as usize].name.clone());
            (
                a.name.clone(),
                vec![team.unwrap_or_default(), a.cap.to_string()],
            )
        })
        .collect();
    let caps: Vec<f64> = sc.agents.iter().map(|a| a.cap as f64).collect();
    Table::build(
        "agent",
        vec!["team", "cap"],
        names,
        agent_columns(move |i| caps[i]),
        tallies,
    )
}

/// The per-agent figures; `cap(i)` is agent `i`'s cap.
fn agent_columns(cap: impl Fn(usize) -> f64 + 'static) -> Vec<Column> {
    fn count(name: &str, f: fn(&AgentTally) -> u64) -> Column {
        Column::new(
            name,
            Box::new(move |t: &Tally, i| Some(f(&t.agents[i]) as f64)),
        )
    }
    vec![
        count("offers", |a| a.offers),
        count("accepted", |a| a.accepted),
        count("missed", |a| a.missed),
        count("declined", |a| a.declined),
        count("timed_out", |a| a.too_slow),
        count("withdrawn", |a| a.withdrawn),
        count("engaged", |a| a.engaged),
        Column::new(
            "online_h",
            Box::new(|t, i| Some(t.agents[i].online.area_secs() / 3600.0)),
        ),
        Column::new(
            "at_cap_h",
            Box::new(|t, i| Some(t.agents[i].at_cap.area_secs() / 3600.0)),
        ),
        Column::new(
            "at_cap_share",
            Box::new(|t, i| {
                let a = &t.agents[i];
                ratio(a.at_cap.area_secs(), a.online.area_secs())
            }),
        )
        .with_interval(),
        Column::new(
            "occupancy_share",
            Box::new(move |t, i| {
                let a = &t.agents[i];
                ratio(a.busy.area_secs(), a.online.area_secs() * cap(i))
            }),
        ),
        Column::new(
            "avg_agent_response_s",
            Box::new(|t, i| {
                let a = &t.agents[i];
                ratio(a.response_sum_s, a.accepted as f64)
            }),
        ),
        Column::new(
            "avg_chat_length_min",
            Box::new(|t, i| {
                let a = &t.agents[i];
                ratio(a.chat_length_sum_s / 60.0, a.engaged as f64)
            }),
        ),
    ]
}
