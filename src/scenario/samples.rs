//! Observed durations for empirical distributions, read from a CSV file of seconds.

use std::path::Path;

use super::paths::{excerpt, open_regular};

/// Values one empirical file may hold (8 bytes each in memory).
pub const MAX_SAMPLES: usize = 10_000_000;
/// The largest empirical file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The numbers in `column` (default: the first) of the CSV at `path`, shown as `shown` in
/// messages. A header row is optional, unless a column is named. Messages quote at most a short
/// excerpt of the offending field, never the rest of the file.
pub fn read(path: &Path, shown: &str, column: Option<&str>) -> Result<Vec<f64>, String> {
    let file = open_regular(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let bytes = file
        .metadata()
        .map_err(|e| format!("cannot read {shown}: {e}"))?
        .len();
    if bytes > MAX_FILE_BYTES {
        return Err(format!(
            "{shown} is larger than {} MiB, the most an empirical file may hold",
            MAX_FILE_BYTES >> 20
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file);
    let mut records = reader.records();
    let sample = |record: &csv::StringRecord, index: usize| -> Result<f64, String> {
        let line = record.position().map_or(0, |p| p.line());
        let field = record.get(index).unwrap_or("");
        match field.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(format!(
                "{shown} line {line}: expected a non-negative number of seconds, got {}",
                excerpt(field)
            )),
        }
    };

    let Some(first) = records.next() else {
        return Err(format!("{shown} is empty"));
    };
    let first = first.map_err(|e| format!("{shown}: {}", csv_reason(&e)))?;
    let (index, mut samples) = match column {
        Some(name) => {
            let index = first.iter().position(|h| h == name).ok_or_else(|| {
                format!(
                    "{shown} has no column {} in its header (the header has {} columns)",
                    excerpt(name),
                    first.len()
                )
            })?;
            (index, Vec::new())
        }
        // A first row that does not look like a number (a digit, a sign or a point first) is a
        // header; one that does is data, so that "0x10" is reported as a bad value.
        None if first.get(0).is_some_and(|f| !looks_numeric(f)) => (0, Vec::new()),
        None => (0, vec![sample(&first, 0)?]),
    };
    for record in records {
        let record = record.map_err(|e| format!("{shown}: {}", csv_reason(&e)))?;
        if samples.len() == MAX_SAMPLES {
            return Err(format!(
                "{shown} has more than {MAX_SAMPLES} values, the most an empirical file may hold"
            ));
        }
        samples.push(sample(&record, index)?);
    }
    if samples.is_empty() {
        return Err(format!("{shown} has no values"));
    }
    Ok(samples)
}

fn looks_numeric(field: &str) -> bool {
    field
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
}

/// A CSV reading error, without the record's contents.
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {}: not valid UTF-8 text",
            pos.as_ref().map_or(0, |p| p.line())
        ),
        _ => "not a valid CSV file".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str, column: Option<&str>) -> Result<Vec<f64>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, text).unwrap();
        read(&path, "s.csv", column)
    }

    #[test]
    fn header_is_optional() {
        assert_eq!(read_text("12\n30.5\n", None), Ok(vec![12.0, 30.5]));
        assert_eq!(read_text("seconds\n12\n30.5\n", None), Ok(vec![12.0, 30.5]));
    }

    #[test]
    fn picks_a_named_column() {
        let text = "agent,response\nana,12\nbo,40\n";
        assert_eq!(read_text(text, Some("response")), Ok(vec![12.0, 40.0]));
        let err = read_text(text, Some("reply")).unwrap_err();
        assert!(
            err.contains("no column \"reply\"") && err.contains("2 columns"),
            "{err}"
        );
        // The header's other names are the file's content: not echoed.
        assert!(!err.contains("agent"), "{err}");
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let err = read_text("seconds\n12\nabc\n", None).unwrap_err();
        assert!(err.contains("line 3") && err.contains("\"abc\""), "{err}");
        let err = read_text("seconds\n12\n-4\n", None).unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        let err = read_text("-4\n", None).unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        let err = read_text("a,b\n1\n", Some("b")).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn messages_quote_a_short_excerpt_only() {
        // An environment-like file: one long row of NUL-separated secrets.
        let secret = format!("HOME=/root\0TOKEN={}\0", "s3cr3t".repeat(40));
        let err = read_text(&secret, Some("?")).unwrap_err();
        assert!(!err.contains("s3cr3t") && !err.contains("TOKEN"), "{err}");
        let err = read_text(&format!("1\n{secret}\n"), None).unwrap_err();
        // Only a short excerpt of the offending field.
        assert!(
            err.contains("line 2") && err.matches("s3cr3t").count() <= 6,
            "{err}"
        );
        assert!(err.len() < 200, "{err}");
    }

    #[test]
    fn a_hex_first_row_is_a_bad_value_not_a_header() {
        let err = read_text("0x10\n", None).unwrap_err();
        assert!(err.contains("line 1") && err.contains("\"0x10\""), "{err}");
    }

    #[test]
    fn empty_and_missing_files() {
        assert!(read_text("", None).unwrap_err().contains("empty"));
        assert!(
            read_text("seconds\n", None)
                .unwrap_err()
                .contains("no values")
        );
        let err = read(Path::new("/nonexistent/x.csv"), "x.csv", None).unwrap_err();
        assert!(err.starts_with("cannot read x.csv"), "{err}");
    }
}
