//! How fast agents answer, against the accept window: the distribution of response times over
//! every answered offer (accepted, declined or too late), pooled over the replications.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key};
use super::style;
use super::{DrawResult, Plot};
use crate::report::Detail;

pub struct ResponseTimes<'a>(pub &'a Detail);

impl Plot for ResponseTimes<'_> {
    fn name(&self) -> &'static str {
        "response_times"
    }

    fn title(&self) -> String {
        format!(
            "Agent response times against the {} s accept window",
            self.0.responses.window_s
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let r = &self.0.responses;
        let (h, bin_s) = (&r.histogram, r.histogram.width());
        let total = h.total();
        root.fill(&WHITE)?;
        if total == 0 {
            let body = root.titled(&self.title(), style::caption())?;
            body.draw_text("no offer was answered", &style::note(), (40, 40))?;
            return Ok(());
        }
        let shares: Vec<f64> = h
            .counts()
            .iter()
            .map(|&c| 100.0 * c as f64 / total as f64)
            .collect();
        let x_max = bin_s * shares.len() as f64;
        let y_max = style::top(shares.iter().copied().fold(0.0, f64::max), 1.0);
        let per_replication = total as f64 / r.replications.max(1) as f64;
        let note = r.late_share().map(|late| {
            format!(
                "{:.1}% of the {per_replication:.1} offers answered per replication came after \
                 the window (offers never answered are not shown)",
                100.0 * late
            )
        });
        let body = style::heading(root, &self.title(), note.as_deref())?;
        let body = chart::legend_strip(
            &body,
            &[
                (
                    "answered within the window".into(),
                    Key::Fill(style::BLUE.into()),
                ),
                (
                    "answered too late: the visitor got a retry or the fallback".into(),
                    Key::Fill(style::VERMILION.into()),
                ),
                (
                    format!("accept window ({} s)", r.window_s),
                    Key::Line(BLACK),
                ),
            ],
        )?;
        let mut chart = chart::builder(&body).build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
        let overflow_from = bin_s * (shares.len() - 1) as f64;
        chart::mesh(&mut chart)
            .x_desc("time to answer an offer (s); the last bar holds every later answer")
            .y_desc("answered offers (%)")
            .y_label_formatter(&style::tick)
            .x_label_formatter(&|x| {
                if *x >= overflow_from {
                    format!("{overflow_from:.0}+")
                } else {
                    format!("{x:.0}")
                }
            })
            .draw()?;
        let bar = |i: usize, share: f64| {
            let x0 = bin_s * i as f64;
            let late = x0 + 1e-9 >= r.window_s;
            let colour = if late { style::VERMILION } else { style::BLUE };
            let mut rect = Rectangle::new([(x0, 0.0), (x0 + bin_s, share)], colour.filled());
            rect.set_margin(0, 0, 1, 1);
            (late, rect)
        };
        let (late, on_time): (Vec<_>, Vec<_>) = shares
            .iter()
            .enumerate()
            .map(|(i, &s)| bar(i, s))
            .partition(|(late, _)| *late);
        chart.draw_series(on_time.into_iter().map(|(_, r)| r))?;
        chart.draw_series(late.into_iter().map(|(_, r)| r))?;
        chart::line(
            &mut chart,
            [(r.window_s, 0.0), (r.window_s, y_max)],
            BLACK,
            2,
        )?;
        Ok(())
    }
}
