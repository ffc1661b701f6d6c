//! `sweep`'s `report.html`: the settings swept, the sweep plot as the command drew it, and every
//! point's figures with their 95% intervals.

use crate::figure::Figure;
use crate::report::SweepRow;

use super::page::{HtmlTable, Page, breakable, esc, estimate_cell, made_by};

/// Columns per table of points, swept keys and figures together: more would widen the page past
/// a laptop's window, so a long list of `--metric`s is split over several tables (each with at
/// least two figures).
const COLUMNS_PER_TABLE: usize = 8;
/// Points shown; `sweep.csv` has them all.
const SHOWN: usize = 1000;

/// What a sweep's page shows.
pub struct SweepPage<'a> {
    pub scenario: &'a str,
    /// Each swept key with its values, in grid order.
    pub axes: Vec<(String, Vec<String>)>,
    /// The settings every point shares, as `PATH=VALUE`.
    pub fixed: Vec<String>,
    pub figures: &'a [Figure],
    pub rows: &'a [SweepRow],
    /// The plot the command wrote (`file`), inlined as it is.
    pub plot_svg: &'a str,
    pub plot_file: &'a str,
}

pub fn sweep_html(s: &SweepPage) -> String {
    let keys: Vec<&str> = s.axes.iter().map(|(k, _)| k.as_str()).collect();
    let replications = per_point(s.rows)
        .map(|n| format!(" of {n} replications"))
        .unwrap_or_default();
    let sub = format!(
        "{points} points; at each, every figure is the mean per replication{replications} with \
         its 95% confidence interval, all points drawing the same random numbers. {made_by}.",
        points = s.rows.len(),
        made_by = made_by(),
    );
    let mut p = Page::new(
        &format!("chatsim sweep: {}", s.scenario),
        &format!("Sweep of {}: {}", keys.join(", "), s.scenario),
        &sub,
    );
    p.section("Settings swept");
    let mut t = HtmlTable::new(["key", "values", "count"]).text_columns(2);
    for (key, values) in &s.axes {
        t.row(vec![
            format!("<code>{}</code>", esc(key)),
            esc(&values.join(", ")),
            values.len().to_string(),
        ]);
    }
    p.table(&t);
    if !s.fixed.is_empty() {
        p.note(&format!(
            "At every point also <code>{}</code>.",
            esc(&s.fixed.join(" "))
        ));
    }
    if let (Some(first), Some(key)) = (s.figures.first(), keys.first()) {
        p.section("Plot");
        let title = format!("{first} against {key}");
        let caption = format!(
            "{} against {}, with 95% bands; also <code>{file}.png</code> and \
             <code>{file}.svg</code>.",
            esc(&first.name()),
            esc(key),
            file = esc(s.plot_file)
        );
        p.plot("sweep", &title, s.plot_svg, &caption);
    }
    p.section("Points");
    p.note(&format!(
        "Mean per replication with the 95% interval beneath{}; <code>sweep.csv</code> has \
         every point with full precision.",
        if s.rows.len() > SHOWN {
            format!(", for the first {SHOWN} of {} points", s.rows.len())
        } else {
            String::new()
        }
    ));
    let figures: Vec<(usize, &Figure)> = s.figures.iter().enumerate().collect();
    let per_table = COLUMNS_PER_TABLE.saturating_sub(keys.len()).clamp(2, 5);
    for chunk in figures.chunks(per_table) {
        let head = keys
            .iter()
            .map(|k| breakable(k))
            .chain(chunk.iter().map(|(_, f)| breakable(&f.name())));
        let mut t = HtmlTable::from_markup(head).text_columns(keys.len());
        for r in s.rows.iter().take(SHOWN) {
            let mut cells: Vec<String> = r.settings.iter().map(|v| esc(v)).collect();
            cells.extend(
                chunk
                    .iter()
                    .map(|&(i, f)| estimate_cell(f.metric.unit(), r.values[i].as_ref())),
            );
            t.row(cells);
        }
        p.table(&t);
    }
    p.finish()
}

/// The replications at every point, when all points had the same number: the most that any
/// figure of a point was defined in.
fn per_point(rows: &[SweepRow]) -> Option<usize> {
    let mut counts = rows
        .iter()
        .map(|r| r.values.iter().flatten().map(|s| s.n).max());
    let first = counts.next()??;
    counts.all(|n| n == Some(first)).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Metric;
    use crate::stats::Summary;

    fn page(rows: &[SweepRow], figures: &[Figure]) -> String {
        sweep_html(&SweepPage {
            scenario: "two <teams>",
            axes: vec![
                ("agents.sales.count".into(), vec!["2".into(), "4".into()]),
                ("package.cap".into(), vec!["1".into()]),
            ],
            fixed: vec!["simulation.seed=7".into()],
            figures,
            rows,
            plot_svg: "<svg id=\"drawn\"></svg>",
            plot_file: "sweep",
        })
    }

    fn row(a: &str, values: &[f64]) -> SweepRow {
        SweepRow {
            settings: vec![a.into(), "1".into()],
            values: vec![Summary::of(values.iter().copied()), None],
        }
    }

    #[test]
    fn shows_the_settings_the_plot_and_every_point() {
        let figures = [
            Figure::site(Metric::FallbackRate),
            Figure::site(Metric::Occupancy),
        ];
        let rows = [row("2", &[0.2, 0.22]), row("4", &[0.05, 0.07])];
        let html = page(&rows, &figures);
        assert!(html.contains("Sweep of agents.sales.count, package.cap: two &lt;teams&gt;"));
        assert!(html.contains("<td class=\"text\">2, 4</td>"));
        assert!(html.contains("<code>simulation.seed=7</code>"));
        assert!(html.contains("2 replications"), "{html}");
        let plot = html.find("id=\"plot-sweep\"").unwrap();
        assert!(html[plot..].contains("<svg id=\"drawn\"></svg>"));
        // Each point's mean with its interval beneath; undefined figures read `-`.
        assert!(
            html.contains("<td>21.00%<br><span class=\"ci\">["),
            "{html}"
        );
        assert!(html.contains("<td>6.00%<br>"));
        assert!(html.contains("<td>-</td>"));
        assert!(html.contains("fallback_<wbr>rate"));
    }

    #[test]
    fn many_figures_are_split_over_tables() {
        let figures: Vec<Figure> = (0..7).map(|_| Figure::site(Metric::Requests)).collect();
        let rows = [SweepRow {
            settings: vec!["2".into(), "1".into()],
            values: vec![Summary::of([1.0, 2.0]); 7],
        }];
        let html = page(&rows, &figures);
        // Two tables of points after the table of settings.
        assert_eq!(html.matches("<table>").count(), 3);
    }
}
