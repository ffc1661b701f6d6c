//! The sweep plot: one figure against the first swept key, one line per combination of the
//! other keys, each with its 95% band, and the target when the sweep has one.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key};
use super::style;
use super::{DrawResult, Plot};
use crate::figure::{Figure, Unit};

/// One line of the plot: its label and (x, mean, ci95 low, ci95 high) per point.
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64, f64, f64)>,
}

pub struct SweepPlot<'a> {
    /// The first swept key, as given in `--set`.
    pub key: &'a str,
    /// Whether the key takes whole numbers (agents, caps): its ticks are then whole too.
    pub whole_numbers: bool,
    pub figure: &'a Figure,
    pub series: &'a [Series],
    /// A bound on the figure, drawn as a line.
    pub target: Option<f64>,
}

/// Colour-blind-safe colours for the lines, in order (Okabe and Ito).
const LINES: [RGBColor; 7] = [
    style::BLUE,
    style::ORANGE,
    style::GREEN,
    style::VERMILION,
    style::PURPLE,
    style::SKY,
    style::GREY,
];

impl SweepPlot<'_> {
    /// Shares are drawn as percentages, as the terminal prints them.
    fn scale(&self) -> f64 {
        if self.figure.metric.unit() == Unit::Share {
            100.0
        } else {
            1.0
        }
    }
}

impl Plot for SweepPlot<'_> {
    fn name(&self) -> &'static str {
        "sweep"
    }

    fn title(&self) -> String {
        format!("{} by {}", self.figure, self.key)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let k = self.scale();
        let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, f64::MIN);
        for &(x, _, _, hi) in self.series.iter().flat_map(|s| &s.points) {
            (x0, x1, y1) = (x0.min(x), x1.max(x), y1.max(k * hi));
        }
        if x0 > x1 {
            (x0, x1, y1) = (0.0, 1.0, 1.0);
        }
        if let Some(t) = self.target {
            y1 = y1.max(k * t);
        }
        let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
        let y_max = style::top(y1, if k > 1.0 { 1.0 } else { 1e-9 });
        let unit = if k > 1.0 { " (%)" } else { "" };
        root.fill(&WHITE)?;
        let body = style::heading(
            root,
            &self.title(),
            Some("the mean per replication, with its 95% interval as a band"),
        )?;
        let mut entries: Vec<(String, Key)> = self
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.label.is_empty())
            .map(|(i, s)| (s.label.clone(), Key::Line(LINES[i % LINES.len()])))
            .collect();
        if let Some(t) = self.target {
            let shown = crate::figure::value(self.figure.metric.unit(), t);
            entries.push((format!("target: {shown}"), Key::Line(BLACK)));
        }
        let body = chart::legend_strip(&body, &entries)?;
        let mut chart = chart::builder(&body).build_cartesian_2d(x0..x1, 0.0..y_max)?;
        let whole = self.whole_numbers;
        let ticks = if whole {
            ((x1 - x0) as usize + 1).clamp(2, 12)
        } else {
            10
        };
        chart::mesh(&mut chart)
            .x_desc(self.key)
            .y_desc(format!("{}{unit}", self.figure))
            .x_labels(ticks)
            .x_label_formatter(&|x| {
                if whole && (x - x.round()).abs() > 1e-9 {
                    String::new()
                } else {
                    style::tick(x)
                }
            })
            .y_label_formatter(&style::tick)
            .draw()?;
        for (i, s) in self.series.iter().enumerate() {
            let colour = LINES[i % LINES.len()];
            let band: Vec<(f64, f64)> = s
                .points
                .iter()
                .map(|p| (p.0, k * p.3))
                .chain(s.points.iter().rev().map(|p| (p.0, k * p.2)))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.18))))?;
            chart::line(
                &mut chart,
                s.points.iter().map(|p| (p.0, k * p.1)),
                colour,
                3,
            )?;
        }
        if let Some(t) = self.target {
            chart::line(&mut chart, [(x0, k * t), (x1, k * t)], BLACK, 2)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Metric;
    use crate::report::plots::render;

    #[test]
    fn draws_lines_bands_the_target_and_whole_ticks() {
        let series = vec![
            Series {
                label: "package.cap=5".into(),
                points: vec![(2.0, 0.3, 0.25, 0.35), (3.0, 0.1, 0.08, 0.12)],
            },
            Series {
                label: "package.cap=10".into(),
                points: vec![(2.0, 0.2, 0.15, 0.25), (3.0, 0.05, 0.04, 0.06)],
            },
        ];
        let figure = Figure::site(Metric::FallbackRate);
        let plot = SweepPlot {
            key: "agents.emea.count",
            whole_numbers: true,
            figure: &figure,
            series: &series,
            target: Some(0.05),
        };
        let r = render(&plot).unwrap();
        assert!(r.svg.contains("fallback_rate by agents.emea.count"));
        assert!(r.svg.contains("package.cap=10") && r.svg.contains("target: 5.00%"));
        assert!(r.svg.contains("fallback_rate (%)"));
        // Whole ticks only: 2 and 3, never 2.5.
        assert!(!r.svg.contains(">2.5<"));
        assert_eq!(r.svg.matches("<polygon").count(), 2);
        assert!(r.png.starts_with(b"\x89PNG"));
    }
}
