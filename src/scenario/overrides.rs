//! `a.b.c=VALUE` overrides, applied to the parsed document before it is read, so that they go
//! through exactly the same checks as the file.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One scenario key set from outside the file, like `package.cap=5` or `agents.emea.count=2`.
///
/// In an array of tables (`[[agents]]`, `[[streams]]`), a path segment picks the entry whose
/// `name` is that segment, or else the entry at that index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    pub path: String,
    /// A TOML value (number, bool, array, inline table, quoted string) or else a bare string.
    pub value: String,
}

#[derive(Debug, thiserror::Error)]
#[error("expected PATH=VALUE like package.cap=5, got {0:?}")]
pub struct OverrideSyntaxError(String);

impl FromStr for Override {
    type Err = OverrideSyntaxError;

    fn from_str(s: &str) -> Result<Override, OverrideSyntaxError> {
        let (path, value) = s
            .split_once('=')
            .ok_or_else(|| OverrideSyntaxError(s.into()))?;
        let path = path.trim();
        if path.split('.').any(|seg| seg.trim().is_empty()) {
            return Err(OverrideSyntaxError(s.into()));
        }
        Ok(Override {
            path: path.into(),
            value: value.trim().into(),
        })
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// Sets `ov` in `root`. Every span of the new value is moved by `offset`, so that errors about
/// it can be told apart from errors about the file's text.
pub(crate) fn apply<'a>(
    root: &mut DeTable<'a>,
    ov: &'a Override,
    offset: usize,
) -> Result<(), String> {
    let slot = offset..offset + ov.value.len();
    let value = match DeValue::parse(&ov.value) {
        Ok(v) => shifted(v, offset),
        Err(_) => Spanned::new(slot.clone(), DeValue::String(Cow::Borrowed(&ov.value))),
    };
    let segments: Vec<&str> = ov.path.split('.').map(str::trim).collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "expected a dotted key path like package.cap, got {:?}",
            ov.path
        ));
    }
    set_in_table(root, &segments, 0, value, &slot)
}

fn set_in_table<'a>(
    table: &mut DeTable<'a>,
    segments: &[&'a str],
    depth: usize,
    value: Spanned<DeValue<'a>>,
    slot: &Range<usize>,
) -> Result<(), String> {
    let key = Spanned::new(slot.clone(), Cow::Borrowed(segments[depth]));
    if depth + 1 == segments.len() {
        table.insert(key, value);
        return Ok(());
    }
    let child = table
        .entry(key)
        .or_insert_with(|| Spanned::new(slot.clone(), DeValue::Table(DeTable::new())));
    set_in_value(child, segments, depth + 1, value, slot)
}

/// Sets `segments[depth..]` inside `node`, which `segments[..depth]` leads to.
fn set_in_value<'a>(
    node: &mut Spanned<DeValue<'a>>,
    segments: &[&'a str],
    depth: usize,
    value: Spanned<DeValue<'a>>,
    slot: &Range<usize>,
) -> Result<(), String> {
    let walked = segments[..depth].join(".");
    match node.get_mut() {
        DeValue::Table(table) => set_in_table(table, segments, depth, value, slot),
        DeValue::Array(items) => {
            let i = pick(items, segments[depth], &walked)?;
            let item = &mut items.as_mut()[i];
            if depth + 1 == segments.len() {
                *item = value;
                Ok(())
            } else {
                set_in_value(item, segments, depth + 1, value, slot)
            }
        }
        other => Err(format!("{walked} is {}, not a table", kind(other))),
    }
}

/// The index of the entry `segment` names: by its `name` key, else by position.
fn pick(items: &[Spanned<DeValue<'_>>], segment: &str, walked: &str) -> Result<usize, String> {
    let name_of = |item: &Spanned<DeValue<'_>>| match item.get_ref() {
        DeValue::Table(t) => match t.get("name").map(|n| n.get_ref()) {
            Some(DeValue::String(s)) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    };
    if let Some(i) = items
        .iter()
        .position(|it| name_of(it).as_deref() == Some(segment))
    {
        return Ok(i);
    }
    if let Ok(i) = segment.parse::<usize>()
        && i < items.len()
    {
        return Ok(i);
    }
    let names: Vec<String> = items.iter().filter_map(name_of).collect();
    Err(if names.is_empty() {
        format!(
            "{walked} has {} entries; {segment:?} is not an index below that",
            items.len()
        )
    } else {
        format!(
            "no {walked} entry is named {segment:?} ({walked}: {})",
            names.join(", ")
        )
    })
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn shift(span: Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

fn shifted(v: Spanned<DeValue<'_>>, by: usize) -> Spanned<DeValue<'_>> {
    let span = shift(v.span(), by);
    let inner = match v.into_inner() {
        DeValue::Array(mut items) => {
            for item in items.iter_mut() {
                let taken = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                *item = shifted(taken, by);
            }
            DeValue::Array(items)
        }
        DeValue::Table(table) => DeValue::Table(
            table
                .into_iter()
                .map(|(k, v)| {
                    (
                        Spanned::new(shift(k.span(), by), k.into_inner()),
                        shifted(v, by),
                    )
                })
                .collect(),
        ),
        other => other,
    };
    Spanned::new(span, inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(text: &str, ov: &str) -> Result<toml::Table, String> {
        let ov: Override = ov.parse().unwrap();
        let mut doc = DeTable::parse(text).unwrap().into_inner();
        apply(&mut doc, &ov, text.len() + 1)?;
        let de = toml::de::Deserializer::from(Spanned::new(0..0, doc));
        Ok(serde::Deserialize::deserialize(de).unwrap())
    }

    #[test]
    fn parses_path_and_value() {
        let ov: Override = "package.cap = 5".parse().unwrap();
        assert_eq!(
            ov,
            Override {
                path: "package.cap".into(),
                value: "5".into()
            }
        );
        let ov: Override = "name=a=b".parse().unwrap();
        assert_eq!(ov.value, "a=b");
        assert!("package.cap".parse::<Override>().is_err());
        assert!("=5".parse::<Override>().is_err());
        assert!("a..b=5".parse::<Override>().is_err());
    }

    #[test]
    fn values_are_toml_when_they_parse_else_strings() {
        let t = applied("", "a.n=5").unwrap();
        assert_eq!(t["a"]["n"].as_integer(), Some(5));
        let t = applied("", "a.s=30d").unwrap();
        assert_eq!(t["a"]["s"].as_str(), Some("30d"));
        let t = applied("", r#"a.s="x y""#).unwrap();
        assert_eq!(t["a"]["s"].as_str(), Some("x y"));
        let t = applied("", "a.l=[1, 2]").unwrap();
        assert_eq!(t["a"]["l"].as_array().map(|a| a.len()), Some(2));
        let t = applied("", "a.t={ dist = \"constant\", value = 3 }").unwrap();
        assert_eq!(t["a"]["t"]["value"].as_integer(), Some(3));
    }

    #[test]
    fn replaces_and_creates_tables() {
        let t = applied("[package]\ncap = 10\ntier = \"prime\"\n", "package.cap=5").unwrap();
        assert_eq!(t["package"]["cap"].as_integer(), Some(5));
        assert_eq!(t["package"]["tier"].as_str(), Some("prime"));
        let t = applied("", "visitors.patience.dist=exponential").unwrap();
        assert_eq!(
            t["visitors"]["patience"]["dist"].as_str(),
            Some("exponential")
        );
    }

    #[test]
    fn addresses_array_entries_by_name_or_index() {
        let text = "[[agents]]\nname = \"sales\"\n[[agents]]\nname = \"emea\"\ncount = 4\n";
        let t = applied(text, "agents.emea.count=2").unwrap();
        assert_eq!(t["agents"][1]["count"].as_integer(), Some(2));
        let t = applied(text, "agents.0.count=7").unwrap();
        assert_eq!(t["agents"][0]["count"].as_integer(), Some(7));
        let err = applied(text, "agents.emae.count=2").unwrap_err();
        assert!(
            err.contains("\"emae\"") && err.contains("sales, emea"),
            "{err}"
        );
    }

    #[test]
    fn cannot_descend_into_a_value() {
        let err = applied("[package]\ncap = 10\n", "package.cap.x=1").unwrap_err();
        assert_eq!(err, "package.cap is an integer, not a table");
    }
}
