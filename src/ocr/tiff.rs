//! TIFF pages to grey pixels, for OCR of scanned TIFF files, with the `tiff` crate: every page of
//! a multi-page file, strips or tiles, uncompressed, PackBits, LZW, Deflate, JPEG and CCITT
//! G3/G4 (fax, the copier's bitonal scans); 1-16 bit grey, RGB(A), CMYK or palette. Bounded by a
//! pixel budget (checked before decoding) and by the crate's own buffer limits; a panic inside
//! the crate on a damaged file becomes an error.

use super::raster::{self, Gray, RawLayout};
use super::source::PageImage;
use std::io::Cursor;
use tiff::ColorType;
use tiff::decoder::ifd::Value;
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

/// Page `n` (1-based) of a TIFF file.
pub fn page(bytes: &[u8], n: u32, max_pixels: usize) -> Result<PageImage, String> {
    std::panic::catch_unwind(|| decode_page(bytes, n, max_pixels))
        .unwrap_or_else(|_| Err("damaged TIFF (the decoder gave up)".into()))
}

fn decode_page(bytes: &[u8], n: u32, max_pixels: usize) -> Result<PageImage, String> {
    let bad = |e: tiff::TiffError| format!("damaged TIFF: {e}");
    let mut limits = Limits::default();
    limits.decoding_buffer_size = max_pixels.saturating_mul(4).min(1 << 30);
    let mut d = Decoder::new(Cursor::new(bytes))
        .map_err(bad)?
        .with_limits(limits);
    if n > 1 {
        d.seek_to_image((n - 1) as usize)
            .map_err(|_| "TIFF page not found".to_string())?;
    }
    let (w, h) = d.dimensions().map_err(bad)?;
    let (w, h) = (w as usize, h as usize);
    if w == 0 || h == 0 || w.saturating_mul(h) > max_pixels {
        return Err(format!(
            "TIFF image of {w}×{h} pixels not read (empty or over the limit)"
        ));
    }
    let color = d.colortype().map_err(bad)?;
    let xres = d
        .find_tag(Tag::XResolution)
        .ok()
        .flatten()
        .and_then(|v| match v {
            Value::Rational(n, d) if d > 0 => Some(n as f32 / d as f32),
            Value::Float(f) => Some(f),
            Value::Short(v) => Some(f32::from(v)),
            Value::Unsigned(v) => Some(v as f32),
            _ => None,
        });
    let unit = d
        .find_tag_unsigned::<u16>(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .unwrap_or(2);
    let colormap: Vec<u16> = match color {
        ColorType::Palette(_) => d.get_tag_u16_vec(Tag::ColorMap).unwrap_or_default(),
        _ => Vec::new(),
    };
    let data = match d.read_image().map_err(bad)? {
        DecodingResult::U8(v) => v,
        DecodingResult::U16(v) => v.into_iter().map(|x| (x >> 8) as u8).collect(),
        _ => return Err("TIFF sample format not supported (not 8/16-bit integers)".into()),
    };
    let (bits, comps, cmyk, alpha) = match color {
        ColorType::Gray(b) => (b.min(8), 1, false, false),
        ColorType::GrayA(b) => (b.min(8), 2, false, true),
        ColorType::RGB(b) => (b.min(8), 3, false, false),
        ColorType::RGBA(b) => (b.min(8), 4, false, true),
        ColorType::CMYK(b) => (b.min(8), 4, true, false),
        ColorType::Palette(b) => (b, 1, false, false),
        other => return Err(format!("TIFF colour type {other:?} not supported")),
    };
    let palette = (!colormap.is_empty()).then(|| {
        let k = colormap.len() / 3;
        (0..k)
            .map(|i| {
                let (r, g, b) = (
                    (colormap[i] >> 8) as u32,
                    (colormap[k + i] >> 8) as u32,
                    (colormap[2 * k + i] >> 8) as u32,
                );
                ((r * 77 + g * 150 + b * 29) >> 8) as u8
            })
            .collect()
    });
    // Alpha is dropped (re-packed without it); 16-bit samples were brought to 8 above.
    let (data, comps) = if alpha && bits == 8 {
        let keep = comps - 1;
        let v: Vec<u8> = data
            .chunks(comps)
            .flat_map(|p| p.iter().take(keep).copied())
            .collect();
        (v, keep)
    } else {
        (data, comps)
    };
    let layout = RawLayout {
        w,
        h,
        bits: if bits > 8 { 8 } else { bits },
        comps,
        cmyk,
        palette,
        invert: false,
    };
    let img: Gray = raster::from_raw(&data, &layout, max_pixels)?;
    let dpi = xres
        .filter(|r| r.is_finite() && *r > 0.0)
        .map(|r| if unit == 3 { r * 2.54 } else { r });
    Ok(PageImage {
        img,
        dpi,
        placement: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-strip 8-bit grey TIFF, uncompressed.
    fn tiny_tiff() -> Vec<u8> {
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        let entries: [(u16, u16, u32, u32); 7] = [
            (256, 3, 1, 3),
            (257, 3, 1, 2),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, 0),
            (279, 4, 1, 6),
        ];
        let data_at = 8 + 2 + 12 * entries.len() as u32 + 4;
        b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, typ, cnt, val) in entries {
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&typ.to_le_bytes());
            b.extend_from_slice(&cnt.to_le_bytes());
            let v = if tag == 273 { data_at } else { val };
            if typ == 3 {
                b.extend_from_slice(&(v as u16).to_le_bytes());
                b.extend_from_slice(&[0, 0]);
            } else {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&[0, 100, 200, 10, 20, 30]);
        b
    }

    #[test]
    fn uncompressed_grey_strip() {
        let p = page(&tiny_tiff(), 1, 100).unwrap();
        assert_eq!((p.img.w, p.img.h), (3, 2));
        assert_eq!(p.img.px, vec![0, 100, 200, 10, 20, 30]);
        assert!(page(&tiny_tiff(), 2, 100).is_err());
        assert!(page(&tiny_tiff(), 1, 5).is_err(), "over the pixel budget");
    }

    /// Truncated and corrupted files are errors, never panics nor hangs.
    #[test]
    fn damaged_tiff_is_an_error() {
        let t = tiny_tiff();
        for n in 0..t.len() {
            let _ = page(&t[..n], 1, 100);
        }
        for i in 0..t.len() {
            let mut b = t.clone();
            b[i] ^= 0xA5;
            let _ = page(&b, 1, 100);
        }
    }
}
