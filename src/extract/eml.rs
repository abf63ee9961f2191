//! TODO(skeleton): replaced by the real extractor.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Extracted, Format};

pub struct EmlExtractor;

impl Extractor for EmlExtractor {
    fn name(&self) -> &'static str {
        "eml-mail-parser"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Eml]
    }
    fn extract(&self, _input: &Input) -> Result<Extracted> {
        Err(Error::unsupported("not implemented yet"))
    }
}
