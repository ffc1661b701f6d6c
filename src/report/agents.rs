//! `agents.csv`: one row per agent, each figure the mean per replication.

use crate::figure::Metric;
use crate::model::Tally;
use crate::report::reader::{At, Reader};
use crate::report::table::{Column, Table};
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
    let columns = vec![
        Column::new(Metric::Offers),
        Column::new(Metric::OffersAccepted),
        Column::new(Metric::OffersMissed),
        Column::new(Metric::OffersDeclined),
        Column::new(Metric::OffersTimedOut),
        Column::new(Metric::OffersWithdrawn),
        Column::new(Metric::Engaged),
        Column::new(Metric::OnlineHours),
        Column::new(Metric::AtCapHours),
        Column::with_interval(Metric::CapSaturation),
        Column::new(Metric::Occupancy),
        Column::new(Metric::ChatsPerAgent),
        Column::new(Metric::ChattingShare),
        Column::new(Metric::LiveChats),
        Column::new(Metric::ResponseTime),
        Column::new(Metric::ChatLength),
    ];
    let reader = Reader::new(sc);
    Table::build(
        "agent",
        vec!["team", "cap"],
        names,
        At::Agent,
        columns,
        &reader,
        tallies,
    )
}
