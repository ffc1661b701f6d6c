//! `chatsim arrivals`: the visitors of one replication as a CSV trace.
//!
//! Every visitor is written, also those on pages without a chat dialogue (empty `stream`) and
//! those who do not ask for an agent (`live_chat` 0), so that replaying the file with
//! `[arrivals] trace` reproduces the replication's visitor counts and, with the same seed and
//! replication, its results exactly. Attributes are drawn only for visitors who ask for an
//! agent (routing reads them only then), with the values or shares their source gives; the
//! others have empty attribute cells. A source leaves no column of its own: what it gives its
//! visitors is in their attributes and streams, which is all a replay needs.

use std::io::Write;

use anyhow::Context;

use crate::cli::ArrivalsArgs;
use crate::engine::Time;
use crate::model::{Visitor, VisitorRng, VisitorSource, attribute_cdfs, draw_attributes};
use crate::report;
use crate::scenario::{self, Scenario};

pub fn arrivals(args: &ArrivalsArgs) -> anyhow::Result<()> {
    let sc = scenario::load_with(args.scenario.as_deref(), &args.sim.overrides())?;
    report::check_file_target(&args.out, "--out")?;
    crate::limits::check_work(&[(&sc, 1)], args.sim.force, "the trace")?;
    // Streamed to the file, so that a long trace never sits in memory; a regular file appears
    // whole or not at all.
    let written = report::write_file_with(&args.out, "--out", |out| {
        let mut w = csv::Writer::from_writer(out);
        let written = write_trace(&mut w, &sc, args.replication)?;
        w.flush()
            .with_context(|| format!("cannot write {}", args.out.display()))?;
        Ok(written)
    })?;
    let message = format!(
        "{written} visitors of replication {} written to {}",
        args.replication,
        args.out.display()
    );
    // With `--out -` the trace is standard output: the note goes to standard error.
    if report::is_stdout(&args.out) {
        eprintln!("{message}");
    } else {
        writeln!(std::io::stdout().lock(), "{message}")?;
    }
    Ok(())
}

/// Writes the header and one row per visitor; returns the number of visitors.
fn write_trace(
    w: &mut csv::Writer<impl Write>,
    sc: &Scenario,
    replication: u64,
) -> anyhow::Result<u64> {
    let attributes = &sc.visitors.attributes;
    let mut header = vec!["time_s", "stream", "live_chat"];
    header.extend(attributes.iter().map(|a| a.name.as_str()));
    w.write_record(&header)?;
    let cdfs = attribute_cdfs(attributes);
    let mut source = VisitorSource::new(sc, replication).map_err(anyhow::Error::msg)?;
    let mut values = Vec::new();
    let mut n = 0;
    let mut v = Visitor::default();
    while source.next_visitor(&mut v).map_err(anyhow::Error::msg)? {
        let time = Time::from_secs_f64(v.time_s);
        let mut row = vec![
            format!("{}.{:03}", time.millis() / 1000, time.millis() % 1000),
            v.stream
                .map_or(String::new(), |s| sc.streams[s as usize].name.clone()),
            (v.asks as u8).to_string(),
        ];
        if v.asks {
            draw_attributes(
                &mut VisitorRng::new(v.seed),
                &cdfs,
                &v.attributes,
                &mut values,
            );
            row.extend(
                values
                    .iter()
                    .zip(attributes)
                    .map(|(&i, a)| a.values[i as usize].0.clone()),
            );
        } else {
            row.extend(attributes.iter().map(|_| String::new()));
        }
        w.write_record(&row)?;
        n += 1;
    }
    Ok(n)
}
