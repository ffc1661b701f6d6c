//! Reading logs row by row, never whole: chatsim's event log (CSV, `run --events`) and the
//! product's website callbacks (JSON lines). Either may be gzip-compressed (`.gz`). Each row
//! becomes a [`Row`]; a row that cannot be read is bad input naming the file and line.
//!
//! Callbacks map to the event log's vocabulary: `CONVERSATION_LIVE_CHAT_REQUESTED` is
//! `requested`, `..._INITIATED` is `accepted` (by `agentName`), `..._ENDED` is `ended` (how it
//! ended is not said), `..._REQUEST_TIMEOUT` is `timed_out` (the request ends unconnected). The
//! request is the `sid`, the stream the dialogue's `name`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::model::EventKind;
use crate::report::{EVENT_COLUMNS, is_gzip};
use crate::scenario::{ScenarioError, open_regular};

/// One row, its text borrowed from the reader until the next row.
#[derive(Debug, Default, Clone)]
pub struct Row {
    pub line: u64,
    /// Milliseconds since the Unix epoch.
    pub time_ms: i64,
    pub request: String,
    pub kind: Option<EventKind>,
    pub agent: String,
    pub team: String,
    pub stream: String,
    pub reason: String,
    pub attributes: Vec<String>,
}

/// Which log a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// chatsim's event log: every step of every request.
    Events,
    /// The product's website callbacks: requests, connections, ends and timeouts only.
    Callbacks,
}

pub struct LogReader {
    label: String,
    pub format: Format,
    csv: Option<csv::Reader<Box<dyn Read>>>,
    lines: Option<Box<dyn BufRead>>,
    record: csv::StringRecord,
    line: String,
    line_no: u64,
    /// The attribute columns of an event log.
    pub attributes: Vec<String>,
    /// The last whole second parsed (its text and milliseconds since the epoch).
    second: Option<(String, i64)>,
    last_ms: i64,
}

pub fn bad(label: &str, line: u64, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid {
        file: label.to_string(),
        location: format!("line {line}"),
        message: message.into(),
    }
}

/// Whether the file's name says JSON lines (`.jsonl`, `.ndjson`, `.json`, with `.gz` or not).
fn is_json(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".jsonl", ".ndjson", ".json"]
        .iter()
        .any(|e| name.ends_with(e))
}

impl LogReader {
    pub fn open(path: &Path) -> Result<LogReader, ScenarioError> {
        let label = path.display().to_string();
        let file: File = open_regular(path).map_err(|reason| ScenarioError::Read {
            file: label.clone(),
            reason,
        })?;
        let raw: Box<dyn Read> = if is_gzip(path) {
            Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
        } else {
            Box::new(file)
        };
        let mut r = LogReader {
            label: label.clone(),
            format: Format::Events,
            csv: None,
            lines: None,
            record: csv::StringRecord::new(),
            line: String::new(),
            line_no: 0,
            attributes: Vec::new(),
            second: None,
            last_ms: i64::MIN,
        };
        if is_json(path) {
            r.format = Format::Callbacks;
            r.lines = Some(Box::new(BufReader::with_capacity(1 << 16, raw)));
            return Ok(r);
        }
        let mut csv = csv::ReaderBuilder::new()
            .buffer_capacity(1 << 16)
            .from_reader(raw);
        let header = csv
            .headers()
            .map_err(|e| bad(&label, 1, format!("cannot read the header: {e}")))?
            .clone();
        let fixed: Vec<&str> = header.iter().take(EVENT_COLUMNS.len()).collect();
        if fixed != EVENT_COLUMNS {
            return Err(bad(
                &label,
                1,
                format!(
                    "expected the event log's header {} (then the visitor attributes), as \
                     `chatsim run --events` writes it",
                    EVENT_COLUMNS.join(",")
                ),
            ));
        }
        r.attributes = header
            .iter()
            .skip(EVENT_COLUMNS.len())
            .map(String::from)
            .collect();
        r.csv = Some(csv);
        Ok(r)
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Reads the next row into `row`; false at the end of the log.
    pub fn next(&mut self, row: &mut Row) -> Result<bool, ScenarioError> {
        let more = if self.csv.is_some() {
            self.next_csv(row)?
        } else {
            self.next_json(row)?
        };
        if more {
            if row.time_ms < self.last_ms {
                return Err(bad(
                    &self.label,
                    row.line,
                    "the time is before the previous row's: the log must be in time order",
                ));
            }
            self.last_ms = row.time_ms;
        }
        Ok(more)
    }

    fn next_csv(&mut self, row: &mut Row) -> Result<bool, ScenarioError> {
        let csv = self.csv.as_mut().expect("csv");
        match csv.read_record(&mut self.record) {
            Ok(false) => return Ok(false),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(self.line_no + 1, |p| p.line());
                return Err(bad(&self.label, line, format!("cannot read the row: {e}")));
            }
        }
        row.line = self.record.position().map_or(0, |p| p.line());
        let r = &self.record;
        let cell = |i: usize| r.get(i).unwrap_or("");
        let event = cell(2);
        row.kind = Some(EventKind::parse(event).ok_or_else(|| {
            bad(
                &self.label,
                row.line,
                format!(
                    "unknown event {} (expected one of {})",
                    crate::scenario::excerpt(event),
                    EventKind::ALL.map(EventKind::name).join(", ")
                ),
            )
        })?);
        let time = cell(0).to_string();
        row.time_ms = self.time(&time, row.line)?;
        for (field, i) in [
            (&mut row.request, 1),
            (&mut row.agent, 3),
            (&mut row.team, 4),
            (&mut row.stream, 5),
            (&mut row.reason, 6),
        ] {
            field.clear();
            field.push_str(self.record.get(i).unwrap_or(""));
        }
        if row.request.is_empty() {
            return Err(bad(&self.label, row.line, "no request id"));
        }
        row.attributes.resize(self.attributes.len(), String::new());
        for (k, a) in row.attributes.iter_mut().enumerate() {
            a.clear();
            a.push_str(self.record.get(EVENT_COLUMNS.len() + k).unwrap_or(""));
        }
        Ok(true)
    }

    fn next_json(&mut self, row: &mut Row) -> Result<bool, ScenarioError> {
        let lines = self.lines.as_mut().expect("json");
        loop {
            self.line.clear();
            let n = lines
                .read_line(&mut self.line)
                .map_err(|e| bad(&self.label, self.line_no + 1, format!("cannot read: {e}")))?;
            if n == 0 {
                return Ok(false);
            }
            self.line_no += 1;
            if !self.line.trim().is_empty() {
                break;
            }
        }
        let line = self.line_no;
        row.line = line;
        let v: serde_json::Value = serde_json::from_str(&self.line)
            .map_err(|e| bad(&self.label, line, format!("not a JSON object: {e}")))?;
        let text = |key: &str| -> String {
            match v.get(key) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            }
        };
        let event = text("event");
        row.kind = Some(match event.as_str() {
            "CONVERSATION_LIVE_CHAT_REQUESTED" => EventKind::Requested,
            "CONVERSATION_LIVE_CHAT_INITIATED" => EventKind::Accepted,
            "CONVERSATION_LIVE_CHAT_ENDED" => EventKind::Ended,
            "CONVERSATION_LIVE_CHAT_REQUEST_TIMEOUT" => EventKind::TimedOut,
            _ => {
                return Err(bad(
                    &self.label,
                    line,
                    format!(
                        "unknown event {} (expected CONVERSATION_LIVE_CHAT_REQUESTED, \
                         _INITIATED, _ENDED or _REQUEST_TIMEOUT)",
                        crate::scenario::excerpt(&event)
                    ),
                ));
            }
        });
        let time = text("time");
        row.time_ms = self.time(&time, line)?;
        row.request = text("sid");
        if row.request.is_empty() {
            return Err(bad(&self.label, line, "no sid (the request's session id)"));
        }
        row.agent = text("agentName");
        row.team.clear();
        row.stream = text("name");
        row.reason.clear();
        row.attributes.clear();
        Ok(true)
    }

    /// An ISO 8601 date-time with `Z` or an offset, in milliseconds since the epoch; the text
    /// up to the second is parsed once while rows share it.
    fn time(&mut self, text: &str, line: u64) -> Result<i64, ScenarioError> {
        let fast = text.len() == 24 && text.as_bytes()[19] == b'.' && text.ends_with('Z');
        if fast {
            let (head, ms) = (&text[..19], &text[20..23]);
            if let (Some((h, base)), Ok(ms)) = (&self.second, ms.parse::<i64>())
                && h == head
            {
                return Ok(base + ms);
            }
            if let (Ok(t), Ok(ms)) = (
                format!("{head}Z").parse::<jiff::Timestamp>(),
                ms.parse::<i64>(),
            ) {
                let base = t.as_millisecond();
                self.second = Some((head.to_string(), base));
                return Ok(base + ms);
            }
        }
        text.parse::<jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .map_err(|_| {
                bad(
                    &self.label,
                    line,
                    format!(
                        "time {} is not an ISO 8601 date-time with Z or an offset, like \
                         2024-03-18T09:30:00.250Z",
                        crate::scenario::excerpt(text)
                    ),
                )
            })
    }
}
