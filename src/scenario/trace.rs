//! Arrival traces: a CSV of visitors (`time_s` or `time`, `stream`, optionally `live_chat` and
//! one column per visitor attribute) replayed instead of generated arrivals. The file is read row by row,
//! never whole: once when the scenario is checked, so that a bad row is reported before anything
//! runs, and again lazily by each replication.

use std::fs::File;
use std::path::PathBuf;

use super::fields::listing;
use super::paths::{excerpt, open_regular};
use super::types::{Attribute, Stream};

/// A trace that could not be read during a run although it was valid when the scenario was
/// loaded (the file changed since): the run stops at the row, and the command exits as for bad
/// input.
#[derive(Debug, thiserror::Error)]
#[error("the arrival trace failed during the run: {0}")]
pub struct TraceError(pub String);

/// A trace file, checked when the scenario was loaded.
#[derive(Clone, Debug)]
pub struct Trace {
    pub path: PathBuf,
    /// The file as the scenario names it, for messages.
    pub label: String,
    /// The `[arrivals]` rate keys the scenario gives, which a trace replaces (a warning names
    /// them).
    pub ignored: Vec<&'static str>,
    /// Its visitors (rows), counted when the scenario was checked.
    pub visitors: u64,
    /// The simulation's start, which date-times in a `time` column are counted from.
    pub start: jiff::Timestamp,
}

/// One visitor of a trace.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    /// Seconds since the start of the simulation.
    pub time_s: f64,
    /// `None`: a visitor on a page without a chat dialogue.
    pub stream: Option<u32>,
    /// Reaches the live-chat card (asks for an agent).
    pub asks: bool,
    /// Per scenario attribute: its value, or `None` to draw it from the scenario's shares.
    pub attributes: Vec<Option<u32>>,
}

enum Column {
    Time,
    /// An ISO 8601 date-time with `Z` or an offset, counted from the simulation's start.
    DateTime,
    Stream,
    LiveChat,
    Attribute(usize),
}

pub struct TraceReader {
    label: String,
    reader: csv::Reader<File>,
    columns: Vec<Column>,
    record: csv::StringRecord,
    streams: Vec<String>,
    attributes: Vec<Attribute>,
    last_time: f64,
    start: jiff::Timestamp,
}

impl TraceReader {
    pub fn open(
        trace: &Trace,
        streams: &[Stream],
        attributes: &[Attribute],
    ) -> Result<TraceReader, String> {
        let label = &trace.label;
        let file = open_regular(&trace.path).map_err(|e| format!("cannot read {label}: {e}"))?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        let header = reader
            .headers()
            .map_err(|e| format!("{label}: {}", reason(&e)))?
            .clone();
        let mut columns = Vec::new();
        for name in &header {
            let column = match name {
                "time_s" => Column::Time,
                "time" => Column::DateTime,
                "stream" => Column::Stream,
                "live_chat" => Column::LiveChat,
                _ => match attributes.iter().position(|a| a.name == name) {
                    Some(i) => Column::Attribute(i),
                    None => {
                        let names: Vec<&str> = attributes.iter().map(|a| a.name.as_str()).collect();
                        return Err(format!(
                            "{label} line 1: unknown column {} (expected time_s or time, \
                             stream, live_chat and the visitor attributes: {})",
                            excerpt(name),
                            listing(&names)
                        ));
                    }
                },
            };
            columns.push(column);
        }
        let times = header
            .iter()
            .filter(|h| matches!(*h, "time_s" | "time"))
            .count();
        if times == 0 {
            return Err(format!(
                "{label} line 1: no time_s (seconds since the start) or time (an ISO 8601 \
                 date-time) column in the header"
            ));
        }
        if times > 1 {
            return Err(format!(
                "{label} line 1: give one time column, time_s or time, not both"
            ));
        }
        if !header.iter().any(|h| h == "stream") {
            return Err(format!("{label} line 1: no stream column in the header"));
        }
        Ok(TraceReader {
            label: label.clone(),
            reader,
            columns,
            record: csv::StringRecord::new(),
            streams: streams.iter().map(|s| s.name.clone()).collect(),
            attributes: attributes.to_vec(),
            last_time: 0.0,
            start: trace.start,
        })
    }

    /// The next visitor, `None` at the end of the file; an error names the file and line.
    pub fn next_row(&mut self) -> Result<Option<TraceRow>, String> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => return Ok(None),
            Ok(true) => {}
            Err(e) => return Err(format!("{}: {}", self.label, reason(&e))),
        }
        let line = self.record.position().map_or(0, |p| p.line());
        let bad = |what: String| format!("{} line {line}: {what}", self.label);
        let mut row = TraceRow {
            time_s: f64::NAN,
            stream: None,
            asks: true,
            attributes: vec![None; self.attributes.len()],
        };
        for (column, cell) in self.columns.iter().zip(self.record.iter()) {
            match column {
                Column::Time => {
                    row.time_s = match cell.parse::<f64>() {
                        Ok(t) if t.is_finite() && t >= 0.0 => t,
                        _ => {
                            return Err(bad(format!(
                                "expected time_s, a non-negative number of seconds, got {}",
                                excerpt(cell)
                            )));
                        }
                    }
                }
                Column::DateTime => row.time_s = self.date_time(cell).map_err(bad)?,
                Column::Stream if cell.is_empty() => row.stream = None,
                Column::Stream => {
                    let i = self.streams.iter().position(|s| s == cell).ok_or_else(|| {
                        bad(format!(
                            "unknown stream {} (streams: {})",
                            excerpt(cell),
                            listing(&self.streams.iter().map(String::as_str).collect::<Vec<_>>())
                        ))
                    })?;
                    row.stream = Some(i as u32);
                }
                Column::LiveChat => {
                    row.asks = match cell {
                        "1" | "true" => true,
                        "0" | "false" => false,
                        _ => {
                            return Err(bad(format!(
                                "expected live_chat 1 or 0 (true or false), got {}",
                                excerpt(cell)
                            )));
                        }
                    }
                }
                Column::Attribute(_) if cell.is_empty() => {}
                Column::Attribute(a) => {
                    let attr = &self.attributes[*a];
                    let v = attr
                        .values
                        .iter()
                        .position(|(v, _)| v == cell)
                        .ok_or_else(|| {
                            let values: Vec<&str> =
                                attr.values.iter().map(|(v, _)| v.as_str()).collect();
                            bad(format!(
                                "unknown {} {} ({}: {})",
                                attr.name,
                                excerpt(cell),
                                attr.name,
                                listing(&values)
                            ))
                        })?;
                    row.attributes[*a] = Some(v as u32);
                }
            }
        }
        if row.time_s < self.last_time {
            return Err(bad(format!(
                "time_s {} is before the previous row's {}: a trace must be in time order",
                row.time_s, self.last_time
            )));
        }
        self.last_time = row.time_s;
        Ok(Some(row))
    }

    /// Seconds from the simulation's start to the date-time `cell`.
    fn date_time(&self, cell: &str) -> Result<f64, String> {
        let at: jiff::Timestamp = cell.parse().map_err(|_| {
            format!(
                "expected time, an ISO 8601 date-time with Z or a UTC offset like \
                 2024-03-18T09:30:00Z, got {}",
                excerpt(cell)
            )
        })?;
        let secs = at.duration_since(self.start).as_secs_f64();
        if secs < 0.0 {
            return Err(format!(
                "time {} is before the simulation's start, {}",
                excerpt(cell),
                self.start
            ));
        }
        Ok(secs)
    }
}

/// Reads the whole trace once, row by row, so that a malformed row is an error at load time;
/// returns its rows.
pub fn validate(
    trace: &Trace,
    streams: &[Stream],
    attributes: &[Attribute],
) -> Result<u64, String> {
    let mut reader = TraceReader::open(trace, streams, attributes)?;
    let mut rows = 0;
    while reader.next_row()?.is_some() {
        rows += 1;
    }
    Ok(rows)
}

fn reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {}: expected {expected_len} fields like the header, got {len}",
            pos.as_ref().map_or(0, |p| p.line())
        ),
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
    use crate::model::testing::scenario_with;
    use crate::scenario::Routing;

    fn read(text: &str) -> Result<Vec<TraceRow>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let sc = scenario_with(1, Routing::RoundRobin);
        let trace = Trace {
            path,
            label: "t.csv".into(),
            ignored: Vec::new(),
            visitors: 0,
            start: "2024-03-18T00:00:00Z".parse().unwrap(),
        };
        let mut r = TraceReader::open(&trace, &sc.streams, &sc.visitors.attributes)?;
        let mut rows = Vec::new();
        while let Some(row) = r.next_row()? {
            rows.push(row);
        }
        Ok(rows)
    }

    #[test]
    fn reads_rows_with_optional_columns() {
        let rows =
            read("time_s,stream,live_chat,country\n1.5,main,1,DE\n2,,0,\n3,main,true,\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].time_s, 1.5);
        assert_eq!((rows[0].stream, rows[0].asks), (Some(0), true));
        assert_eq!(rows[0].attributes, vec![Some(1)]);
        assert_eq!((rows[1].stream, rows[1].asks), (None, false));
        assert_eq!(rows[2].attributes, vec![None]);
        let rows = read("stream,time_s\nmain,0\n").unwrap();
        assert!(rows[0].asks);
    }

    #[test]
    fn date_times_count_from_the_start() {
        // The start is 2024-03-18 00:00 UTC.
        let rows = read(
            "time,stream\n2024-03-18T00:00:00Z,main\n2024-03-18T09:00:00.250Z,main\n\
             2024-03-18T10:30:00+01:00,main\n2024-03-19T00:00:00Z,\n",
        )
        .unwrap();
        let times: Vec<f64> = rows.iter().map(|r| r.time_s).collect();
        assert_eq!(times, [0.0, 32_400.25, 34_200.0, 86_400.0]);
    }

    #[test]
    fn malformed_rows_name_their_line() {
        for (text, words) in [
            (
                "time_s,stream\n1,main\nx,main\n",
                "t.csv line 3: expected time_s",
            ),
            (
                "time_s,stream\n1,nope\n",
                "t.csv line 2: unknown stream \"nope\" (streams: main)",
            ),
            (
                "time_s,stream,country\n1,main,FR\n",
                "unknown country \"FR\" (country: US, DE)",
            ),
            (
                "time_s,stream\n5,main\n4,main\n",
                "line 3: time_s 4 is before",
            ),
            (
                "time_s,stream,live_chat\n1,main,yes\n",
                "line 2: expected live_chat",
            ),
            ("time_s,stream\n1,main,extra\n", "line 2: expected 2 fields"),
            (
                "time_s,stream,colour\n",
                "line 1: unknown column \"colour\"",
            ),
            ("time_s\n1\n", "line 1: no stream column"),
            ("stream\nmain\n", "line 1: no time_s (seconds"),
            ("time_s,time,stream\n", "not both"),
            (
                "time,stream\n2024-03-18T09:00:00,main\n",
                "line 2: expected time, an ISO 8601 date-time",
            ),
            (
                "time,stream\n2024-03-17T23:59:59Z,main\n",
                "line 2: time \"2024-03-17T23:59:59Z\" is before the simulation's start",
            ),
            (
                "time,stream\n2024-03-18T10:00:00Z,main\n2024-03-18T09:00:00Z,main\n",
                "line 3: time_s 32400 is before",
            ),
        ] {
            let e = read(text).unwrap_err();
            assert!(e.contains(words), "{e}");
        }
    }
}
