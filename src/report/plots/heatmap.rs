//! The week as a planner reads it: weekday against hour of day, one panel for the site and one
//! per team, each team in its own time zone, coloured by the fallback rate or by the agents
//! online in each interval of `intervals.csv`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{builder, mesh};
use super::style::{self, HEIGHT, WIDTH};
use super::{DrawResult, Plot};
use crate::figure::Metric;
use crate::report::intervals::{IntervalRow, IntervalTable, local_position};
use crate::scenario::DAY_NAMES;

/// Which figure the cells show.
#[derive(Clone, Copy)]
pub enum Shown {
    FallbackRate,
    OnlineAgents,
}

pub struct Heatmap<'a> {
    pub intervals: &'a IntervalTable,
    pub width_h: f64,
    pub shown: Shown,
}

/// Panels per row, and each panel's height.
const COLUMNS: usize = 2;
const PANEL_HEIGHT: u32 = 300;

impl Heatmap<'_> {
    fn metric(&self) -> Metric {
        match self.shown {
            Shown::FallbackRate => Metric::FallbackRate,
            Shown::OnlineAgents => Metric::OnlineAgents,
        }
    }

    /// The site's panel, then each team's, by name.
    fn panels(&self) -> Vec<(String, Vec<&IntervalRow>)> {
        let mut names: Vec<(&str, &str)> = Vec::new();
        for r in &self.intervals.rows {
            if r.scope != "stream" && !names.contains(&(r.scope, r.name.as_str())) {
                names.push((r.scope, &r.name));
            }
        }
        names
            .into_iter()
            .map(|(scope, name)| {
                let rows: Vec<&IntervalRow> = self.intervals.of_scope(scope, name).collect();
                let zone = rows
                    .first()
                    .and_then(|r| r.zone.iana_name())
                    .unwrap_or("UTC");
                let title = if scope == "site" {
                    "whole site (UTC)".to_string()
                } else {
                    format!("team {name} ({zone})")
                };
                (title, rows)
            })
            .collect()
    }

    /// The largest value shown, for the colour scale: 100% for rates.
    fn scale(&self) -> f64 {
        match self.shown {
            Shown::FallbackRate => 1.0,
            Shown::OnlineAgents => {
                let c = self.intervals.column(Metric::OnlineAgents);
                let max = self
                    .intervals
                    .rows
                    .iter()
                    .filter_map(|r| c.and_then(|c| r.values[c]).map(|s| s.mean))
                    .fold(0.0, f64::max);
                max.max(1.0)
            }
        }
    }
}

impl Plot for Heatmap<'_> {
    fn name(&self) -> &'static str {
        match self.shown {
            Shown::FallbackRate => "heatmap_fallback_rate",
            Shown::OnlineAgents => "heatmap_online_agents",
        }
    }

    fn title(&self) -> String {
        match self.shown {
            Shown::FallbackRate => "Fallback rate by weekday and hour".into(),
            Shown::OnlineAgents => "Agents online by weekday and hour".into(),
        }
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.panels().len().div_ceil(COLUMNS).max(1) as u32;
        (WIDTH, (110 + rows * PANEL_HEIGHT).max(HEIGHT))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let scale = self.scale();
        let note = match self.shown {
            Shown::FallbackRate => {
                "mean over the weeks and replications: white 0%, darkest 100%; grey: no requests"
                    .to_string()
            }
            Shown::OnlineAgents => {
                format!("mean over the weeks and replications: white none, darkest {scale:.1}")
            }
        };
        let body = style::heading(root, &self.title(), Some(&note))?;
        let panels = self.panels();
        let rows = panels.len().div_ceil(COLUMNS).max(1);
        let areas = body.split_evenly((rows, COLUMNS));
        let metric = self.metric();
        let column = self.intervals.column(metric);
        for ((title, cells), area) in panels.iter().zip(&areas) {
            let mut chart = builder(area)
                .margin(10)
                .x_label_area_size(34)
                .y_label_area_size(48)
                .caption(title, style::labels())
                .build_cartesian_2d(0.0..24.0, 0.0..7.0)?;
            mesh(&mut chart)
                .disable_mesh()
                .x_labels(9)
                .x_label_formatter(&|h| format!("{h:02.0}:00"))
                // Ticks every half day, the names at the rows' middles.
                .y_labels(15)
                .y_label_formatter(&|y: &f64| {
                    let half = (y * 2.0).round() as i64;
                    if half % 2 == 0 {
                        return String::new();
                    }
                    DAY_NAMES[(6 - half / 2).clamp(0, 6) as usize][..3].to_string()
                })
                .y_label_style(style::labels().pos(Pos::new(HPos::Right, VPos::Center)))
                .draw()?;
            chart.plotting_area().fill(&NO_DATA)?;
            let cells = cells.iter().map(|r| {
                let (day, hour) = local_position(r);
                let value = column.and_then(|c| r.values[c]).map(|s| s.mean);
                let colour = match value {
                    Some(v) => shade(self.shown, v / scale),
                    None => NO_DATA,
                };
                let (x0, y0) = (hour, 7.0 - day as f64);
                Rectangle::new(
                    [(x0, y0), ((x0 + self.width_h).min(24.0), y0 - 1.0)],
                    colour.filled(),
                )
            });
            chart.draw_series(cells)?;
        }
        Ok(())
    }
}

/// An interval without a value: no requests, or not simulated.
const NO_DATA: RGBColor = RGBColor(215, 215, 215);

/// From white at 0 to the figure's colour at 1.
fn shade(shown: Shown, x: f64) -> RGBColor {
    let to = match shown {
        Shown::FallbackRate => style::VERMILION,
        Shown::OnlineAgents => style::BLUE,
    };
    let x = x.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * x).round() as u8;
    RGBColor(mix(to.0), mix(to.1), mix(to.2))
}
