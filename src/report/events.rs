//! The per-request event log as CSV (`run --events FILE`, gzip-compressed when FILE ends in
//! `.gz`): one row per step of every request of one replication, streamed as the run goes.
//!
//! Columns: `time` (ISO 8601 UTC with milliseconds), `request` (from 1), `event`, `agent`,
//! `team`, `stream`, `reason` (a fallback's reason; for `ended`, `closed` or `inactivity`),
//! then one column per visitor attribute. It is the format `chatsim fit` reads.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::model::{EventRow, EventSink, Tally, run_replication_logged};
use crate::scenario::{Scenario, ScenarioError};

/// The columns every log starts with; the visitor's attributes follow.
pub const EVENT_COLUMNS: [&str; 7] = [
    "time", "request", "event", "agent", "team", "stream", "reason",
];

/// Whether `path` names a compressed log.
pub fn is_gzip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Writes rows as CSV; keeps the first write error (the run goes on, the command then fails).
struct CsvEvents<'a, W: Write> {
    sc: &'a Scenario,
    out: csv::Writer<W>,
    failed: Option<csv::Error>,
    rows: u64,
    /// The last whole second formatted, and its text up to the seconds.
    second: Option<(u64, String)>,
    cell: String,
}

impl<W: Write> CsvEvents<'_, W> {
    /// `time` as ISO 8601 UTC with milliseconds; the text up to the second is reused while the
    /// second lasts (most rows share it with the previous one).
    fn time(&mut self, millis: u64) -> &str {
        let secs = millis / 1000;
        if self.second.as_ref().is_none_or(|(s, _)| *s != secs) {
            let at = self
                .sc
                .simulation
                .start
                .checked_add(jiff::SignedDuration::from_secs(secs as i64))
                .unwrap_or(jiff::Timestamp::MAX);
            let text = at.strftime("%Y-%m-%dT%H:%M:%S").to_string();
            self.second = Some((secs, text));
        }
        let (_, text) = self.second.as_ref().expect("set");
        self.cell.clear();
        self.cell.push_str(text);
        use std::fmt::Write as _;
        let _ = write!(self.cell, ".{:03}Z", millis % 1000);
        &self.cell
    }
}

impl<W: Write> EventSink for CsvEvents<'_, W> {
    fn event(&mut self, r: &EventRow) {
        if self.failed.is_some() {
            return;
        }
        let sc = self.sc;
        let id = r.request.to_string();
        let time = self.time(r.time.millis()).to_string();
        let agent = r.agent.map_or("", |a| sc.agents[a as usize].name.as_str());
        let team = r.team.map_or("", |t| sc.teams[t as usize].name.as_str());
        let stream = sc.streams[r.stream as usize].name.as_str();
        let reason = r.why.map_or("", |w| w.name());
        let mut record: Vec<&str> = vec![
            &time,
            id.as_str(),
            r.kind.name(),
            agent,
            team,
            stream,
            reason,
        ];
        for (&v, a) in r.attributes.iter().zip(&sc.visitors.attributes) {
            record.push(a.values[v as usize].0.as_str());
        }
        if let Err(e) = self.out.write_record(&record) {
            self.failed = Some(e);
        }
        self.rows += 1;
    }
}

/// What a written log holds.
pub struct EventLog {
    pub rows: u64,
    pub tally: Tally,
}

/// Runs replication `replication` of `sc` and streams its event log into `out`.
pub fn write_events(
    sc: &Scenario,
    replication: u64,
    out: &mut dyn Write,
    gzip: bool,
) -> anyhow::Result<EventLog> {
    if gzip {
        let mut z = GzEncoder::new(out, Compression::fast());
        let log = write_csv(sc, replication, &mut z)?;
        z.finish().context("cannot write the event log")?;
        Ok(log)
    } else {
        write_csv(sc, replication, out)
    }
}

fn write_csv(sc: &Scenario, replication: u64, out: &mut dyn Write) -> anyhow::Result<EventLog> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = EVENT_COLUMNS.to_vec();
    header.extend(sc.visitors.attributes.iter().map(|a| a.name.as_str()));
    w.write_record(&header)?;
    let mut sink = CsvEvents {
        sc,
        out: w,
        failed: None,
        rows: 0,
        second: None,
        cell: String::new(),
    };
    let tally = run_replication_logged(sc, replication, &mut sink)?;
    if let Some(e) = sink.failed {
        return Err(anyhow::Error::new(e).context("cannot write the event log"));
    }
    sink.out.flush().context("cannot write the event log")?;
    Ok(EventLog {
        rows: sink.rows,
        tally,
    })
}

/// Refuses, before anything runs, to replace a file that is not an event log: an existing
/// regular file must be empty or start with the log's header (after decompression for `.gz`),
/// so that a slip of the path never overwrites a scenario or someone's data.
pub fn check_events_target(path: &Path, flag: &str) -> Result<(), ScenarioError> {
    super::check_file_target(path, flag)?;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() || meta.len() == 0 {
        return Ok(());
    }
    let ours = std::fs::File::open(path).ok().is_some_and(|f| {
        let reader: Box<dyn Read> = if is_gzip(path) {
            Box::new(flate2::read::GzDecoder::new(f))
        } else {
            Box::new(f)
        };
        let mut line = String::new();
        let _ = BufReader::new(reader.take(4096)).read_line(&mut line);
        line.starts_with(&EVENT_COLUMNS.join(","))
    });
    if ours {
        Ok(())
    } else {
        Err(ScenarioError::Invalid {
            file: flag.to_string(),
            location: path.display().to_string(),
            message: "exists and is not an event log chatsim wrote (its first line is not the \
                      log's header): give a new path, or remove the file first"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_log_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("notes.csv");
        std::fs::write(&other, "a,b\n1,2\n").unwrap();
        assert!(check_events_target(&other, "--events").is_err());
        let log = dir.path().join("log.csv");
        std::fs::write(&log, format!("{},country\n", EVENT_COLUMNS.join(","))).unwrap();
        assert!(check_events_target(&log, "--events").is_ok());
        assert!(check_events_target(&dir.path().join("new.csv.gz"), "--events").is_ok());
        std::fs::write(dir.path().join("empty.csv"), "").unwrap();
        assert!(check_events_target(&dir.path().join("empty.csv"), "--events").is_ok());
    }
}
