use std::process::ExitCode;

use clap::Parser;

use chatsim::cli::{Cli, Command};
use chatsim::commands::{self, ChecksFailed};
use chatsim::gate::BaselineError;
use chatsim::report::ShardError;
use chatsim::scenario::{ScenarioError, TraceError};
use chatsim::usage::UsageError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    chatsim::cleanup::install();
    chatsim::scenario::allow_files_outside(cli.allow_outside_files);
    let result = match &cli.command {
        Command::Run(args) => commands::run(args),
        Command::Validate { scenarios } => commands::validate(scenarios),
        Command::Merge { shards, out } => commands::merge(shards, out.as_ref()),
        Command::Check(args) => commands::check(args),
        Command::Sweep(args) => commands::sweep(args),
        Command::Staff(args) => commands::staff(args),
        Command::Require(args) => commands::require(args),
        Command::Roster(args) => commands::roster(args),
        Command::Compare(args) => commands::compare(args),
        Command::Arrivals(args) => commands::arrivals(args),
        Command::Fit(args) => commands::fit(args),
        Command::Backtest(args) => commands::backtest(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}

/// 1: a check that ran and failed; 2: bad input (a scenario, a baseline, a shard, a flag), like
/// clap's own usage errors; 3: anything else (a file that cannot be written, an internal error),
/// so that CI can tell a failed gate from a broken run.
fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<ChecksFailed>().is_some() {
        1
    } else if e.downcast_ref::<ScenarioError>().is_some()
        || e.downcast_ref::<TraceError>().is_some()
        || e.downcast_ref::<UsageError>().is_some()
        || e.downcast_ref::<BaselineError>().is_some()
        || e.downcast_ref::<ShardError>().is_some()
    {
        2
    } else {
        3
    }
}

/// `chatsim ... | head` closing the pipe early is not an error.
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
