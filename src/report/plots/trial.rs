//! When the Select trial runs out: cumulative engagements against the lifetime limit, with the
//! time the limit was reached and its spread over the replications.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, TimeAxis};
use super::{DrawResult, Plot};
use crate::report::{Detail, Trial};
use crate::stats::Summary;

pub struct TrialLimit<'a>(pub &'a Detail, pub &'a Trial);

impl Plot for TrialLimit<'_> {
    fn name(&self) -> &'static str {
        "trial_limit"
    }

    fn title(&self) -> String {
        format!(
            "Trial limit: cumulative engagements against the {} limit",
            self.1.limit
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (d, trial) = (self.0, self.1);
        let axis = TimeAxis::for_horizon(d.horizon_h);
        let cumulative = d.series.column("cumulative_engaged");
        let pick = |f: fn(&Summary) -> f64| -> Vec<f64> {
            cumulative
                .iter()
                .map(|s| s.as_ref().map_or(0.0, f))
                .collect()
        };
        let (mean, lo, hi) = (
            pick(|s| s.mean),
            pick(|s| s.ci95[0].max(0.0)),
            pick(|s| s.ci95[1]),
        );
        // The series starts each bucket at the running total before it.
        let mut line = vec![(0.0, 0.0)];
        line.extend(
            d.series
                .rows
                .iter()
                .zip(&mean)
                .map(|(r, &v)| (axis.at(r.end_h), v)),
        );
        let x_max = axis.at(d.horizon_h);
        let limit = trial.limit as f64;
        let y_max = style::top(hi.iter().copied().fold(limit, f64::max), 10.0);

        let exhausted = Summary::of(trial.exhausted_at_h.iter().copied());
        let text = match &exhausted {
            Some(x) => format!(
                "reached in {} of {} replications, after {:.1} h on average (range {:.1} to {:.1} h)",
                x.n, trial.replications, x.mean, x.min, x.max
            ),
            None => format!(
                "not reached in any of the {} replications",
                trial.replications
            ),
        };
        root.fill(&WHITE)?;
        let body = style::heading(root, &self.title(), Some(&text))?;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
        chart
            .configure_mesh()
            .x_desc(axis.title)
            .y_desc("engagements since the start")
            .x_label_formatter(&style::tick)
            .y_label_formatter(&style::tick)
            .label_style(style::labels())
            .axis_desc_style(style::axis_title())
            .light_line_style(WHITE)
            .draw()?;
        if let Some(x) = &exhausted {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(axis.at(x.min), 0.0), (axis.at(x.max), y_max)],
                    style::PURPLE.mix(0.18).filled(),
                )))?
                .label("limit reached: earliest to latest replication")
                .legend(style::swatch(style::PURPLE.mix(0.3).filled()));
            chart
                .draw_series(LineSeries::new(
                    [(axis.at(x.mean), 0.0), (axis.at(x.mean), y_max)],
                    style::PURPLE.stroke_width(2),
                ))?
                .label("limit reached: mean")
                .legend(style::stroke(style::PURPLE));
        }
        // The interval at each bucket's end, like the line.
        let ends: Vec<f64> = d.series.rows.iter().map(|r| axis.at(r.end_h)).collect();
        let mut band = vec![(0.0, 0.0)];
        band.extend(ends.iter().copied().zip(hi.iter().copied()));
        band.extend(ends.iter().copied().zip(lo.iter().copied()).rev());
        chart
            .draw_series(std::iter::once(Polygon::new(band, style::BLUE.mix(0.2))))?
            .label("95% interval (bucket by bucket)")
            .legend(style::swatch(style::BLUE.mix(0.3).filled()));
        chart
            .draw_series(LineSeries::new(line, style::BLUE.stroke_width(3)))?
            .label("engagements, mean over replications")
            .legend(style::stroke(style::BLUE));
        chart
            .draw_series(LineSeries::new(
                [(0.0, limit), (x_max, limit)],
                style::VERMILION.stroke_width(2),
            ))?
            .label("trial limit")
            .legend(style::stroke(style::VERMILION));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(style::labels())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        Ok(())
    }
}
