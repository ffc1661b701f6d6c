//! The scenario's TOML document with its overrides applied, and where in it an error is.
//!
//! Overrides are not in the file's text, so their values get spans past the text's end, one slot
//! each: an error inside a slot is reported against the override instead of a line.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Override;
use super::error::Problem;
use super::overrides;
use super::raw::RawScenario;

pub(crate) struct Document<'a> {
    text: &'a str,
    overrides: &'a [Override],
    /// Where each override's slot starts, past the text.
    slots: Vec<usize>,
    root: DeTable<'a>,
}

#[derive(Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

impl<'a> Document<'a> {
    pub fn parse(text: &'a str, overrides: &'a [Override]) -> Result<Document<'a>, Problem> {
        let root = DeTable::parse(text).map_err(|e| {
            let at = e
                .span()
                .map_or_else(|| "syntax".to_string(), |s| line_col(text, s.start));
            Problem::new(at, e.message().trim_end())
        })?;
        let mut doc = Document {
            text,
            overrides,
            slots: Vec::new(),
            root: root.into_inner(),
        };
        let mut next = text.len() + 1;
        for ov in overrides {
            doc.slots.push(next);
            overrides::apply(&mut doc.root, ov, next)
                .map_err(|why| Problem::new(format!("set {ov}"), why))?;
            next += ov.value.len() + 1;
        }
        Ok(doc)
    }

    /// The raw scenario, or the first key that does not fit its shape.
    pub fn read(&self) -> Result<RawScenario, Problem> {
        let de = toml::de::Deserializer::from(Spanned::new(0..0, self.root.clone()));
        RawScenario::deserialize(de).map_err(|e| {
            let span = e.span();
            let path = span.as_ref().and_then(|s| self.path_at(s));
            let at = match (path, span) {
                (Some(path), Some(span)) => format!("{path} ({})", self.describe(span.start)),
                (None, Some(span)) => self.describe(span.start),
                (Some(path), None) => path,
                (None, None) => "scenario".to_string(),
            };
            Problem::new(at, e.message().trim_end())
        })
    }

    /// `problem` with the line of the key it names, when the document has that key.
    pub fn locate(&self, problem: Problem) -> Problem {
        match self.span_of(&problem.at) {
            Some(span) => Problem {
                at: format!("{} ({})", problem.at, self.describe(span.start)),
                ..problem
            },
            None => problem,
        }
    }

    /// `line L, column C` in the file, or the override a position past the file's end is in.
    fn describe(&self, pos: usize) -> String {
        if pos <= self.text.len() {
            return line_col(self.text, pos);
        }
        let i = self
            .slots
            .iter()
            .rposition(|&start| start <= pos)
            .unwrap_or(0);
        match self.overrides.get(i) {
            Some(ov) => format!("set {ov}"),
            None => "set".to_string(),
        }
    }

    /// The key path of the deepest key or value whose span holds `at`.
    fn path_at(&self, at: &Range<usize>) -> Option<String> {
        let mut best: Option<Vec<Segment>> = None;
        let mut path = Vec::new();
        search_table(&self.root, at, &mut path, &mut best);
        best.map(|p| format_path(&p))
    }

    /// The span of the value at a key path like `agents[2].response.median`, or of its deepest
    /// part present in the document.
    fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let mut found: Option<Range<usize>> = None;
        let mut node: Option<&Spanned<DeValue<'a>>> = None;
        for part in path.split('.') {
            let (key, indices) = match part.find('[') {
                Some(k) => (&part[..k], &part[k..]),
                None => (part, ""),
            };
            let table = match node.map(|n| n.get_ref()) {
                None => &self.root,
                Some(DeValue::Table(t)) => t,
                Some(_) => break,
            };
            let Some(child) = table.get(key) else { break };
            found = Some(child.span());
            node = Some(child);
            for index in indices.split('[').filter(|s| !s.is_empty()) {
                let item = index
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| match node?.get_ref() {
                        DeValue::Array(items) => items.get(i),
                        _ => None,
                    });
                let Some(item) = item else { return found };
                found = Some(item.span());
                node = Some(item);
            }
        }
        found
    }
}

fn search_table(
    table: &DeTable<'_>,
    at: &Range<usize>,
    path: &mut Vec<Segment>,
    best: &mut Option<Vec<Segment>>,
) {
    for (key, value) in table.iter() {
        path.push(Segment::Key(key.get_ref().to_string()));
        if holds(&key.span(), at) || holds(&value.span(), at) {
            offer(path, best);
        }
        search_value(value.get_ref(), at, path, best);
        path.pop();
    }
}

fn search_value(
    value: &DeValue<'_>,
    at: &Range<usize>,
    path: &mut Vec<Segment>,
    best: &mut Option<Vec<Segment>>,
) {
    match value {
        DeValue::Table(t) => search_table(t, at, path, best),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                if holds(&item.span(), at) {
                    offer(path, best);
                }
                search_value(item.get_ref(), at, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

fn holds(span: &Range<usize>, at: &Range<usize>) -> bool {
    span.start <= at.start && at.end <= span.end
}

fn offer(path: &[Segment], best: &mut Option<Vec<Segment>>) {
    if best.as_ref().is_none_or(|b| path.len() > b.len()) {
        *best = Some(path.to_vec());
    }
}

fn format_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let bare = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if bare {
                    out.push_str(k)
                } else {
                    out.push_str(&format!("{k:?}"))
                }
            }
        }
    }
    out
}

/// `line L, column C` (both from 1) of byte offset `pos` in `text`.
fn line_col(text: &str, pos: usize) -> String {
    let pos = pos.min(text.len());
    let before = &text.as_bytes()[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    format!("line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_col("a = 1\nbc = 2\n", 0), "line 1, column 1");
        assert_eq!(line_col("a = 1\nbc = 2\n", 8), "line 2, column 3");
        assert_eq!(line_col("é = 1\nx", 7), "line 2, column 1");
        assert_eq!(line_col("ab", 99), "line 1, column 3");
    }

    #[test]
    fn finds_the_path_of_a_span_and_back() {
        let text = "[simulation]\nhorizon = \"7d\"\n\n[[agents]]\nname = \"a\"\n[[agents]]\nname = \"b\"\nresponse = { dist = \"x\" }\n";
        let doc = Document::parse(text, &[]).unwrap();
        let pos = text.find("\"x\"").unwrap();
        assert_eq!(
            doc.path_at(&(pos..pos + 3)).as_deref(),
            Some("agents[1].response.dist")
        );
        let pos = text.find("\"7d\"").unwrap();
        assert_eq!(
            doc.path_at(&(pos..pos + 4)).as_deref(),
            Some("simulation.horizon")
        );
        assert_eq!(
            doc.span_of("agents[1].response.dist").map(|s| s.start),
            Some(text.find("\"x\"").unwrap())
        );
        // A missing key is placed at its deepest present parent.
        assert_eq!(
            doc.span_of("agents[1].cap").map(|s| s.start),
            Some(text.rfind("[[agents]]").unwrap())
        );
        assert_eq!(doc.span_of("nothing"), None);
    }

    #[test]
    fn quotes_keys_that_are_not_bare() {
        let path = [
            Segment::Key("visitors".into()),
            Segment::Key("a b".into()),
            Segment::Index(2),
        ];
        assert_eq!(format_path(&path), "visitors.\"a b\"[2]");
    }
}
