//! A command line that cannot be used: a flag's value that does not parse or does not fit the
//! scenario. Displayed as `<option>: <where>: <what was expected>`; exit code 2, like clap's own
//! usage errors.

#[derive(Debug, thiserror::Error)]
#[error("{option}: {at}: {message}")]
pub struct UsageError {
    /// The flag, like `--set` or `--target`.
    pub option: String,
    /// The key or value within it.
    pub at: String,
    pub message: String,
}

pub fn usage_error(option: &str, at: &str, message: impl Into<String>) -> UsageError {
    UsageError {
        option: option.to_string(),
        at: at.to_string(),
        message: message.into(),
    }
}
