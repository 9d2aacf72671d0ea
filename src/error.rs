//! The one error type of the crate.

use thiserror::Error;

/// Everything that can go wrong; bad input always names the field path.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// The document is not valid: `path` names the field, e.g. `jobs[3].time_windows[0]`.
    #[error("{path}: {message}")]
    InvalidInput {
        /// Field path in the document (`jobs[17].time_windows[0]`).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The solver could not run (bad parameters, internal failure).
    #[error("solver: {0}")]
    Solver(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput { path: path.into(), message: message.into() }
    }

    /// The field path for invalid input, if this is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Result with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
