//! The sweep plot: one metric against the first swept key, one line per combination of the
//! other keys, each with its 95% confidence band.

use plotters::prelude::*;

use super::plots::font::{self, FAMILY};

/// One line of the plot: its label and (x, mean, ci95 low, ci95 high) per point.
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64, f64, f64)>,
}

pub fn sweep_svg(x_label: &str, metric: &str, series: &[Series]) -> anyhow::Result<String> {
    font::register();
    let all = series.iter().flat_map(|s| &s.points);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, _, lo, hi) in all {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(lo), y1.max(hi));
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let pad = ((y1 - y0) * 0.05).max(1e-9);
    let (y0, y1) = (y0 - pad, y1 + pad);
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{metric} by {x_label}"), (FAMILY, 20))
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(format!("{metric} (mean, 95% band)"))
            .label_style((FAMILY, 12))
            .axis_desc_style((FAMILY, 14))
            .draw()?;
        for (i, s) in series.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let band: Vec<(f64, f64)> = s
                .points
                .iter()
                .map(|p| (p.0, p.3))
                .chain(s.points.iter().rev().map(|p| (p.0, p.2)))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.2).filled())))?;
            let line = chart.draw_series(LineSeries::new(
                s.points.iter().map(|p| (p.0, p.1)),
                color.stroke_width(2),
            ))?;
            if !s.label.is_empty() {
                line.label(s.label.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            }
        }
        if series.iter().any(|s| !s.label.is_empty()) {
            chart
                .configure_series_labels()
                .label_font((FAMILY, 12))
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_lines_bands_and_labels() {
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
        let svg = sweep_svg("agents.emea.count", "fallback_rate", &series).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("fallback_rate by agents.emea.count"));
        assert!(svg.contains("package.cap=10"));
        assert_eq!(svg.matches("<polygon").count(), 2);
    }
}
