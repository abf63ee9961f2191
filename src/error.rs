//! The library's one error type.
//!
//! A per-file error is data: it lands in the report under `errors` with a stable `code`
//! (the report contract's vocabulary) and a human message. Only a failure of the whole run
//! (unreadable root, output folder inside the root) stops `scan`.

use serde::{Deserialize, Serialize};

/// The stable error codes of the report contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Needs a password to be read.
    Encrypted,
    /// The content is damaged (truncated, invalid structure, empty).
    Corrupt,
    /// A format preuves does not read (or not this variant of it).
    Unsupported,
    /// Over a size limit (file, zip member, expanded archive).
    TooLarge,
    /// Took longer than the per-file time limit.
    Timeout,
    /// The file could not be opened or read (permissions, I/O).
    Unreadable,
    /// A bug in preuves (a caught panic). Please report it.
    Internal,
    /// The whole run was misused (not a per-file code).
    Usage,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Encrypted => "encrypted",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::Internal => "internal",
            ErrorCode::Usage => "usage",
        }
    }
}

/// An error with its code and a message for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }
    pub fn encrypted(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Encrypted, m)
    }
    pub fn corrupt(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Corrupt, m)
    }
    pub fn unsupported(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Unsupported, m)
    }
    pub fn too_large(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::TooLarge, m)
    }
    pub fn timeout(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Timeout, m)
    }
    pub fn unreadable(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Unreadable, m)
    }
    pub fn internal(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Internal, m)
    }
    pub fn usage(m: impl Into<String>) -> Error {
        Error::new(ErrorCode::Usage, m)
    }
    pub fn is_usage(&self) -> bool {
        self.code == ErrorCode::Usage
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
