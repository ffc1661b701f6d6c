//! Who was overloaded: per agent, the share of online time spent at the cap, and the offers
//! the agent missed or answered too late.

use crate::figure::Metric;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{self, last_segment};
use super::style;
use super::{DrawResult, Plot};
use crate::report::Detail;

pub struct Agents<'a>(pub &'a Detail);

/// One bar layer: a label, a colour, a value per agent.
type Layer<'a> = (&'a str, RGBColor, Vec<f64>);

impl Plot for Agents<'_> {
    fn name(&self) -> &'static str {
        "agents"
    }

    fn title(&self) -> String {
        let n = self.0.agents.rows.len();
        if n > MAX_PLOTTED {
            format!(
                "Per agent: time at cap, and offers missed or timed out (the {MAX_PLOTTED} \
                 most at cap of {n} agents; agents.csv has them all)"
            )
        } else {
            "Per agent: time at cap, and offers missed or timed out".into()
        }
    }

    fn size(&self) -> (u32, u32) {
        let n = self.0.agents.rows.len().min(MAX_PLOTTED) as u32;
        (style::WIDTH, style::HEIGHT.max(170 + 26 * n))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let d = self.0;
        root.fill(&WHITE)?;
        let body = style::heading(root, &self.title(), None)?;
        let shown = shown_agents(d);
        let names: Vec<&str> = shown
            .iter()
            .map(|&i| d.agents.rows[i].name.as_str())
            .collect();
        if names.is_empty() {
            body.draw_text("no agents in this scenario", &style::note(), (40, 40))?;
            return Ok(());
        }
        let values = |c: Metric, scale: f64| -> Vec<f64> {
            let all = d.agents.means(c);
            shown
                .iter()
                .map(|&i| scale * all[i].unwrap_or(0.0))
                .collect()
        };
        let (left, right) = body.split_horizontally(body.dim_in_pixel().0 / 2);
        bars(
            &left,
            &names,
            "share of online time at cap (%)",
            &[(
                "at cap",
                style::VERMILION,
                values(Metric::CapSaturation, 100.0),
            )],
            5.0,
        )?;
        bars(
            &right,
            &names,
            "offers per replication",
            &[
                (
                    "missed (never answered)",
                    style::ORANGE,
                    values(Metric::OffersMissed, 1.0),
                ),
                (
                    "answered too late",
                    style::PURPLE,
                    values(Metric::OffersTimedOut, 1.0),
                ),
            ],
            1.0,
        )?;
        Ok(())
    }
}

/// Agents drawn at most: more would make the plot taller than any page (26 px each).
pub const MAX_PLOTTED: usize = 40;

/// The agents drawn, in table order: all of them, or the [`MAX_PLOTTED`] most at cap (then
/// with the most offers missed or answered too late).
fn shown_agents(d: &Detail) -> Vec<usize> {
    let n = d.agents.rows.len();
    if n <= MAX_PLOTTED {
        return (0..n).collect();
    }
    let at_cap = d.agents.means(Metric::CapSaturation);
    let (missed, late) = (
        d.agents.means(Metric::OffersMissed),
        d.agents.means(Metric::OffersTimedOut),
    );
    let value = |v: &[Option<f64>], i: usize| v.get(i).copied().flatten().unwrap_or(0.0);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let key = |i| (value(&at_cap, i), value(&missed, i) + value(&late, i));
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0)
            .then(kb.1.total_cmp(&ka.1))
            .then(a.cmp(&b))
    });
    order.truncate(MAX_PLOTTED);
    order.sort_unstable();
    order
}

/// Horizontal bars, one row per agent (the first on top), layers stacked left to right.
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[&str],
    x_desc: &str,
    layers: &[Layer],
    at_least: f64,
) -> DrawResult<DB> {
    let n = names.len();
    let totals: Vec<f64> = (0..n)
        .map(|i| layers.iter().map(|l| l.2[i]).sum())
        .collect();
    let x_max = style::top(totals.iter().copied().fold(0.0, f64::max), at_least);
    let row = |i: usize| (n - 1 - i) as i32;
    // The legend goes in a strip above the bars, where it can hide none of them.
    let (strip, area) = area.split_vertically(36);
    let mut x = 40;
    for (label, colour, _) in layers {
        strip.draw(&Rectangle::new([(x, 12), (x + 18, 26)], colour.filled()))?;
        strip.draw_text(label, &style::labels(), (x + 26, 11))?;
        x += 40 + 9 * label.len() as i32;
    }
    let mut chart = ChartBuilder::on(&area)
        .margin(14)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(0.0..x_max, (0..last_segment(n)).into_segmented())?;
    chart::mesh(&mut chart)
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(r) | SegmentValue::Exact(r) if (*r as usize) < n => {
                names[n - 1 - *r as usize].to_string()
            }
            _ => String::new(),
        })
        .x_desc(x_desc)
        .x_label_formatter(&style::tick)
        .draw()?;
    let mut start = vec![0.0; n];
    for (_, colour, values) in layers {
        let rects: Vec<_> = (0..n)
            .map(|i| {
                let (from, to) = (start[i], start[i] + values[i]);
                start[i] = to;
                let y = row(i);
                let mut r = Rectangle::new(
                    [
                        (from, SegmentValue::Exact(y)),
                        (to, SegmentValue::Exact(y + 1)),
                    ],
                    colour.filled(),
                );
                r.set_margin(4, 4, 0, 0);
                r
            })
            .collect();
        chart.draw_series(rects)?;
    }
    if totals.iter().all(|&t| t == 0.0) {
        let (w, h) = chart.plotting_area().dim_in_pixel();
        chart.plotting_area().strip_coord_spec().draw_text(
            "none in this run",
            &style::note().pos(Pos::new(HPos::Center, VPos::Center)),
            (w as i32 / 2, h as i32 / 2),
        )?;
    }
    Ok(())
}
