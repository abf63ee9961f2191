//! TODO(skeleton): replaced by the real extractor.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Extracted, Format};

pub struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn name(&self) -> &'static str {
        "docx-xml"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Docx]
    }
    fn extract(&self, _input: &Input) -> Result<Extracted> {
        Err(Error::unsupported("not implemented yet"))
    }
}
