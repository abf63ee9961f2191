//! preuves: audit the Qualiopi evidence of training sessions in an archive folder.

pub mod detect;
pub mod document;
pub mod error;
pub mod extract;
pub mod model;
pub mod panic_guard;
pub mod textenc;
pub mod understand;
pub mod walk;

pub use error::{Error, ErrorCode, Result};
