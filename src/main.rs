use std::process::ExitCode;

use clap::Parser;

use chatsim::cli::{Cli, Command};
use chatsim::commands;
use chatsim::scenario::ScenarioError;

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
        Command::Compare(args) => commands::compare(args),
        Command::Arrivals(args) => commands::arrivals(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Bad input is 2, like clap's own usage errors; anything else is 1, except in
            // `check`, where 1 means only that a check failed: there, an error that kept the
            // check from judging (an unreadable or unwritable file) is 2.
            let check = matches!(cli.command, Command::Check(_));
            let code = if is_bad_input(&e) || (check && !is_failed_check(&e)) {
                2
            } else {
                1
            };
            ExitCode::from(code)
        }
    }
}

fn is_failed_check(e: &anyhow::Error) -> bool {
    e.downcast_ref::<commands::ChecksFailed>().is_some()
}

fn is_bad_input(e: &anyhow::Error) -> bool {
    e.downcast_ref::<ScenarioError>().is_some()
}

/// `chatsim ... | head` closing the pipe early is not an error.
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
