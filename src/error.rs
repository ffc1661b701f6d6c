//! Bad input other than a scenario (a shard file, a baseline): reported with the file it came
//! from, and mapped to exit code 2 like scenario errors.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct InputError {
    pub file: String,
    pub message: String,
}

impl InputError {
    pub fn new(file: &Path, message: impl Into<String>) -> InputError {
        InputError {
            file: file.display().to_string(),
            message: message.into(),
        }
    }
}
