//! When the Select trial runs out: cumulative engagements against the lifetime limit, with the
//! time the limit was reached and its spread over the replications.

use crate::figure::Metric;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key};
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
        let axis = TimeAxis::for_horizon(d.horizon_h, d.start);
        let cumulative = d.series.column(Metric::CumulativeEngaged);
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
        let mut entries = vec![
            (
                "engagements, mean over replications".into(),
                Key::Line(style::BLUE),
            ),
            (
                "95% interval (bucket by bucket)".into(),
                Key::Fill(style::BLUE.mix(0.3)),
            ),
            ("trial limit".into(), Key::Line(style::VERMILION)),
        ];
        if exhausted.is_some() {
            entries.extend([
                ("limit reached: mean".into(), Key::Line(style::PURPLE)),
                (
                    "limit reached: earliest to latest replication".into(),
                    Key::Fill(style::PURPLE.mix(0.3)),
                ),
            ]);
        }
        let body = chart::legend_strip(&body, &entries)?;
        let mut chart = chart::over_time(&body, axis, x_max, y_max, "engagements since the start")?;
        if let Some(x) = &exhausted {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(axis.at(x.min), 0.0), (axis.at(x.max), y_max)],
                style::PURPLE.mix(0.18).filled(),
            )))?;
            chart::line(
                &mut chart,
                [(axis.at(x.mean), 0.0), (axis.at(x.mean), y_max)],
                style::PURPLE,
                2,
            )?;
        }
        // The interval at each bucket's end, like the line.
        let ends: Vec<f64> = d.series.rows.iter().map(|r| axis.at(r.end_h)).collect();
        let mut band = vec![(0.0, 0.0)];
        band.extend(ends.iter().copied().zip(hi.iter().copied()));
        band.extend(ends.iter().copied().zip(lo.iter().copied()).rev());
        chart.draw_series(std::iter::once(Polygon::new(band, style::BLUE.mix(0.2))))?;
        chart::line(&mut chart, line, style::BLUE, 3)?;
        chart::line(
            &mut chart,
            [(0.0, limit), (x_max, limit)],
            style::VERMILION,
            2,
        )?;
        Ok(())
    }
}
