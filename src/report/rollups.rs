//! `teams.csv` and `streams.csv`: requests and their outcomes per team and per stream, named
//! after the product's own dashboard figures, each the mean per replication. Teams also roll up
//! their agents' offers and time.

use std::rc::Rc;

use crate::model::{Outcomes, Reason, Tally};
use crate::report::table::{Column, Table, ratio};
use crate::scenario::Scenario;

pub fn teams_table(sc: &Scenario, tallies: &[Tally]) -> Table {
    let names = sc
        .teams
        .iter()
        .map(|t| (t.name.clone(), vec![t.members.len().to_string()]))
        .collect();
    let mut columns = outcome_columns(|t, i| &t.teams[i]);
    let members: Rc<Vec<Vec<usize>>> = Rc::new(
        sc.teams
            .iter()
            .map(|t| t.members.iter().map(|&a| a as usize).collect())
            .collect(),
    );
    let caps: Rc<Vec<f64>> = Rc::new(sc.agents.iter().map(|a| a.cap as f64).collect());
    let sum = |name: &str, f: fn(&Tally, usize) -> f64| {
        let members = members.clone();
        Column::new(
            name,
            Box::new(move |t: &Tally, i| Some(members[i].iter().map(|&a| f(t, a)).sum())),
        )
    };
    columns.extend([
        sum("offers", |t, a| t.agents[a].offers as f64),
        sum("offers_missed", |t, a| t.agents[a].missed as f64),
        sum("offers_declined", |t, a| t.agents[a].declined as f64),
        sum("offers_timed_out", |t, a| t.agents[a].too_slow as f64),
        sum("online_agent_h", |t, a| {
            t.agents[a].online.area_secs() / 3600.0
        }),
    ]);
    let m = members.clone();
    columns.push(
        Column::new(
            "at_cap_share",
            Box::new(move |t, i| {
                let (at_cap, online) = m[i].iter().fold((0.0, 0.0), |(c, o), &a| {
                    let x = &t.agents[a];
                    (c + x.at_cap.area_secs(), o + x.online.area_secs())
                });
                ratio(at_cap, online)
            }),
        )
        .with_interval(),
    );
    columns.push(Column::new(
        "occupancy_share",
        Box::new(move |t, i| {
            let (busy, slots) = members[i].iter().fold((0.0, 0.0), |(b, s), &a| {
                let x = &t.agents[a];
                (b + x.busy.area_secs(), s + x.online.area_secs() * caps[a])
            });
            ratio(busy, slots)
        }),
    ));
    Table::build("team", vec!["agents"], names, columns, tallies)
}

pub fn streams_table(sc: &Scenario, tallies: &[Tally]) -> Table {
    let names = sc
        .streams
        .iter()
        .map(|s| (s.name.clone(), Vec::new()))
        .collect();
    let columns = outcome_columns(|t, i| &t.streams[i]);
    Table::build("stream", Vec::new(), names, columns, tallies)
}

/// The request figures of the outcomes `of(tally, row)`.
fn outcome_columns(of: fn(&Tally, usize) -> &Outcomes) -> Vec<Column> {
    let count = |name: &str, f: fn(&Outcomes) -> u64| {
        Column::new(name, Box::new(move |t: &Tally, i| Some(f(of(t, i)) as f64)))
    };
    let mut c = vec![
        count("requested_live_chats", |o| o.requests),
        count("connected_live_chats", |o| o.engaged),
        count("missed_requests", |o| o.fallbacks() + o.abandoned),
        count("fallback", |o| o.fallbacks()),
        Column::new(
            "fallback_rate",
            Box::new(move |t, i| {
                let o = of(t, i);
                ratio(o.fallbacks() as f64, o.requests as f64)
            }),
        )
        .with_interval(),
    ];
    for r in Reason::ALL {
        c.push(Column::new(
            format!("fallback_{}", r.name()),
            Box::new(move |t, i| Some(of(t, i).fallback[r.index()] as f64)),
        ));
    }
    c.extend([
        count("abandoned", |o| o.abandoned),
        count("retry_attempts", |o| o.retry_attempts),
        count("retry_rescued", |o| o.rescued),
        count("retry_failed", |o| o.retry_failed),
        count("meetings_booked", |o| o.meetings),
        Column::new(
            "avg_chat_length_min",
            Box::new(move |t, i| {
                let o = of(t, i);
                ratio(o.chat_length_sum_s / 60.0, o.engaged as f64)
            }),
        ),
        Column::new(
            "avg_agent_response_s",
            Box::new(move |t, i| {
                let o = of(t, i);
                ratio(o.response_sum_s, o.engaged as f64)
            }),
        ),
    ]);
    c
}
