//! What every `report.html` shares: the head and its style sheet, the title block, sections,
//! tables whose cells hold a mean with its interval beneath, and escaping. Numbers print through
//! [`crate::figure`], as everywhere else.

use std::fmt::Write;

use crate::figure::{self, Unit};
use crate::report::RunSummary;
use crate::stats::Summary;

/// One style sheet for every page. Tables never scroll sideways: headings wrap, an interval sits
/// under its mean, and a page gives a table only the columns that fit (the CSV files have all).
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d1d1d;
       max-width: 1240px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2.4rem; border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; }
h3 { margin: 1.6rem 0 0.2rem; font-size: 1.05rem; }
.sub { color: #555; margin-top: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child, th.text, td.text { text-align: left; }
td:first-child { white-space: nowrap; }
th { vertical-align: bottom; background: #f2f5f8; }
span.ci { color: #666; font-size: 0.8rem; white-space: nowrap; }
td.ci { color: #666; white-space: nowrap; }
.met { color: #00734d; font-weight: 600; }
.missed { color: #b3261e; font-weight: 600; }
figure { margin: 1.6rem 0; }
figure svg { width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #555; font-size: 0.9rem; }
.note { color: #555; font-size: 0.9rem; }
.answer { font-size: 1.15rem; }
.indent { padding-left: 1.2rem; }
";

/// A page being written: [`Page::new`] opens it, [`Page::finish`] closes it.
pub struct Page {
    html: String,
}

impl Page {
    /// The head, the style sheet and the title block; `sub_html` is markup (escape its text).
    pub fn new(title: &str, heading: &str, sub_html: &str) -> Page {
        let mut html = String::new();
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n\
             <p class=\"sub\">{sub_html}</p>\n",
            esc(title),
            esc(heading),
        );
        Page { html }
    }

    /// A section heading.
    pub fn section(&mut self, title: &str) {
        let _ = writeln!(self.html, "<h2>{}</h2>", esc(title));
    }

    /// A sub-heading inside a section.
    pub fn subsection(&mut self, title: &str) {
        let _ = writeln!(self.html, "<h3>{}</h3>", esc(title));
    }

    /// A paragraph of notes; `html` is markup.
    pub fn note(&mut self, html: &str) {
        let _ = writeln!(self.html, "<p class=\"note\">{html}</p>");
    }

    /// Markup as it is.
    pub fn raw(&mut self, html: &str) {
        self.html.push_str(html);
    }

    pub fn table(&mut self, t: &HtmlTable) {
        t.write(&mut self.html);
    }

    /// An SVG plot the command also wrote as files, inlined as it is.
    pub fn plot(&mut self, id: &str, title: &str, svg: &str, caption_html: &str) {
        let _ = write!(
            self.html,
            "<figure id=\"plot-{}\" aria-label=\"{}\">\n{}\n<figcaption>{caption_html}\
             </figcaption>\n</figure>\n",
            esc(id),
            esc(title),
            svg.trim(),
        );
    }

    pub fn finish(mut self) -> String {
        self.html.push_str("</body>\n</html>\n");
        self.html
    }
}

/// A table of markup cells: the first column and those marked as text are left-aligned, the
/// others (numbers) right-aligned. A row shorter than the headings is padded with empty cells.
pub struct HtmlTable {
    head: Vec<String>,
    /// Which columns after the first are text.
    text: Vec<usize>,
    rows: Vec<Vec<String>>,
}

impl HtmlTable {
    /// Headings are text, escaped here.
    pub fn new<S: AsRef<str>>(head: impl IntoIterator<Item = S>) -> HtmlTable {
        HtmlTable {
            head: head.into_iter().map(|h| esc(h.as_ref())).collect(),
            text: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Headings that are markup already.
    pub fn from_markup(head: impl IntoIterator<Item = String>) -> HtmlTable {
        HtmlTable {
            head: head.into_iter().collect(),
            text: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// The first `n` columns are text.
    pub fn text_columns(mut self, n: usize) -> HtmlTable {
        self.text.extend(1..n);
        self
    }

    /// Column `i` is text.
    pub fn text_column(mut self, i: usize) -> HtmlTable {
        self.text.push(i);
        self
    }

    /// A row of markup cells.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn class(&self, i: usize) -> &'static str {
        if i > 0 && self.text.contains(&i) {
            " class=\"text\""
        } else {
            ""
        }
    }

    fn write(&self, h: &mut String) {
        h.push_str("<table>\n<tr>");
        for (i, c) in self.head.iter().enumerate() {
            let _ = write!(h, "<th{}>{c}</th>", self.class(i));
        }
        h.push_str("</tr>\n");
        for cells in &self.rows {
            h.push_str("<tr>");
            for i in 0..self.head.len().max(cells.len()) {
                let cell = cells.get(i).map_or("", String::as_str);
                let _ = write!(h, "<td{}>{cell}</td>", self.class(i));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
    }
}

/// The headline figures of a run (as the terminal prints them): mean and 95% interval.
pub fn headline_table(s: &RunSummary) -> HtmlTable {
    let mut t = HtmlTable::new(["figure", "mean", "95% interval"]);
    for (metric, label) in s.headline() {
        let unit = metric.unit();
        let x = s.site(metric);
        // A reason's rate is indented under the fallback rate, as in the terminal.
        let name = if label.starts_with(' ') {
            format!("<span class=\"indent\">{}</span>", esc(label.trim()))
        } else {
            esc(&label)
        };
        t.row(vec![
            name,
            value_cell(unit, x.map(|x| x.mean)),
            interval_cell(unit, x.map(|x| x.ci95)),
        ]);
    }
    t
}

/// A 95% interval on its own, or `-` where undefined.
pub fn interval_cell(unit: Unit, ci: Option<[f64; 2]>) -> String {
    let text = ci.map_or("-".into(), |ci| figure::interval(unit, ci));
    format!("<span class=\"ci\">{text}</span>")
}

/// A mean with its 95% interval beneath, or `-` where undefined.
pub fn estimate_cell(unit: Unit, s: Option<&Summary>) -> String {
    s.map_or("-".into(), |s| {
        format!(
            "{}<br><span class=\"ci\">{}</span>",
            figure::value(unit, s.mean),
            figure::interval(unit, s.ci95)
        )
    })
}

/// A value, or `-` where undefined.
pub fn value_cell(unit: Unit, v: Option<f64>) -> String {
    v.map_or("-".into(), |v| figure::value(unit, v))
}

/// Who made the page, for the title block.
pub fn made_by() -> String {
    format!("Made by chatsim {}", env!("CARGO_PKG_VERSION"))
}

/// Text and attribute values for the page: the XML escapes (`&lt;`, `&amp;`, `&quot;`, ...)
/// are valid HTML too.
pub fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// A name that may break after its dots and underscores, so that a long figure name such as
/// `teams.sales.fallback_rate.at_cap` wraps in a narrow heading instead of widening the table.
pub fn breakable(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        out.push_str(&esc(c.encode_utf8(&mut [0; 4])));
        if c == '.' || c == '_' {
            out.push_str("<wbr>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        assert_eq!(
            esc("<a & 'b' \"c\">"),
            "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;"
        );
        assert_eq!(breakable("a.b_<c>"), "a.<wbr>b_<wbr>&lt;c&gt;");
    }

    #[test]
    fn a_page_is_one_document_with_its_parts_in_order() {
        let mut p = Page::new("t <1>", "Heading & more", "sub");
        p.section("Section");
        let mut t = HtmlTable::new(["name", "value"]);
        t.row(vec!["<b>x</b>".into(), "1.0".into()]);
        t.row(vec!["short".into()]);
        p.table(&t);
        let html = p.finish();
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        assert!(html.contains("<title>t &lt;1&gt;</title>"));
        assert!(html.contains("<h1>Heading &amp; more</h1>"));
        // Cells are markup; missing ones are empty.
        assert!(html.contains("<tr><td><b>x</b></td><td>1.0</td></tr>"));
        assert!(html.contains("<tr><td>short</td><td></td></tr>"));
        assert!(html.find("<h2>Section</h2>") < html.find("<table>"));
    }

    #[test]
    fn an_estimate_cell_has_the_interval_under_the_mean() {
        let s = Summary::of([0.1, 0.12, 0.11, 0.09]).unwrap();
        let cell = estimate_cell(Unit::Share, Some(&s));
        assert!(cell.starts_with("10.50%<br><span class=\"ci\">["), "{cell}");
        assert_eq!(estimate_cell(Unit::Share, None), "-");
        assert_eq!(value_cell(Unit::Count, Some(2.0)), "2.0");
    }
}
