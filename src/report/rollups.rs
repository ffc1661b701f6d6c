//! `teams.csv` and `streams.csv`: requests and their outcomes per team and per stream, named
//! after the product's own dashboard figures, each the mean per replication. Teams also roll up
//! their agents' offers and time. report.html also shows each team's fallback rate by reason.

use crate::figure::{Metric, Reason};
use crate::model::Tally;
use crate::report::reader::{At, Reader};
use crate::report::table::{Column, Table};
use crate::scenario::Scenario;

pub fn teams_table(sc: &Scenario, tallies: &[Tally]) -> Table {
    let names = sc
        .teams
        .iter()
        .map(|t| (t.name.clone(), vec![t.members.len().to_string()]))
        .collect();
    let mut columns = outcome_columns();
    columns.extend([
        Column::new(Metric::Offers),
        Column::new(Metric::OffersMissed),
        Column::new(Metric::OffersDeclined),
        Column::new(Metric::OffersTimedOut),
        Column::new(Metric::OnlineHours),
        Column::with_interval(Metric::CapSaturation),
        Column::new(Metric::Occupancy),
        Column::new(Metric::ChatsPerAgent),
        Column::new(Metric::ChattingShare),
        Column::new(Metric::LiveChats),
    ]);
    let reader = Reader::new(sc);
    Table::build(
        "team",
        vec!["agents"],
        names,
        At::Team,
        columns,
        &reader,
        tallies,
    )
}

/// Each team's fallback rate, in all and by reason, with 95% intervals: report.html's view of
/// the reason counts in `teams.csv`.
pub fn team_fallbacks_table(sc: &Scenario, tallies: &[Tally]) -> Table {
    let names = sc
        .teams
        .iter()
        .map(|t| (t.name.clone(), Vec::new()))
        .collect();
    let mut columns = vec![Column::with_interval(Metric::FallbackRate)];
    columns.extend(Reason::ALL.map(|r| Column::with_interval(Metric::FallbackRateFor(r))));
    Table::build(
        "team",
        Vec::new(),
        names,
        At::Team,
        columns,
        &Reader::new(sc),
        tallies,
    )
}

pub fn streams_table(sc: &Scenario, tallies: &[Tally]) -> Table {
    let names = sc
        .streams
        .iter()
        .map(|s| (s.name.clone(), Vec::new()))
        .collect();
    let reader = Reader::new(sc);
    Table::build(
        "stream",
        Vec::new(),
        names,
        At::Stream,
        outcome_columns(),
        &reader,
        tallies,
    )
}

/// The request figures every team and stream has.
fn outcome_columns() -> Vec<Column> {
    let mut c = vec![
        Column::new(Metric::Requests),
        Column::new(Metric::Engaged),
        Column::new(Metric::MissedRequests),
        Column::new(Metric::Fallback),
        Column::with_interval(Metric::FallbackRate),
    ];
    c.extend(Reason::ALL.map(|r| Column::new(Metric::FallbackFor(r))));
    c.extend([
        Column::new(Metric::Abandoned),
        Column::new(Metric::RetryAttempts),
        Column::new(Metric::RetryRescued),
        Column::new(Metric::RetryFailed),
        Column::new(Metric::Meetings),
        Column::new(Metric::ChatLength),
        Column::new(Metric::ResponseTime),
    ]);
    c
}
