//! Observed durations for empirical distributions, read from a CSV file of seconds.

use std::path::Path;

/// The numbers in `column` (default: the first) of the CSV at `path`, shown as `shown` in
/// messages. A header row is optional, unless a column is named.
pub fn read(path: &Path, shown: &str, column: Option<&str>) -> Result<Vec<f64>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("cannot read {shown}: {}", io_reason(&e)))?;
    let mut records = reader.records();
    let sample = |record: &csv::StringRecord, index: usize| -> Result<f64, String> {
        let line = record.position().map_or(0, |p| p.line());
        let field = record.get(index).unwrap_or("");
        match field.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(format!(
                "{shown} line {line}: expected a non-negative number of seconds, got {field:?}"
            )),
        }
    };

    let Some(first) = records.next() else {
        return Err(format!("{shown} is empty"));
    };
    let first = first.map_err(|e| format!("{shown}: {e}"))?;
    let (index, mut samples) = match column {
        Some(name) => {
            let index = first.iter().position(|h| h == name).ok_or_else(|| {
                let columns: Vec<&str> = first.iter().collect();
                format!(
                    "{shown} has no column {name:?} in its header (columns: {})",
                    columns.join(", ")
                )
            })?;
            (index, Vec::new())
        }
        // A first row that does not start with a number is a header.
        None if first.get(0).is_some_and(|f| f.parse::<f64>().is_err()) => (0, Vec::new()),
        None => (0, vec![sample(&first, 0)?]),
    };
    for record in records {
        let record = record.map_err(|e| format!("{shown}: {e}"))?;
        samples.push(sample(&record, index)?);
    }
    if samples.is_empty() {
        return Err(format!("{shown} has no values"));
    }
    Ok(samples)
}

fn io_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
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
            err.contains("no column \"reply\"") && err.contains("agent, response"),
            "{err}"
        );
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
