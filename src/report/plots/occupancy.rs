//! Who was overloaded, and when: occupancy and the share of online agents at their cap over
//! time, with the number of agents online.

use crate::figure::Metric;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key, shade_warmup, steps};
use super::style::{self, TimeAxis};
use super::{DrawResult, Plot};
use crate::report::Detail;

pub struct Occupancy<'a>(pub &'a Detail);

impl Plot for Occupancy<'_> {
    fn name(&self) -> &'static str {
        "occupancy"
    }

    fn title(&self) -> String {
        "Occupancy and cap saturation, with agents online".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let d = self.0;
        let axis = TimeAxis::for_horizon(d.horizon_h, d.start);
        let occupancy = d.series.column(Metric::Occupancy);
        let pct = |f: fn(&crate::stats::Summary) -> f64| -> Vec<f64> {
            occupancy
                .iter()
                .map(|s| s.as_ref().map_or(0.0, |s| 100.0 * f(s)))
                .collect()
        };
        let (mean, lo, hi) = (
            pct(|s| s.mean),
            pct(|s| s.ci95[0].max(0.0)),
            pct(|s| s.ci95[1]),
        );
        let online = d.series.means(Metric::OnlineAgents);
        let at_cap: Vec<f64> = d
            .series
            .means(Metric::AgentsAtCap)
            .iter()
            .zip(&online)
            .map(|(c, o)| if *o > 0.0 { 100.0 * c / o } else { 0.0 })
            .collect();
        let x_max = axis.at(d.horizon_h);
        let y_max =
            style::top(hi.iter().chain(&at_cap).copied().fold(0.0, f64::max), 10.0).min(105.0);
        let y2_max = style::top(online.iter().copied().fold(0.0, f64::max), 1.0);

        root.fill(&WHITE)?;
        // Slot occupancy at a cap of 10 reads like an idle team when every agent has a chat or
        // two: the chats per online agent say how busy people are.
        // Time averages per bucket, weighted by the buckets' lengths (the last may be short).
        let hours: Vec<f64> = d.series.rows.iter().map(|r| r.end_h - r.start_h).collect();
        let over_run =
            |levels: &[f64]| -> f64 { levels.iter().zip(&hours).map(|(l, h)| l * h).sum() };
        let busy = over_run(&d.series.means(Metric::BusySlots));
        let staffed = over_run(&online);
        let note = (staffed > 0.0).then(|| {
            format!(
                "an online agent holds {:.2} live chats on average (busy slots / agents online, \
                 over the whole run)",
                busy / staffed
            )
        });
        let body = style::heading(root, &self.title(), note.as_deref())?;
        let body = chart::legend_strip(
            &body,
            &[
                (
                    "occupancy: busy slots / slots online".into(),
                    Key::Line(style::BLUE),
                ),
                (
                    "occupancy, 95% interval".into(),
                    Key::Fill(style::BLUE.mix(0.35)),
                ),
                (
                    "online agents at their cap".into(),
                    Key::Line(style::VERMILION),
                ),
                (
                    "agents online (right axis)".into(),
                    Key::Fill(style::SKY.mix(0.4)),
                ),
            ],
        )?;
        let mut chart = chart::over_time_dual(
            &body,
            axis,
            x_max,
            (y_max, "share (%)"),
            (y2_max, "agents online"),
        )?;
        shade_warmup(chart.plotting_area(), d, axis, y_max)?;
        chart.draw_secondary_series(AreaSeries::new(
            steps(d, axis, &online),
            0.0,
            style::SKY.mix(0.18),
        ))?;
        let mut band = steps(d, axis, &hi);
        band.extend(steps(d, axis, &lo).into_iter().rev());
        chart.draw_series(std::iter::once(Polygon::new(band, style::BLUE.mix(0.25))))?;
        chart::line(&mut chart, steps(d, axis, &mean), style::BLUE, 2)?;
        chart::line(&mut chart, steps(d, axis, &at_cap), style::VERMILION, 2)?;
        Ok(())
    }
}
