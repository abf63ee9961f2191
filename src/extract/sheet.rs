//! TODO(skeleton): replaced by the real extractor.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Extracted, Format};

pub struct SheetExtractor;

impl Extractor for SheetExtractor {
    fn name(&self) -> &'static str {
        "sheet-calamine"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Xlsx, Format::Xls, Format::Ods]
    }
    fn extract(&self, _input: &Input) -> Result<Extracted> {
        Err(Error::unsupported("not implemented yet"))
    }
}
