//! Understanding: an extracted document → its kind, its dates and their roles, its signatures.

pub mod dates;
