//! When and why visitors got the fallback message: the fallback rate over the horizon stacked
//! by reason, with the request volume behind it.

use crate::figure::Metric;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key, shade_warmup, steps};
use super::style::{self, TimeAxis};
use super::{DrawResult, Plot};
use crate::figure::Reason;
use crate::report::Detail;

pub struct Fallbacks<'a>(pub &'a Detail);

impl Plot for Fallbacks<'_> {
    fn name(&self) -> &'static str {
        "fallback_rate"
    }

    fn title(&self) -> String {
        "Fallback rate by reason, with live-chat requests".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let d = self.0;
        let axis = TimeAxis::for_horizon(d.horizon_h, d.start);
        let requests = d.series.means(Metric::Requests);
        let per_hour: Vec<f64> = d
            .series
            .rows
            .iter()
            .zip(&requests)
            .map(|(r, n)| n / (r.end_h - r.start_h))
            .collect();
        // Ratio of means per bucket, so that the reasons stack up to the total rate.
        let mut stacked: Vec<(Reason, Vec<f64>)> = Vec::new();
        let mut below = vec![0.0; requests.len()];
        for r in Reason::ALL {
            let n = d.series.means(Metric::FallbackFor(r));
            if n.iter().all(|&x| x == 0.0) {
                continue;
            }
            for ((b, x), req) in below.iter_mut().zip(&n).zip(&requests) {
                if *req > 0.0 {
                    *b += 100.0 * x / req;
                }
            }
            stacked.push((r, below.clone()));
        }
        let x_max = axis.at(d.horizon_h);
        let y_max = style::top(below.iter().copied().fold(0.0, f64::max), 5.0).min(100.0);
        let y2_max = style::top(per_hour.iter().copied().fold(0.0, f64::max), 1.0);

        root.fill(&WHITE)?;
        let body = style::heading(root, &self.title(), None)?;
        let mut entries: Vec<(String, Key)> = stacked
            .iter()
            .map(|(r, _)| {
                let c = style::reason_colour(*r);
                (style::reason_label(*r), Key::Fill(c.mix(0.85)))
            })
            .collect();
        entries.push((
            "requests per hour (right axis)".into(),
            Key::Line(RGBColor(70, 70, 70)),
        ));
        let body = chart::legend_strip(&body, &entries)?;
        let mut chart = chart::over_time_dual(
            &body,
            axis,
            x_max,
            (y_max, "requests given the fallback (%)"),
            (y2_max, "live-chat requests per hour"),
        )?;
        shade_warmup(chart.plotting_area(), d, axis, y_max)?;
        // Highest layer first, so each lower one paints over the part that is not its own.
        for (r, cumulative) in stacked.iter().rev() {
            let c = style::reason_colour(*r);
            chart.draw_series(
                AreaSeries::new(steps(d, axis, cumulative), 0.0, c.mix(0.85))
                    .border_style(c.stroke_width(1)),
            )?;
        }
        chart.draw_secondary_series(LineSeries::new(
            steps(d, axis, &per_hour),
            BLACK.mix(0.7).stroke_width(2),
        ))?;
        if stacked.is_empty() {
            root.draw_text(
                "no request got the fallback message",
                &style::note(),
                (140, 110),
            )?;
        }
        Ok(())
    }
}
