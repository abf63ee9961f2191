//! Bitonal copier and fax scans in PDFs: `/CCITTFaxDecode` (Group 3 and 4, decoded by
//! `hayro-ccitt` with the stream's `/DecodeParms`) and `/JBIG2Decode` (with its `/JBIG2Globals`,
//! decoded by `hayro-jbig2`), to grey pixels (0 black, 255 white) before any `/Decode` inversion.
//! Both are bounded by the pixel budget, checked before decoding; a damaged stream yields the rows
//! decoded so far (the rest stays white) or an error, never a panic.

use super::raster::Gray;

/// The `/DecodeParms` of a `/CCITTFaxDecode` stream (PDF 32000-1, table 11), with PDF defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CcittParams {
    pub k: i64,
    pub columns: u32,
    pub rows: u32,
    pub black_is_1: bool,
    pub encoded_byte_align: bool,
    pub end_of_line: bool,
    pub end_of_block: bool,
}

impl Default for CcittParams {
    fn default() -> CcittParams {
        CcittParams {
            k: 0,
            columns: 1728,
            rows: 0,
            black_is_1: false,
            encoded_byte_align: false,
            end_of_line: false,
            end_of_block: true,
        }
    }
}

/// Rows of colour changes (CCITT) written into a grey image.
struct Rows {
    w: usize,
    max_rows: usize,
    px: Vec<u8>,
    rows: usize,
    black: u8,
    white: u8,
}

impl hayro_ccitt::Decoder for Rows {
    fn push_row(&mut self, changes: &[u32]) {
        if self.rows >= self.max_rows {
            return;
        }
        let start = self.px.len();
        self.px.resize(start + self.w, self.white);
        let row = &mut self.px[start..];
        for pair in changes.chunks(2) {
            let a = (pair[0] as usize).min(self.w);
            let b = pair.get(1).map_or(self.w, |&b| (b as usize).min(self.w));
            if a < b {
                row[a..b].iter_mut().for_each(|v| *v = self.black);
            }
        }
        self.rows += 1;
    }
}

/// Decodes a CCITT fax stream to grey (black = 0 unless `/BlackIs1` says the coded black is 1,
/// which then shows as white in DeviceGray).
pub fn decode_ccitt(
    data: &[u8],
    p: &CcittParams,
    height: u32,
    max_pixels: usize,
) -> Result<Gray, String> {
    let w = p.columns as usize;
    let rows = if p.rows > 0 { p.rows } else { height };
    if w == 0 || w > 100_000 {
        return Err(format!("CCITT image {w} columns wide not read"));
    }
    let max_rows = if rows > 0 {
        rows as usize
    } else {
        max_pixels / w
    };
    if w.saturating_mul(max_rows) > max_pixels {
        return Err(format!(
            "CCITT image of {w}×{max_rows} pixels not read (over the limit)"
        ));
    }
    let encoding = match p.k {
        k if k < 0 => hayro_ccitt::EncodingMode::Group4,
        0 => hayro_ccitt::EncodingMode::Group3_1D,
        _ => hayro_ccitt::EncodingMode::Group3_2D,
    };
    let settings = hayro_ccitt::DecodeSettings {
        columns: p.columns,
        rows,
        end_of_block: p.end_of_block,
        end_of_line: p.end_of_line,
        rows_are_byte_aligned: p.encoded_byte_align,
        encoding,
        strict: false,
    };
    let (black, white) = if p.black_is_1 { (255, 0) } else { (0, 255) };
    let mut out = Rows {
        w,
        max_rows,
        // The declared size up front: growing row by row doubles the buffer (+100 %).
        px: Vec::with_capacity(if rows > 0 { w * max_rows } else { 0 }),
        rows: 0,
        black,
        white,
    };
    let mut ctx = hayro_ccitt::DecoderContext::new(settings);
    let result = hayro_ccitt::decode(data, &mut out, &mut ctx);
    if out.rows == 0 {
        return Err(match result {
            Err(e) => format!("CCITT image not decoded: {e:?}"),
            Ok(_) => "CCITT image without rows".into(),
        });
    }
    // A damaged stream: keep the rows decoded, the rest of the declared height stays paper.
    let h = if rows > 0 { rows as usize } else { out.rows };
    let mut px = out.px;
    px.resize(w * h, white);
    Ok(Gray { w, h, px })
}

/// Pixels pushed by the JBIG2 decoder.
struct Pixels {
    w: usize,
    px: Vec<u8>,
    x: usize,
    y: usize,
}

impl Pixels {
    fn push(&mut self, black: bool, n: usize) {
        let row = self.y * self.w;
        let end = (self.x + n).min(self.w);
        if self.x < end && row + end <= self.px.len() {
            self.px[row + self.x..row + end]
                .iter_mut()
                .for_each(|v| *v = if black { 0 } else { 255 });
        }
        self.x += n;
    }
}

impl hayro_jbig2::Decoder for Pixels {
    fn push_pixel(&mut self, black: bool) {
        self.push(black, 1);
    }
    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        self.push(black, chunk_count as usize * 8);
    }
    fn next_line(&mut self) {
        self.x = 0;
        self.y += 1;
    }
}

/// Decodes an embedded JBIG2 stream (with the PDF's `/JBIG2Globals` when given) to grey.
pub fn decode_jbig2(
    data: &[u8],
    globals: Option<&[u8]>,
    max_pixels: usize,
) -> Result<Gray, String> {
    let settings = hayro_jbig2::DecodeSettings::default();
    let globals = match globals {
        Some(g) => Some(
            hayro_jbig2::Globals::new(g, &settings)
                .map_err(|e| format!("JBIG2 globals not decoded: {e:?}"))?,
        ),
        None => None,
    };
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings)
        .map_err(|e| format!("JBIG2 image not decoded: {e:?}"))?;
    let (w, h) = (page.width() as usize, page.height() as usize);
    if w == 0 || h == 0 || w.saturating_mul(h) > max_pixels {
        return Err(format!(
            "JBIG2 image of {w}×{h} pixels not read (empty or over the limit)"
        ));
    }
    let mut out = Pixels {
        w,
        px: vec![255; w * h],
        x: 0,
        y: 0,
    };
    page.decode(&mut out)
        .map_err(|e| format!("JBIG2 image not decoded: {e:?}"))?;
    Ok(Gray { w, h, px: out.px })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny Group 4 image coded by hand: 8 columns, 2 rows, each row "2 white, 4 black, 2
    /// white" (first row: horizontal mode; second: vertical mode V0 twice), then EOFB.
    fn g4_two_rows() -> Vec<u8> {
        // Row 1: H (001) + white run 2 (0111) + black run 4 (011) ; then V0 (1) for the end
        // b1=8: a0 at 6, b1 is the change at 8 (end) → V0 gives a1 = 8.
        // Row 2: V0 (1) a1=2, V0 (1) a2=6, V0 (1) at 8.
        let bits = "001".to_string()
            + "0111"
            + "011"
            + "1"
            + "1"
            + "1"
            + "1"
            + "000000000001"
            + "000000000001";
        let mut out = Vec::new();
        let b: Vec<u8> = bits.bytes().map(|c| c - b'0').collect();
        for ch in b.chunks(8) {
            out.push(
                ch.iter()
                    .enumerate()
                    .fold(0u8, |a, (i, &v)| a | (v << (7 - i))),
            );
        }
        out
    }

    #[test]
    fn g4_rows_are_decoded_with_black_is_1_and_rows() {
        let p = CcittParams {
            k: -1,
            columns: 8,
            rows: 2,
            ..CcittParams::default()
        };
        let g = decode_ccitt(&g4_two_rows(), &p, 2, 1000).unwrap();
        assert_eq!((g.w, g.h), (8, 2));
        let row: Vec<u8> = [255, 255, 0, 0, 0, 0, 255, 255].to_vec();
        assert_eq!(&g.px[..8], row.as_slice());
        assert_eq!(&g.px[8..], row.as_slice());
        let inverted = decode_ccitt(
            &g4_two_rows(),
            &CcittParams {
                black_is_1: true,
                ..p
            },
            2,
            1000,
        )
        .unwrap();
        assert_eq!(inverted.px[2], 255);
        assert_eq!(inverted.px[0], 0);
    }

    #[test]
    fn ccitt_limits_and_garbage() {
        let p = CcittParams {
            k: -1,
            columns: 8,
            rows: 2,
            ..CcittParams::default()
        };
        assert!(
            decode_ccitt(&g4_two_rows(), &p, 2, 10).is_err(),
            "pixel budget"
        );
        for n in 0..g4_two_rows().len() {
            let _ = decode_ccitt(&g4_two_rows()[..n], &p, 2, 1000);
        }
        let _ = decode_ccitt(&[0xFF; 64], &CcittParams { k: 1, ..p }, 0, 1000);
        assert!(decode_jbig2(b"not jbig2", None, 1000).is_err());
        assert!(decode_jbig2(&[], Some(b"junk"), 1000).is_err());
    }
}
