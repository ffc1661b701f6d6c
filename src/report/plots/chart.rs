//! What the charts inside the plots share: the frame and axes of a chart over the horizon, the
//! mesh and legend styles, and the helpers for step series and segmented axes.

use plotters::chart::{DualCoordChartContext, MeshStyle};
use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::DrawResult;
use super::style::{self, TimeAxis};
use crate::report::Detail;

/// Plain numbers on both axes.
pub type Xy = Cartesian2d<RangedCoordf64, RangedCoordf64>;

type Built<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The margin and the room for tick labels and axis titles that most charts use.
pub fn builder<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> ChartBuilder<'_, '_, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(80);
    builder
}

/// The mesh in the plots' fonts and without minor grid lines; the caller names the axes, picks
/// the tick formats and draws it.
pub fn mesh<'a, 'b, DB, X, Y, XT, YT>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut mesh = chart.configure_mesh();
    mesh.label_style(style::labels())
        .axis_desc_style(style::axis_title())
        .light_line_style(WHITE);
    mesh
}

/// A chart over the horizon, its axes drawn: time on x up to `x_max`, `y_desc` on y up to
/// `y_max`.
pub fn over_time<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    axis: TimeAxis,
    x_max: f64,
    y_max: f64,
    y_desc: &str,
) -> Built<ChartContext<'a, DB, Xy>, DB> {
    let mut chart = builder(area).build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
    time_mesh(&mut chart, axis, y_desc)?;
    Ok(chart)
}

/// [`over_time`] with a second y axis on the right, `y2_desc` up to `y2_max`.
pub fn over_time_dual<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    axis: TimeAxis,
    x_max: f64,
    (y_max, y_desc): (f64, &str),
    (y2_max, y2_desc): (f64, &str),
) -> Built<DualCoordChartContext<'a, DB, Xy, Xy>, DB> {
    let mut chart = builder(area)
        .right_y_label_area_size(90)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)?
        .set_secondary_coord(0.0..x_max, 0.0..y2_max);
    time_mesh(&mut chart, axis, y_desc)?;
    chart
        .configure_secondary_axes()
        .y_desc(y2_desc)
        .y_label_formatter(&style::tick)
        .label_style(style::labels())
        .axis_desc_style(style::axis_title())
        .draw()?;
    Ok(chart)
}

/// Time on x, plain numbers on y.
fn time_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Xy>,
    axis: TimeAxis,
    y_desc: &str,
) -> DrawResult<DB> {
    mesh(chart)
        .x_desc(axis.title)
        .y_desc(y_desc)
        .x_label_formatter(&|x| axis.label(x))
        .y_label_formatter(&style::tick)
        .draw()
}

/// A line (its legend entry is a [`Key::Line`] of the same colour).
pub fn line<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Xy>,
    points: impl IntoIterator<Item = (f64, f64)>,
    colour: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    chart.draw_series(LineSeries::new(points, colour.stroke_width(width)))?;
    Ok(())
}

/// What a legend entry shows before its label.
#[derive(Clone, Copy)]
pub enum Key {
    Fill(RGBAColor),
    Line(RGBColor),
}

/// Draws `entries` as a legend in a strip along the top of `area`, left to right and wrapping
/// onto more rows when they do not fit, and returns the area below it for the chart: a legend
/// there hides no data, whatever the data does.
pub fn legend_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, Key)],
) -> Built<DrawingArea<DB, Shift>, DB> {
    const ROW: i32 = 28;
    const LEFT: i32 = 96;
    let width = area.dim_in_pixel().0 as i32;
    let font = style::labels();
    let mut placed = Vec::new();
    let (mut x, mut row) = (LEFT, 0);
    for (label, key) in entries {
        let text = area.estimate_text_size(label, &font)?.0 as i32;
        let w = 26 + text + 28;
        if x + w > width - 16 && x > LEFT {
            (x, row) = (LEFT, row + 1);
        }
        placed.push((x, row, label, *key));
        x += w;
    }
    let rows = if entries.is_empty() { 0 } else { row + 1 };
    let (strip, rest) = area.split_vertically((rows * ROW + 6) as u32);
    for (x, row, label, key) in placed {
        let y = row * ROW + ROW / 2;
        match key {
            Key::Fill(c) => {
                strip.draw(&Rectangle::new([(x, y - 7), (x + 18, y + 7)], c.filled()))?
            }
            Key::Line(c) => strip.draw(&PathElement::new(
                vec![(x, y), (x + 20, y)],
                c.stroke_width(3),
            ))?,
        }
        strip.draw_text(
            label,
            &font.pos(Pos::new(HPos::Left, VPos::Center)),
            (x + 26, y),
        )?;
    }
    Ok(rest)
}

/// A step function over the buckets: each value held from the bucket's start to its end.
pub fn steps(d: &Detail, axis: TimeAxis, values: &[f64]) -> Vec<(f64, f64)> {
    d.series
        .rows
        .iter()
        .zip(values)
        .flat_map(|(r, &v)| [(axis.at(r.start_h), v), (axis.at(r.end_h), v)])
        .collect()
}

/// Shades the warm-up, whose figures the summary leaves out.
pub fn shade_warmup<DB: DrawingBackend>(
    area: &DrawingArea<DB, Xy>,
    d: &Detail,
    axis: TimeAxis,
    y_top: f64,
) -> DrawResult<DB> {
    if d.warmup_h > 0.0 {
        area.draw(&Rectangle::new(
            [(0.0, 0.0), (axis.at(d.warmup_h), y_top)],
            style::GREY.mix(0.15).filled(),
        ))?;
    }
    Ok(())
}

/// The last segment of a segmented axis for `n` rows: a range of one value has no width, so
/// a single row gets an empty neighbour.
pub fn last_segment(n: usize) -> i32 {
    (n as i32).max(2) - 1
}
