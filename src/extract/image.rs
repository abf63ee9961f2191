//! Image files (photos and scans of sign-in sheets, signed conventions...).
//!
//! Owns header-only reading of image formats: [`image_dimensions`] (JPEG SOFn, PNG IHDR, TIFF
//! first IFD, GIF, BMP, WEBP VP8/VP8L/VP8X), the pages of a multi-page TIFF, and the EXIF
//! shooting date (JPEG APP1 / TIFF → Exif IFD → DateTimeOriginal). It must not decode pixels
//! (that is OCR's and the ink detector's job) and reads nothing beyond headers and IFDs.
//!
//! An image file becomes one scanned page per image (one per TIFF IFD, at most
//! [`MAX_TIFF_PAGES`]), with no text and one [`ImageRef`] describing the picture.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Extracted, Format, ImageRef, Page};

pub struct ImageExtractor;

/// Pages read from one multi-page TIFF.
pub const MAX_TIFF_PAGES: usize = 500;

impl Extractor for ImageExtractor {
    fn name(&self) -> &'static str {
        "image"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Image]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_image(input)
    }
}

/// Width, height and encoding name (`jpeg`, `png`, `tiff`, `gif`, `bmp`, `webp`) of an image,
/// read from its headers only. `None` when the bytes are not one of these formats or the header
/// is damaged (or declares a zero size).
pub fn image_dimensions(bytes: &[u8]) -> Option<(u32, u32, &'static str)> {
    let (w, h, enc) = if bytes.starts_with(&[0xFF, 0xD8]) {
        let (w, h) = jpeg_dimensions(bytes)?;
        (w, h, "jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if bytes.get(12..16)? != b"IHDR" {
            return None;
        }
        (be32(bytes, 16)?, be32(bytes, 20)?, "png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        (le16(bytes, 6)? as u32, le16(bytes, 8)? as u32, "gif")
    } else if bytes.starts_with(b"BM") {
        let (w, h) = bmp_dimensions(bytes)?;
        (w, h, "bmp")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        let (w, h) = webp_dimensions(bytes)?;
        (w, h, "webp")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        let tiff = Tiff::new(bytes)?;
        let first = tiff.first_ifd()?;
        let (w, h) = tiff.ifd_dimensions(first)?;
        (w, h, "tiff")
    } else {
        return None;
    };
    if w == 0 || h == 0 {
        return None;
    }
    Some((w, h, enc))
}

fn extract_image(input: &Input) -> Result<Extracted> {
    let bytes = input.bytes;
    let mut out = Extracted::default();
    let page = |n: u32, encoding: &str, dims: Option<(u32, u32)>| Page {
        number: n,
        scanned: true,
        images: vec![ImageRef {
            name: input.name.to_string(),
            encoding: Some(encoding.to_string()),
            width_px: dims.map(|d| d.0),
            height_px: dims.map(|d| d.1),
            anchor: None,
        }],
        ..Page::default()
    };

    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        let tiff = Tiff::new(bytes).ok_or_else(|| Error::corrupt("damaged TIFF header"))?;
        let mut offset = tiff.first_ifd();
        let mut seen = Vec::new();
        while let Some(ifd) = offset {
            input.check_time()?;
            if seen.contains(&ifd) {
                out.warnings
                    .push("TIFF page list loops back on itself; stopped".into());
                break;
            }
            if seen.len() >= MAX_TIFF_PAGES {
                out.warnings.push(format!(
                    "TIFF has more than {MAX_TIFF_PAGES} pages; only the first {MAX_TIFF_PAGES} are listed"
                ));
                break;
            }
            seen.push(ifd);
            match tiff.ifd_dimensions(ifd).filter(|&(w, h)| w > 0 && h > 0) {
                Some(d) => out
                    .pages
                    .push(page(out.pages.len() as u32 + 1, "tiff", Some(d))),
                None if out.pages.is_empty() => {
                    return Err(Error::corrupt(
                        "damaged TIFF: first image has no valid size",
                    ));
                }
                None => {
                    out.warnings.push(format!(
                        "TIFF page {} is damaged; the pages after it are not listed",
                        out.pages.len() + 1
                    ));
                    break;
                }
            }
            offset = tiff.next_ifd(ifd);
        }
        if out.pages.is_empty() {
            return Err(Error::corrupt("damaged TIFF: no image directory"));
        }
        if let Some(date) = tiff.date_time_original() {
            add_exif_date(&mut out, &date);
        }
        return Ok(out);
    }

    if is_heif(bytes) {
        // HEIC (iPhone photos): no decoder here; the size comes from the `ispe` property.
        out.pages.push(page(1, "heic", heif_dimensions(bytes)));
        return Ok(out);
    }

    match image_dimensions(bytes) {
        Some((w, h, enc)) => {
            out.pages.push(page(1, enc, Some((w, h))));
            if enc == "jpeg"
                && let Some(date) = jpeg_exif_date(bytes)
            {
                add_exif_date(&mut out, &date);
            }
            Ok(out)
        }
        None if looks_like_image(bytes) => {
            Err(Error::corrupt("damaged image header (no readable size)"))
        }
        None => Err(Error::unsupported("not an image format preuves reads")),
    }
}

fn looks_like_image(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8])
        || b.starts_with(b"\x89PNG")
        || b.starts_with(b"GIF8")
        || b.starts_with(b"BM")
        || b.starts_with(b"RIFF")
}

/// Records the EXIF shooting date: raw in `other`, ISO 8601 in `created` when well formed.
fn add_exif_date(out: &mut Extracted, raw: &str) {
    let raw = raw.trim_end_matches('\0').trim();
    if raw.is_empty() {
        return;
    }
    out.metadata
        .other
        .insert("exif_date_time_original".into(), raw.to_string());
    if let Some(iso) = exif_to_iso(raw) {
        out.metadata.created = Some(iso);
    }
}

/// `2025:03:12 10:15:00` → `2025-03-12T10:15:00` (only when all digits are there).
fn exif_to_iso(raw: &str) -> Option<String> {
    let b = raw.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    if !digits.iter().all(|&i| b[i].is_ascii_digit()) || &raw[0..4] == "0000" {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}",
        &raw[0..4],
        &raw[5..7],
        &raw[8..10],
        &raw[11..13],
        &raw[14..16],
        &raw[17..19]
    ))
}

// ---------------------------------------------------------------------------------------------
// Byte helpers (all bounds-checked).

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}
fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}
fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}
fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(3)?)?;
    Some(s[0] as u32 | (s[1] as u32) << 8 | (s[2] as u32) << 16)
}

// ---------------------------------------------------------------------------------------------
// JPEG

/// The marker segments of a JPEG, in order, up to the start of scan: `(marker, payload)` where
/// the payload starts with the 2-byte length (and may be cut short at the end of `b`). Stops
/// (without error) on any inconsistency.
fn jpeg_segments(b: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut i = 2;
    std::iter::from_fn(move || {
        loop {
            // Markers may be preceded by any number of 0xFF fill bytes.
            if *b.get(i)? != 0xFF {
                return None;
            }
            while *b.get(i)? == 0xFF {
                i += 1;
            }
            let marker = *b.get(i)?;
            i += 1;
            match marker {
                0xD8 | 0x01 | 0xD0..=0xD7 => continue,
                0xD9 | 0xDA => return None, // end of image / start of scan
                _ => {}
            }
            let len = be16(b, i)? as usize;
            if len < 2 {
                return None;
            }
            // A buffer cut after a segment's start (only the head of a file is read) still
            // yields it: the frame header needs 7 bytes, not the whole segment.
            let seg = b.get(i..i.checked_add(len)?.min(b.len()))?;
            i += len;
            return Some((marker, seg));
        }
    })
}

fn is_frame_header(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF)
}

/// Width and height from the first frame header (SOFn).
fn jpeg_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let (_, seg) = jpeg_segments(b).find(|(m, _)| is_frame_header(*m))?;
    // length(2) precision(1) height(2) width(2)
    let h = be16(seg, 3)? as u32;
    let w = be16(seg, 5)? as u32;
    Some((w, h))
}

/// The EXIF DateTimeOriginal (or, failing it, DateTime) of a JPEG, from its APP1 "Exif" segment
/// (APP segments come before the frame header).
fn jpeg_exif_date(b: &[u8]) -> Option<String> {
    let (_, seg) = jpeg_segments(b)
        .take_while(|(m, _)| !is_frame_header(*m))
        .find(|(m, seg)| *m == 0xE1 && seg.get(2..).is_some_and(|p| p.starts_with(b"Exif\0\0")))?;
    Tiff::new(seg.get(8..)?)?.date_time_original()
}

// ---------------------------------------------------------------------------------------------
// BMP, WEBP, HEIF

fn bmp_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let header = le32(b, 14)?;
    if header == 12 {
        // BITMAPCOREHEADER: 16-bit sizes
        Some((le16(b, 18)? as u32, le16(b, 20)? as u32))
    } else if header >= 40 {
        let w = le32(b, 18)? as i32;
        let h = le32(b, 22)? as i32; // negative: top-down rows
        if w <= 0 {
            return None;
        }
        Some((w as u32, h.unsigned_abs()))
    } else {
        None
    }
}

fn webp_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            // frame tag (3 bytes) then start code 9D 01 2A, then 14-bit sizes
            if b.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((
                (le16(b, 26)? & 0x3FFF) as u32,
                (le16(b, 28)? & 0x3FFF) as u32,
            ))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2F {
                return None;
            }
            let bits = le32(b, 21)?;
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

fn is_heif(b: &[u8]) -> bool {
    b.len() >= 12
        && &b[4..8] == b"ftyp"
        && matches!(
            &b[8..12],
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis"
        )
}

/// The largest `ispe` (image spatial extent) property in the first 256 KB: the primary image's
/// size for ordinary and grid HEIC photos (tiles and thumbnails are smaller). Approximate: the
/// box tree is not walked.
fn heif_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let head = &b[..b.len().min(256 * 1024)];
    let mut best: Option<(u32, u32)> = None;
    let mut i = 0;
    while i + 4 <= head.len() {
        if &head[i..i + 4] == b"ispe" {
            if let (Some(w), Some(h)) = (be32(head, i + 8), be32(head, i + 12))
                && w > 0
                && h > 0
                && best.is_none_or(|(bw, bh)| (w as u64 * h as u64) > (bw as u64 * bh as u64))
            {
                best = Some((w, h));
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    best
}

// ---------------------------------------------------------------------------------------------
// TIFF (also the EXIF block inside JPEG APP1)

struct Tiff<'a> {
    b: &'a [u8],
    little: bool,
}

impl<'a> Tiff<'a> {
    fn new(b: &'a [u8]) -> Option<Tiff<'a>> {
        let little = match b.get(0..4)? {
            b"II*\0" => true,
            b"MM\0*" => false,
            _ => return None,
        };
        Some(Tiff { b, little })
    }
    fn u16(&self, at: usize) -> Option<u16> {
        if self.little {
            le16(self.b, at)
        } else {
            be16(self.b, at)
        }
    }
    fn u32(&self, at: usize) -> Option<u32> {
        if self.little {
            le32(self.b, at)
        } else {
            be32(self.b, at)
        }
    }
    fn first_ifd(&self) -> Option<usize> {
        let off = self.u32(4)? as usize;
        (off >= 8 && off < self.b.len()).then_some(off)
    }
    /// The offset of the IFD after `ifd`, if any.
    fn next_ifd(&self, ifd: usize) -> Option<usize> {
        let n = self.u16(ifd)? as usize;
        let off = self.u32(ifd.checked_add(2 + 12 * n)?)? as usize;
        (off >= 8 && off < self.b.len()).then_some(off)
    }
    /// Entries of an IFD: (tag, type, count, offset of the value/offset field). At most 1000.
    fn entries(&self, ifd: usize) -> impl Iterator<Item = (u16, u16, u32, usize)> + '_ {
        let n = self.u16(ifd).unwrap_or(0).min(1000) as usize;
        (0..n).map_while(move |k| {
            let at = ifd + 2 + 12 * k;
            Some((self.u16(at)?, self.u16(at + 2)?, self.u32(at + 4)?, at + 8))
        })
    }
    /// A SHORT or LONG scalar value.
    fn scalar(&self, typ: u16, value_at: usize) -> Option<u32> {
        match typ {
            3 => self.u16(value_at).map(u32::from),
            4 => self.u32(value_at),
            _ => None,
        }
    }
    fn ifd_dimensions(&self, ifd: usize) -> Option<(u32, u32)> {
        let (mut w, mut h) = (None, None);
        for (tag, typ, _count, at) in self.entries(ifd) {
            match tag {
                256 => w = self.scalar(typ, at),
                257 => h = self.scalar(typ, at),
                _ => {}
            }
        }
        Some((w?, h?))
    }
    /// An ASCII value (type 2).
    fn ascii(&self, typ: u16, count: u32, value_at: usize) -> Option<String> {
        if typ != 2 || count == 0 || count > 256 {
            return None;
        }
        let count = count as usize;
        let start = if count <= 4 {
            value_at
        } else {
            self.u32(value_at)? as usize
        };
        let s = self.b.get(start..start.checked_add(count)?)?;
        let s = s.split(|&c| c == 0).next().unwrap_or(s);
        Some(String::from_utf8_lossy(s).trim().to_string()).filter(|s| !s.is_empty())
    }
    /// DateTimeOriginal (0x9003 in the Exif IFD), else IFD0's DateTime (0x0132).
    fn date_time_original(&self) -> Option<String> {
        let ifd0 = self.first_ifd()?;
        let mut fallback = None;
        let mut exif = None;
        for (tag, typ, count, at) in self.entries(ifd0) {
            match tag {
                0x0132 => fallback = self.ascii(typ, count, at),
                0x8769 => exif = self.scalar(typ, at).or_else(|| self.u32(at)),
                _ => {}
            }
        }
        if let Some(exif) = exif
            .map(|o| o as usize)
            .filter(|&o| o >= 8 && o < self.b.len())
        {
            for (tag, typ, count, at) in self.entries(exif) {
                if tag == 0x9003
                    && let Some(s) = self.ascii(typ, count, at)
                {
                    return Some(s);
                }
            }
        }
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Limits;
    use std::time::Instant;

    fn run(bytes: &[u8], name: &str) -> Result<Extracted> {
        let limits = Limits::default();
        let input = Input {
            bytes,
            name,
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        ImageExtractor.extract(&input)
    }

    /// A minimal TIFF (little or big endian) with `pages` IFDs of the given sizes.
    fn tiff(little: bool, pages: &[(u32, u32)]) -> Vec<u8> {
        let p16 = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let p32 = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut b = Vec::new();
        b.extend_from_slice(if little { b"II*\0" } else { b"MM\0*" });
        b.extend_from_slice(&p32(8));
        for (k, &(w, h)) in pages.iter().enumerate() {
            let ifd_len = 2 + 2 * 12 + 4;
            let next = if k + 1 < pages.len() {
                (b.len() + ifd_len) as u32
            } else {
                0
            };
            b.extend_from_slice(&p16(2));
            // 256 as SHORT (value left-justified), 257 as LONG
            b.extend_from_slice(&p16(256));
            b.extend_from_slice(&p16(3));
            b.extend_from_slice(&p32(1));
            b.extend_from_slice(&p16(w as u16));
            b.extend_from_slice(&[0, 0]);
            b.extend_from_slice(&p16(257));
            b.extend_from_slice(&p16(4));
            b.extend_from_slice(&p32(1));
            b.extend_from_slice(&p32(h));
            b.extend_from_slice(&p32(next));
        }
        b
    }

    fn jpeg_with_exif(w: u16, h: u16, date: &str) -> Vec<u8> {
        // EXIF TIFF block: IFD0 with an Exif pointer, Exif IFD with DateTimeOriginal.
        let mut t = Vec::new();
        t.extend_from_slice(b"MM\0*");
        t.extend_from_slice(&8u32.to_be_bytes());
        t.extend_from_slice(&1u16.to_be_bytes());
        t.extend_from_slice(&0x8769u16.to_be_bytes());
        t.extend_from_slice(&4u16.to_be_bytes());
        t.extend_from_slice(&1u32.to_be_bytes());
        t.extend_from_slice(&26u32.to_be_bytes()); // Exif IFD offset
        t.extend_from_slice(&0u32.to_be_bytes());
        assert_eq!(t.len(), 26);
        t.extend_from_slice(&1u16.to_be_bytes());
        t.extend_from_slice(&0x9003u16.to_be_bytes());
        t.extend_from_slice(&2u16.to_be_bytes());
        t.extend_from_slice(&20u32.to_be_bytes());
        t.extend_from_slice(&44u32.to_be_bytes()); // string offset
        t.extend_from_slice(&0u32.to_be_bytes());
        assert_eq!(t.len(), 44);
        t.extend_from_slice(date.as_bytes());
        t.push(0);

        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        j.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let app1_len = (2 + 6 + t.len()) as u16;
        j.extend_from_slice(&[0xFF, 0xE1]);
        j.extend_from_slice(&app1_len.to_be_bytes());
        j.extend_from_slice(b"Exif\0\0");
        j.extend_from_slice(&t);
        // DQT-like dummy segment then SOF2 (progressive), with fill bytes before the marker
        j.extend_from_slice(&[0xFF, 0xDB, 0, 4, 0, 0]);
        j.extend_from_slice(&[0xFF, 0xFF, 0xC2, 0, 11, 8]);
        j.extend_from_slice(&h.to_be_bytes());
        j.extend_from_slice(&w.to_be_bytes());
        j.extend_from_slice(&[1, 1, 0x11, 0]);
        j.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn jpeg_sof_and_exif_date() {
        let j = jpeg_with_exif(4032, 3024, "2025:03:12 09:41:07");
        assert_eq!(image_dimensions(&j), Some((4032, 3024, "jpeg")));
        let x = run(&j, "IMG_1234.jpg").unwrap();
        assert_eq!(x.pages.len(), 1);
        let p = &x.pages[0];
        assert!(p.scanned && p.text.is_empty());
        assert_eq!(p.images[0].name, "IMG_1234.jpg");
        assert_eq!(p.images[0].encoding.as_deref(), Some("jpeg"));
        assert_eq!(
            (p.images[0].width_px, p.images[0].height_px),
            (Some(4032), Some(3024))
        );
        assert_eq!(x.metadata.created.as_deref(), Some("2025-03-12T09:41:07"));
        assert_eq!(
            x.metadata
                .other
                .get("exif_date_time_original")
                .map(String::as_str),
            Some("2025:03:12 09:41:07")
        );
    }

    #[test]
    fn png_gif_bmp_webp_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        assert_eq!(image_dimensions(&png), Some((640, 480, "png")));

        let gif = b"GIF89a\x20\x03\x58\x02\xf7\0\0";
        assert_eq!(image_dimensions(gif), Some((800, 600, "gif")));

        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        bmp.extend_from_slice(&300i32.to_le_bytes());
        bmp.extend_from_slice(&(-200i32).to_le_bytes());
        assert_eq!(image_dimensions(&bmp), Some((300, 200, "bmp")));

        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend_from_slice(&[0x7F, 0x07, 0x00, 0x37, 0x04, 0x00]); // 1920 x 1080
        assert_eq!(image_dimensions(&vp8x), Some((1920, 1080, "webp")));

        let mut vp8 = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        vp8.extend_from_slice(&[0, 0, 0, 0x9D, 0x01, 0x2A]);
        vp8.extend_from_slice(&100u16.to_le_bytes());
        vp8.extend_from_slice(&50u16.to_le_bytes());
        assert_eq!(image_dimensions(&vp8), Some((100, 50, "webp")));

        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        let bits: u32 = (99) | (49 << 14);
        vp8l.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(image_dimensions(&vp8l), Some((100, 50, "webp")));
    }

    #[test]
    fn multi_page_tiff_both_byte_orders() {
        for little in [true, false] {
            let t = tiff(little, &[(2480, 3508), (2480, 3507), (1240, 1754)]);
            assert_eq!(image_dimensions(&t), Some((2480, 3508, "tiff")));
            let x = run(&t, "scan.tif").unwrap();
            assert_eq!(x.pages.len(), 3);
            assert_eq!(x.pages[2].number, 3);
            assert_eq!(x.pages[2].images[0].width_px, Some(1240));
            assert_eq!(x.pages[2].images[0].height_px, Some(1754));
        }
    }

    #[test]
    fn tiff_ifd_loop_is_stopped() {
        let mut t = tiff(true, &[(10, 10)]);
        let next_at = t.len() - 4;
        t[next_at..].copy_from_slice(&8u32.to_le_bytes()); // points back to itself
        let x = run(&t, "loop.tif").unwrap();
        assert_eq!(x.pages.len(), 1);
        assert!(x.warnings[0].contains("loops"));
    }

    #[test]
    fn corrupt_headers_are_corrupt() {
        for bytes in [
            &b"\xFF\xD8\xFF\xE0\x00"[..],
            b"\x89PNG\r\n\x1a\n\0\0",
            b"II*\0\xff\xff\xff\xff",
            b"GIF89a\0\0\0\0",
            b"MM\0*\0\0\0\x08\0\x01",
        ] {
            let e = run(bytes, "x.jpg").unwrap_err();
            assert_eq!(e.code, crate::error::ErrorCode::Corrupt, "{bytes:?}");
        }
        // Every truncation of a valid JPEG is handled without panicking.
        let j = jpeg_with_exif(10, 10, "2025:03:12 09:41:07");
        for n in 0..j.len() {
            let _ = image_dimensions(&j[..n]);
            let _ = jpeg_exif_date(&j[..n]);
        }
    }

    #[test]
    fn heic_gets_a_page() {
        let mut h = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        h.extend_from_slice(b"\0\0\0\x14ispe\0\0\0\0");
        h.extend_from_slice(&4032u32.to_be_bytes());
        h.extend_from_slice(&3024u32.to_be_bytes());
        let x = run(&h, "IMG.HEIC").unwrap();
        assert_eq!(x.pages[0].images[0].encoding.as_deref(), Some("heic"));
        assert_eq!(x.pages[0].images[0].width_px, Some(4032));
    }
}
