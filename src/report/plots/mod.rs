//! The plots. Each is one file implementing [`Plot`] once over any plotters backend, so the PNG
//! and the SVG come from the same drawing code.

mod agents;
mod chart;
mod curves;
mod fallbacks;
pub(crate) mod font;
mod heatmap;
mod occupancy;
mod raster;
mod required;
mod responses;
mod retries;
mod style;
mod sweep;
mod trial;

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use crate::report::Detail;

pub use curves::{Curve, Curves};
use heatmap::{Heatmap, Shown};
pub use required::Required;
pub use style::{BLUE, GREEN, ORANGE, VERMILION};
pub use sweep::{Series, SweepPlot};

/// Every plot's file name, in report order.
pub const NAMES: [&str; 8] = [
    "fallback_rate",
    "heatmap_fallback_rate",
    "heatmap_online_agents",
    "occupancy",
    "agents",
    "retries",
    "trial_limit",
    "response_times",
];

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub trait Plot: Sync {
    /// The file name, without extension.
    fn name(&self) -> &'static str;
    fn title(&self) -> String;
    fn size(&self) -> (u32, u32) {
        (style::WIDTH, style::HEIGHT)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// One plot, ready to write or inline.
pub struct Rendered {
    pub name: &'static str,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Drawing one plot, to run on any thread.
type Job<'a> = Box<dyn Fn() -> anyhow::Result<Rendered> + Sync + 'a>;

/// Every plot that applies to the run, in report order (the trial plot only when a limit
/// applies). Plots render in parallel; each one's bytes do not depend on that.
pub fn render_all(d: &Detail) -> anyhow::Result<Vec<Rendered>> {
    let mut jobs: Vec<Job> = vec![
        Box::new(|| render(&fallbacks::Fallbacks(d))),
        Box::new(|| render(&heatmap(d, Shown::FallbackRate))),
        Box::new(|| render(&heatmap(d, Shown::OnlineAgents))),
        Box::new(|| render(&occupancy::Occupancy(d))),
        Box::new(|| render(&agents::Agents(d))),
        Box::new(|| render(&retries::Retries(d))),
    ];
    if let Some(t) = &d.trial {
        jobs.push(Box::new(move || render(&trial::TrialLimit(d, t))));
    }
    jobs.push(Box::new(|| render(&responses::ResponseTimes(d))));
    jobs.par_iter().map(|job| job()).collect()
}

fn heatmap(d: &Detail, shown: Shown) -> Heatmap<'_> {
    Heatmap {
        intervals: &d.intervals,
        width_h: d.intervals.width_ms as f64 / 3_600_000.0,
        shown,
    }
}

pub fn render(p: &impl Plot) -> anyhow::Result<Rendered> {
    font::register();
    let (w, h) = p.size();
    let failed = |e: &dyn std::fmt::Display| anyhow!("cannot draw the {} plot: {e}", p.name());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        p.draw(&root).map_err(|e| failed(&e))?;
        root.present().map_err(|e| failed(&e))?;
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = raster::Raster::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        p.draw(&root).map_err(|e| failed(&e))?;
        root.present().map_err(|e| failed(&e))?;
    }
    Ok(Rendered {
        name: p.name(),
        title: p.title(),
        svg,
        png: encode_png(&rgb, w, h)?,
    })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.write_header()?.write_image_data(rgb)?;
    Ok(out)
}
