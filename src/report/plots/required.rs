//! `require`'s plot: per team, the agents online each interval of the week requires against
//! the agents online as the scenario schedules them, one panel per team, the week in UTC.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key, builder, mesh};
use super::style::{self, BLUE, VERMILION, WIDTH};
use super::{DrawResult, Plot};
use crate::report::requirements::RequirementTable;
use crate::scenario::DAY_NAMES;

pub struct Required<'a> {
    pub table: &'a RequirementTable,
    /// The teams, in the table's order.
    pub teams: Vec<String>,
}

const PANEL_HEIGHT: u32 = 260;

impl Required<'_> {
    /// Per row of `team`: the day of the UTC week it starts (Monday 0), required, scheduled.
    fn points(&self, team: &str) -> Vec<(f64, f64, f64)> {
        let day_ms = 86_400_000.0;
        self.table
            .rows
            .iter()
            .filter(|r| r.team == team)
            .map(|r| {
                let z = r.first.to_zoned_datetime(jiff::tz::TimeZone::UTC);
                let day = z.weekday().to_monday_zero_offset() as f64
                    + (z.hour() as f64 * 3_600_000.0 + z.minute() as f64 * 60_000.0) / day_ms;
                (day, r.required as f64, r.scheduled.unwrap_or(0.0))
            })
            .collect()
    }
}

/// A step line through `(x, y)` held for `width` days after each x.
fn steps(points: &[(f64, f64)], width: f64) -> Vec<(f64, f64)> {
    points
        .iter()
        .flat_map(|&(x, y)| [(x, y), (x + width, y)])
        .collect()
}

impl Plot for Required<'_> {
    fn name(&self) -> &'static str {
        "required_agents"
    }

    fn title(&self) -> String {
        "Agents online required per interval, against the schedule".into()
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, 130 + PANEL_HEIGHT * self.teams.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let body = style::heading(
            root,
            &self.title(),
            Some(
                "the fewest agents online that meet every target in the interval with 95% confidence",
            ),
        )?;
        let body = chart::legend_strip(
            &body,
            &[
                ("required".to_string(), Key::Line(VERMILION)),
                ("online as scheduled".to_string(), Key::Line(BLUE)),
            ],
        )?;
        let width = self.table.width_ms as f64 / 86_400_000.0;
        let panels = body.split_evenly((self.teams.len().max(1), 1));
        for (team, panel) in self.teams.iter().zip(&panels) {
            let points = self.points(team);
            let top = points.iter().map(|p| p.1.max(p.2)).fold(0.0, f64::max);
            let panel = panel.titled(&format!("team {team}"), style::axis_title())?;
            let mut c = builder(&panel)
                .x_label_area_size(36)
                .build_cartesian_2d(0.0..7.0, 0.0..style::top(top, 1.0))?;
            mesh(&mut c)
                .x_labels(8)
                .x_desc("day of the week (UTC)")
                .y_desc("agents online")
                .x_label_formatter(&|x: &f64| {
                    let d = x.round() as usize;
                    if (x - x.round()).abs() < 1e-9 && d < 7 {
                        DAY_NAMES[d][..3].to_string()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&style::tick)
                .draw()?;
            let scheduled: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.2)).collect();
            let required: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.1)).collect();
            chart::line(&mut c, steps(&scheduled, width), BLUE, 2)?;
            chart::line(&mut c, steps(&required, width), VERMILION, 3)?;
        }
        Ok(())
    }
}
