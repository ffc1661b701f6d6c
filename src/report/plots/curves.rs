//! Lines against one another over a plain x axis, with an optional band and marker: what the
//! calibration commands draw (a fitted distribution against the empirical one, fitted arrivals
//! against the observed, a back-test's observed figure against the simulated band).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{self, Key};
use super::style;
use super::{DrawResult, Plot};

/// One line of a [`Curves`] plot.
pub struct Curve {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub colour: RGBColor,
    /// Drawn as dots rather than a line (observations).
    pub dots: bool,
}

/// A shaded band: its label, and per x its lower and upper value.
pub type Band = (String, Vec<(f64, f64, f64)>);

pub struct Curves {
    pub name: &'static str,
    pub title: String,
    pub note: Option<String>,
    pub x_desc: String,
    pub y_desc: String,
    pub curves: Vec<Curve>,
    /// A shaded band (label, lower and upper points at the same x).
    pub band: Option<Band>,
    /// A vertical line (label, x), such as the accept window.
    pub marker: Option<(String, f64)>,
    /// The x axis on a logarithmic scale (durations spanning decades).
    pub log_x: bool,
}

impl Curves {
    fn x_range(&self) -> (f64, f64) {
        let xs = self
            .curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.0))
            .chain(self.band.iter().flat_map(|b| b.1.iter().map(|p| p.0)))
            .chain(self.marker.iter().map(|m| m.1));
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        if self.log_x {
            (lo.max(1e-3), hi.max(lo.max(1e-3) * 10.0))
        } else {
            (lo, if hi > lo { hi } else { lo + 1.0 })
        }
    }

    fn y_max(&self) -> f64 {
        let ys = self
            .curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.1))
            .chain(self.band.iter().flat_map(|b| b.1.iter().map(|p| p.2)));
        style::top(ys.fold(0.0, f64::max), 1e-9)
    }

    fn entries(&self) -> Vec<(String, Key)> {
        let mut e: Vec<(String, Key)> = self
            .curves
            .iter()
            .map(|c| (c.label.clone(), Key::Line(c.colour)))
            .collect();
        if let Some((label, _)) = &self.band {
            e.push((label.clone(), Key::Fill(style::SKY.mix(0.35))));
        }
        if let Some((label, _)) = &self.marker {
            e.push((label.clone(), Key::Line(BLACK)));
        }
        e
    }
}

impl Plot for Curves {
    fn name(&self) -> &'static str {
        self.name
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let body = style::heading(root, &self.title, self.note.as_deref())?;
        let body = chart::legend_strip(&body, &self.entries())?;
        let (x0, x1) = self.x_range();
        let y1 = self.y_max();
        if self.log_x {
            let mut chart =
                chart::builder(&body).build_cartesian_2d((x0..x1).log_scale(), 0.0..y1)?;
            chart::mesh(&mut chart)
                .x_desc(self.x_desc.as_str())
                .y_desc(self.y_desc.as_str())
                .x_label_formatter(&style::tick)
                .y_label_formatter(&style::tick)
                .draw()?;
            for c in &self.curves {
                if c.dots {
                    chart.draw_series(
                        c.points
                            .iter()
                            .map(|&p| Circle::new(p, 3, c.colour.filled())),
                    )?;
                } else {
                    chart
                        .draw_series(LineSeries::new(c.points.clone(), c.colour.stroke_width(3)))?;
                }
            }
            if let Some((_, x)) = self.marker {
                chart.draw_series(LineSeries::new([(x, 0.0), (x, y1)], BLACK.stroke_width(2)))?;
            }
            return Ok(());
        }
        let mut chart = chart::builder(&body).build_cartesian_2d(x0..x1, 0.0..y1)?;
        chart::mesh(&mut chart)
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .x_label_formatter(&style::tick)
            .y_label_formatter(&style::tick)
            .draw()?;
        if let Some((_, band)) = &self.band {
            let upper = band.iter().map(|&(x, _, hi)| (x, hi));
            let lower = band.iter().rev().map(|&(x, lo, _)| (x, lo));
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                style::SKY.mix(0.35).filled(),
            )))?;
        }
        for c in &self.curves {
            if c.dots {
                chart.draw_series(
                    c.points
                        .iter()
                        .map(|&p| Circle::new(p, 3, c.colour.filled())),
                )?;
            } else {
                chart::line(&mut chart, c.points.clone(), c.colour, 3)?;
            }
        }
        if let Some((_, x)) = self.marker {
            chart::line(&mut chart, [(x, 0.0), (x, y1)], BLACK, 2)?;
        }
        Ok(())
    }
}
