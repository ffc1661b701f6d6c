//! What goes wrong reading a scenario (or another input file: a baseline, a shard), said so that
//! the user can find the line to fix.

use std::fmt;

/// An input file that cannot be used, displayed as `<file>: <where>: <what was expected>`. The
/// command line maps it to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read at all.
    #[error("{file}: cannot read the file: {reason}")]
    Read {
        file: String,
        reason: std::io::Error,
    },
    /// The file was read but is not a valid scenario.
    #[error("{file}: {location}: {message}")]
    Invalid {
        file: String,
        location: String,
        message: String,
    },
}

/// A problem found while checking, before the file's label is known to the code that finds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// The key path, like `agents[2].response.median`.
    pub at: String,
    pub message: String,
}

impl Problem {
    pub fn new(at: impl Into<String>, message: impl fmt::Display) -> Problem {
        Problem {
            at: at.into(),
            message: message.to_string(),
        }
    }

    pub fn in_file(self, file: &str) -> ScenarioError {
        ScenarioError::Invalid {
            file: file.to_string(),
            location: self.at,
            message: self.message,
        }
    }
}
