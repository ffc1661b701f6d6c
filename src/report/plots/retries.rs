//! What the team retry is worth: per team, requests engaged on a retry against those that got
//! the fallback message although a retry was tried.

use crate::figure::Metric;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key, last_segment};
use super::style;
use super::{DrawResult, Plot};
use crate::report::{Detail, Table};
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct Retries<'a>(pub &'a Detail);

impl Retries<'_> {
    /// Teams when the scenario has any, else streams (Select has no teams), with whether each
    /// can retry at all.
    fn groups(&self) -> (&Table, &[bool]) {
        if self.0.teams.rows.is_empty() {
            (&self.0.streams, &self.0.stream_can_retry)
        } else {
            (&self.0.teams, &self.0.team_can_retry)
        }
    }
}

impl Plot for Retries<'_> {
    fn name(&self) -> &'static str {
        "retries"
    }

    fn title(&self) -> String {
        format!("Retry effect per {}", self.groups().0.key)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (t, can_retry) = self.groups();
        root.fill(&WHITE)?;
        let names: Vec<&str> = t.rows.iter().map(|r| r.name.as_str()).collect();
        let n = names.len();
        let get = |c: Metric| -> Vec<f64> { t.means(c).iter().map(|v| v.unwrap_or(0.0)).collect() };
        let (rescued, failed, attempts) = (
            get(Metric::RetryRescued),
            get(Metric::RetryFailed),
            get(Metric::RetryAttempts),
        );
        let total_attempts: f64 = attempts.iter().sum();
        let total_rescued: f64 = rescued.iter().sum();
        if n == 0 || total_attempts == 0.0 {
            let body = style::heading(root, &self.title(), None)?;
            body.draw_text(
                "no retries in this scenario: retries need team routing on Prime \
                 (package.team_retries > 0) or package.retry_scope = \"any\"",
                &style::note(),
                (40, 40),
            )?;
            return Ok(());
        }
        let y_max = style::top(
            rescued.iter().chain(&failed).copied().fold(0.0, f64::max),
            1.0,
        );
        let note = format!(
            "per replication: {total_attempts:.1} offers to a further agent, \
             {total_rescued:.1} visitors rescued"
        );
        let body = style::heading(root, &self.title(), Some(&note))?;
        let body = chart::legend_strip(
            &body,
            &[
                (
                    "engaged on a retry (rescued)".into(),
                    Key::Fill(style::GREEN.into()),
                ),
                (
                    "fell back although retried".into(),
                    Key::Fill(style::VERMILION.into()),
                ),
            ],
        )?;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(90)
            .build_cartesian_2d((0..last_segment(n)).into_segmented(), 0.0..y_max)?;
        chart::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) if (*i as usize) < n => {
                    names[*i as usize].to_string()
                }
                _ => String::new(),
            })
            .x_desc(t.key)
            .y_desc("requests per replication")
            .y_label_formatter(&style::tick)
            .draw()?;
        let layers = [(style::GREEN, &rescued, 0), (style::VERMILION, &failed, 1)];
        for (colour, values, side) in layers {
            let rects: Vec<_> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let i = i as i32;
                    let (a, b) = if side == 0 {
                        (SegmentValue::Exact(i), SegmentValue::CenterOf(i))
                    } else {
                        (SegmentValue::CenterOf(i), SegmentValue::Exact(i + 1))
                    };
                    let mut r = Rectangle::new([(a, 0.0), (b, v)], colour.filled());
                    let (l, rm) = if side == 0 { (24, 2) } else { (2, 24) };
                    r.set_margin(0, 0, l, rm);
                    r
                })
                .collect();
            chart.draw_series(rects)?;
        }
        // A group that cannot retry says so where its bars would be, rather than leave a gap.
        let why = [
            "cannot retry:",
            "reached by rules or a named agent,",
            "and only team routing retries",
            "(package.retry_scope = \"any\" would)",
        ];
        for (i, _) in can_retry.iter().enumerate().filter(|(_, ok)| !**ok) {
            for (k, line) in why.iter().enumerate() {
                chart.draw_series(std::iter::once(Text::new(
                    line.to_string(),
                    (
                        SegmentValue::CenterOf(i as i32),
                        y_max * (0.30 - 0.06 * k as f64),
                    ),
                    style::note().pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))?;
            }
        }
        Ok(())
    }
}
