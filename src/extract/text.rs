//! Plain text files (notes, exported .txt): decoded (UTF-8 or Windows-1252) as one page, so that
//! their words still count. Binary files of unknown formats never reach this extractor: detection
//! gives them an `unsupported` error first.

use super::{Extractor, Input};
use crate::error::Result;
use crate::model::{Extracted, Format, Page};

pub struct TextExtractor;

impl Extractor for TextExtractor {
    fn name(&self) -> &'static str {
        "plain-text"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Other]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        let (text, _) = crate::textenc::decode(input.bytes);
        Ok(Extracted {
            pages: vec![Page {
                number: 1,
                text: text.replace("\r\n", "\n"),
                ..Page::default()
            }],
            ..Extracted::default()
        })
    }
}
