use std::process::ExitCode;

use clap::Parser;

use chatsim::cli::{Cli, Command};
use chatsim::commands;
use chatsim::scenario::ScenarioError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(args) => commands::run(args),
        Command::Validate { scenarios } => commands::validate(scenarios),
        Command::Merge { shards, out } => commands::merge(shards, out.as_ref()),
        Command::Check(args) => commands::check(args),
        Command::Sweep(args) => commands::sweep(args),
        Command::Staff(args) => commands::staff(args),
        Command::Compare(args) => commands::compare(args),
        Command::Arrivals(args) => commands::arrivals(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Bad input is 2, like clap's own usage errors; anything else is 1.
            ExitCode::from(if is_bad_input(&e) { 2 } else { 1 })
        }
    }
}

fn is_bad_input(e: &anyhow::Error) -> bool {
    e.downcast_ref::<ScenarioError>().is_some()
}

/// `chatsim ... | head` closing the pipe early is not an error.
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
