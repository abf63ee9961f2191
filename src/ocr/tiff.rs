//! TIFF pages to grey pixels, for OCR of scanned TIFF files: strips stored uncompressed, with
//! PackBits or with LZW (and the horizontal predictor), 1/8-bit grey, RGB or palette. Other
//! compressions (CCITT fax, JPEG-in-TIFF, Deflate) are reported as not decoded. Bounded by a
//! pixel budget; every read is bounds-checked.

use super::raster::{self, Gray, RawLayout};
use super::source::PageImage;

struct Tiff<'a> {
    b: &'a [u8],
    le: bool,
}

impl Tiff<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        let s = self.b.get(at..at.checked_add(2)?)?;
        Some(if self.le {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        })
    }
    fn u32(&self, at: usize) -> Option<u32> {
        let s = self.b.get(at..at.checked_add(4)?)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    /// Values of an entry (SHORT or LONG), at most `max`.
    fn values(&self, typ: u16, count: u32, at: usize, max: usize) -> Vec<u32> {
        let size = match typ {
            3 => 2,
            4 => 4,
            _ => return Vec::new(),
        };
        let count = (count as usize).min(max);
        let start = if count * size <= 4 {
            at
        } else {
            self.u32(at).map_or(usize::MAX, |o| o as usize)
        };
        (0..count)
            .map_while(|i| {
                let p = start.checked_add(i * size)?;
                if size == 2 {
                    self.u16(p).map(u32::from)
                } else {
                    self.u32(p)
                }
            })
            .collect()
    }
    fn rational(&self, at: usize) -> Option<f32> {
        let off = self.u32(at)? as usize;
        let (n, d) = (self.u32(off)?, self.u32(off + 4)?);
        (d > 0).then(|| n as f32 / d as f32)
    }
}

/// Page `n` (1-based) of a TIFF file.
pub fn page(bytes: &[u8], n: u32, max_pixels: usize) -> Result<PageImage, String> {
    let le = bytes.starts_with(b"II");
    let t = Tiff { b: bytes, le };
    let mut ifd = t.u32(4).ok_or("damaged TIFF")? as usize;
    for _ in 1..n.max(1) {
        let count = t.u16(ifd).ok_or("damaged TIFF")? as usize;
        ifd = t.u32(ifd + 2 + 12 * count).ok_or("damaged TIFF")? as usize;
        if ifd == 0 {
            return Err("TIFF page not found".into());
        }
    }
    let count = t.u16(ifd).ok_or("damaged TIFF")? as usize;
    let (mut w, mut h, mut bits, mut spp, mut comp, mut photo, mut rps, mut pred) =
        (0, 0, 1, 1, 1, 1, u32::MAX, 1);
    let (mut offsets, mut counts, mut colormap) = (Vec::new(), Vec::new(), Vec::new());
    let (mut xres, mut unit) = (None, 2);
    for k in 0..count.min(500) {
        let at = ifd + 2 + 12 * k;
        let (Some(tag), Some(typ), Some(cnt)) = (t.u16(at), t.u16(at + 2), t.u32(at + 4)) else {
            break;
        };
        let first = || t.values(typ, cnt, at + 8, 1).first().copied().unwrap_or(0);
        match tag {
            256 => w = first(),
            257 => h = first(),
            258 => bits = first(),
            259 => comp = first(),
            262 => photo = first(),
            273 => offsets = t.values(typ, cnt, at + 8, 100_000),
            277 => spp = first(),
            278 => rps = first(),
            279 => counts = t.values(typ, cnt, at + 8, 100_000),
            282 => xres = t.rational(at + 8),
            296 => unit = first(),
            317 => pred = first(),
            320 => colormap = t.values(typ, cnt, at + 8, 3 * 65536),
            _ => {}
        }
    }
    let (w, h) = (w as usize, h as usize);
    if w == 0 || h == 0 || w.saturating_mul(h) > max_pixels {
        return Err(format!(
            "TIFF image of {w}×{h} pixels not read (empty or over the limit)"
        ));
    }
    let comps = (spp as usize).clamp(1, 4);
    let row_bytes = (w * comps * bits as usize).div_ceil(8);
    let total = row_bytes.checked_mul(h).ok_or("TIFF too large")?;
    let mut data = Vec::with_capacity(total.min(1 << 28));
    let rps = (rps as usize).clamp(1, h);
    for (i, &off) in offsets.iter().enumerate() {
        let len = counts.get(i).copied().unwrap_or(0) as usize;
        let strip = bytes
            .get(off as usize..(off as usize).saturating_add(len))
            .ok_or("TIFF strip outside the file")?;
        let want = (row_bytes * rps).min(total.saturating_sub(data.len()));
        match comp {
            1 => data.extend_from_slice(&strip[..strip.len().min(want)]),
            32773 => packbits(strip, want, &mut data),
            5 => lzw(strip, want, &mut data)?,
            3 | 4 => return Err("CCITT fax-coded TIFF (not decoded by preuves yet)".into()),
            6 | 7 => return Err("JPEG-in-TIFF (not decoded by preuves)".into()),
            c => return Err(format!("TIFF compression {c} not decoded by preuves")),
        }
        if data.len() >= total {
            break;
        }
    }
    data.resize(total, 0);
    if pred == 2 && bits == 8 {
        for row in data.chunks_mut(row_bytes) {
            for i in comps..row.len() {
                row[i] = row[i].wrapping_add(row[i - comps]);
            }
        }
    }
    let palette = (photo == 3 && !colormap.is_empty()).then(|| {
        let n = colormap.len() / 3;
        (0..n)
            .map(|i| {
                let (r, g, b) = (
                    colormap[i] >> 8,
                    colormap[n + i] >> 8,
                    colormap[2 * n + i] >> 8,
                );
                ((r * 77 + g * 150 + b * 29) >> 8) as u8
            })
            .collect()
    });
    let layout = RawLayout {
        w,
        h,
        bits: bits.clamp(1, 16) as u8,
        comps: if palette.is_some() { 1 } else { comps.min(3) },
        cmyk: false,
        palette,
        invert: photo == 0,
    };
    let img: Gray = if comps == 4 && photo == 2 {
        // RGBA: drop alpha by re-packing
        let rgb: Vec<u8> = data
            .chunks(4)
            .flat_map(|p| p.iter().take(3).copied())
            .collect();
        raster::from_raw(&rgb, &RawLayout { comps: 3, ..layout }, max_pixels)?
    } else {
        raster::from_raw(&data, &layout, max_pixels)?
    };
    let dpi = xres.map(|r| if unit == 3 { r * 2.54 } else { r });
    Ok(PageImage {
        img,
        dpi,
        placement: None,
    })
}

fn packbits(src: &[u8], want: usize, out: &mut Vec<u8>) {
    let end = out.len() + want;
    let mut i = 0;
    while i < src.len() && out.len() < end {
        let n = src[i] as i8;
        i += 1;
        if n >= 0 {
            let k = n as usize + 1;
            let s = &src[i.min(src.len())..(i + k).min(src.len())];
            out.extend_from_slice(&s[..s.len().min(end - out.len())]);
            i += k;
        } else if n != -128 {
            let k = (1 - n as isize) as usize;
            if let Some(&v) = src.get(i) {
                out.extend(std::iter::repeat_n(v, k.min(end - out.len())));
            }
            i += 1;
        }
    }
}

/// TIFF LZW (MSB-first codes, early change).
fn lzw(src: &[u8], want: usize, out: &mut Vec<u8>) -> Result<(), String> {
    let end = out.len() + want;
    let mut table: Vec<(u16, u8, u16)> = Vec::with_capacity(4096); // (prefix, last byte, length)
    let reset = |t: &mut Vec<(u16, u8, u16)>| {
        t.clear();
        for b in 0..256u16 {
            t.push((u16::MAX, b as u8, 1));
        }
        t.push((0, 0, 0));
        t.push((0, 0, 0));
    };
    reset(&mut table);
    let (mut bitpos, mut width, mut prev): (usize, usize, Option<u16>) = (0, 9, None);
    let mut scratch = Vec::new();
    let expand = |t: &Vec<(u16, u8, u16)>, mut code: u16, buf: &mut Vec<u8>| {
        buf.clear();
        while code != u16::MAX && (code as usize) < t.len() && buf.len() < 4096 {
            let (p, c, _) = t[code as usize];
            buf.push(c);
            code = p;
        }
        buf.reverse();
    };
    while out.len() < end {
        let mut code = 0usize;
        for _ in 0..width {
            let byte = *src.get(bitpos / 8).ok_or("LZW data ends early")?;
            code = (code << 1) | ((byte >> (7 - bitpos % 8)) & 1) as usize;
            bitpos += 1;
        }
        match code {
            256 => {
                reset(&mut table);
                width = 9;
                prev = None;
                continue;
            }
            257 => break,
            _ => {}
        }
        if code < table.len() {
            expand(&table, code as u16, &mut scratch);
            if let (Some(p), Some(&first)) = (prev, scratch.first()) {
                let len = table.get(p as usize).map_or(1, |e| e.2) + 1;
                table.push((p, first, len));
            }
        } else if let Some(p) = prev {
            expand(&table, p, &mut scratch);
            let first = *scratch.first().ok_or("bad LZW code")?;
            scratch.push(first);
            let len = table.get(p as usize).map_or(1, |e| e.2) + 1;
            table.push((p, first, len));
        } else {
            return Err("bad LZW code".into());
        }
        out.extend_from_slice(&scratch[..scratch.len().min(end - out.len())]);
        prev = Some(code as u16);
        width = match table.len() + 1 {
            n if n >= 2048 => 12,
            n if n >= 1024 => 11,
            n if n >= 512 => 10,
            _ => 9,
        };
        if table.len() >= 4095 {
            width = 12;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packbits_runs() {
        let mut out = Vec::new();
        packbits(&[2, 1, 2, 3, 0xFE, 9, 0x80, 0], 100, &mut out);
        assert_eq!(out, vec![1, 2, 3, 9, 9, 9]);
    }

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
        let t = tiny_tiff();
        for n in 0..t.len() {
            let _ = page(&t[..n], 1, 100);
        }
    }

    #[test]
    fn lzw_decodes_a_known_stream() {
        // "ABABABA" coded by hand: 256(clear) 65 66 258 260 257(end), 9-bit codes MSB first
        let codes = [256u16, 65, 66, 258, 260, 257];
        let mut bits = Vec::new();
        for c in codes {
            for k in (0..9).rev() {
                bits.push(((c >> k) & 1) as u8);
            }
        }
        let bytes: Vec<u8> = bits
            .chunks(8)
            .map(|ch| {
                ch.iter()
                    .enumerate()
                    .fold(0u8, |a, (i, &b)| a | (b << (7 - i)))
            })
            .collect();
        let mut out = Vec::new();
        lzw(&bytes, 100, &mut out).unwrap();
        assert_eq!(out, b"ABABABA");
    }
}
