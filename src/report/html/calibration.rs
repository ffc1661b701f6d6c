//! The `report.html` of the calibration commands (`fit`, `backtest`): a summary, tables of
//! plain text cells, and the plots inline.

use super::page::{HtmlTable, Page, esc, made_by};
use crate::report::plots::Rendered;

/// One table: its section title, a note under it, its column heads and rows (text, escaped
/// here).
pub struct TextTable {
    pub title: String,
    pub note: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub struct CalibrationPage<'a> {
    pub title: String,
    pub heading: String,
    /// What the page is about (text).
    pub sub: String,
    /// A one-line verdict (text), shown as passed or failed when set.
    pub verdict: Option<(bool, String)>,
    pub tables: Vec<TextTable>,
    pub plots: &'a [Rendered],
}

pub fn calibration_html(c: &CalibrationPage) -> String {
    let sub = format!("{} {}.", esc(&c.sub), made_by());
    let mut p = Page::new(&c.title, &c.heading, &sub);
    if let Some((passed, text)) = &c.verdict {
        let class = if *passed { "met" } else { "missed" };
        p.raw(&format!(
            "<p class=\"answer\"><span class=\"{class}\">{}</span></p>\n",
            esc(text)
        ));
    }
    for t in &c.tables {
        p.section(&t.title);
        if !t.note.is_empty() {
            p.note(&esc(&t.note));
        }
        let mut table = HtmlTable::new(t.head.iter()).text_columns(1);
        for row in &t.rows {
            table.row(row.iter().map(|s| esc(s)).collect());
        }
        p.table(&table);
    }
    if !c.plots.is_empty() {
        p.section("Plots");
        for r in c.plots {
            p.plot(r.name, &r.title, &r.svg, &esc(&r.title));
        }
    }
    p.finish()
}
