//! Where a scanned page's pixels come from: the image XObject a scanned PDF page paints (found
//! again with lopdf from the file's bytes, by the name the PDF extractor recorded), or the image
//! file itself (JPEG, PNG, simple TIFF), with the resolution it declares.
//!
//! Owns image decoding choices per encoding (DCTDecode = JPEG bytes as they are; Flate/LZW/none =
//! raw samples laid out by /Width /Height /BitsPerComponent /ColorSpace /Decode; CCITTFaxDecode
//! and JBIG2Decode = bitonal copier scans, see [`super::bilevel`]). It never
//! rasterises a PDF page: a page without one big image is reported as not readable by OCR.

use super::bilevel;
use super::raster::{self, Gray, RawLayout};
use crate::model::{ImageRef, Page, Rect};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

/// A page image ready for OCR, with what is known of its geometry.
pub struct PageImage {
    pub img: Gray,
    /// Dots per inch, when the source tells (PDF placement, JFIF, pHYs, TIFF tags).
    pub dpi: Option<f32>,
    /// For a PDF, the image's box on the page (points, y up); `None` for image files.
    pub placement: Option<Rect>,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

/// An opened scanned PDF.
pub struct PdfSource {
    doc: Document,
    pages: std::collections::BTreeMap<u32, ObjectId>,
}

impl PdfSource {
    pub fn open(bytes: &[u8], max_part_bytes: u64) -> Result<PdfSource, String> {
        let limit = usize::try_from(max_part_bytes).unwrap_or(usize::MAX);
        let options = LoadOptions {
            max_decompressed_size: Some(limit),
            ..LoadOptions::default()
        };
        let doc = Document::load_mem_with_options(bytes, options)
            .map_err(|e| format!("PDF not reopened: {e}"))?;
        let pages = doc.get_pages();
        Ok(PdfSource { doc, pages })
    }

    fn inherited<'a>(&'a self, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let mut node = page;
        for _ in 0..64 {
            if let Ok(o) = node.get(key) {
                return Some(deref(&self.doc, o));
            }
            node = node
                .get(b"Parent")
                .ok()
                .map(|p| deref(&self.doc, p))
                .and_then(|p| p.as_dict().ok())?;
        }
        None
    }

    /// The image a scanned page shows: the largest image placed on it (by the extractor's
    /// records), decoded to grey and turned as the page is displayed.
    pub fn page_image(
        &self,
        page: &Page,
        max_pixels: usize,
        max_part: usize,
    ) -> Result<PageImage, String> {
        let (img_ref, rect) =
            main_image(page).ok_or("no page-sized image to read (the text layer is unreadable)")?;
        let page_id = *self
            .pages
            .get(&page.number)
            .ok_or("page not found again in the PDF")?;
        let dict = self
            .doc
            .get_dictionary(page_id)
            .map_err(|e| format!("page object unreadable: {e}"))?;
        let resources = self
            .inherited(dict, b"Resources")
            .and_then(|o| o.as_dict().ok());
        let stream = resources
            .and_then(|r| find_xobject(&self.doc, r, img_ref.name.as_bytes(), 0))
            .ok_or_else(|| format!("image {} not found in the page resources", img_ref.name))?;
        let mut img = decode_image_stream(&self.doc, stream, max_pixels, max_part)?;
        let rotate = self
            .inherited(dict, b"Rotate")
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0)
            .rem_euclid(360);
        if rotate != 0 {
            img = img.rotate_quarters((rotate / 90) as u32);
        }
        // The image may also be turned by its placement matrix: a box whose shape is the
        // image's turned a quarter is read that way.
        let img_landscape = img.w > img.h;
        let box_landscape = rect.width > rect.height;
        if img_landscape != box_landscape && (img.w as f32 / img.h as f32 - 1.0).abs() > 0.15 {
            img = img.rotate_quarters(1);
        }
        let dpi = (rect.width > 1.0).then(|| img.w as f32 / (rect.width / 72.0));
        Ok(PageImage {
            img,
            dpi,
            placement: Some(rect),
        })
    }
}

/// The page's largest placed image (a scan's page image).
fn main_image(page: &Page) -> Option<(&ImageRef, Rect)> {
    page.images
        .iter()
        .filter_map(|i| match &i.anchor {
            Some(crate::model::Anchor::Page { rect })
                if !i.encoding.as_deref().is_some_and(|e| e.starts_with("ink")) =>
            {
                Some((i, *rect))
            }
            _ => None,
        })
        .filter(|(_, r)| r.width > 0.0 && r.height > 0.0)
        .max_by(|a, b| (a.1.width * a.1.height).total_cmp(&(b.1.width * b.1.height)))
        .filter(|(_, r)| match page.size {
            Some((w, h)) => r.width * r.height >= 0.25 * w * h,
            None => true,
        })
}

/// An image XObject by name in a resource dictionary, or in the resources of the Form
/// XObjects it lists (two levels at most).
fn find_xobject<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    name: &[u8],
    depth: u32,
) -> Option<&'a Stream> {
    let xobjects = resources
        .get(b"XObject")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())?;
    if let Some(s) = xobjects
        .get(name)
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_stream().ok())
        && s.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Image".as_slice())
    {
        return Some(s);
    }
    if depth >= 2 {
        return None;
    }
    for (_, o) in xobjects.iter().take(200) {
        if let Ok(s) = deref(doc, o).as_stream()
            && s.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok())
                == Some(b"Form".as_slice())
            && let Some(r) = s
                .dict
                .get(b"Resources")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
            && let Some(found) = find_xobject(doc, r, name, depth + 1)
        {
            return Some(found);
        }
    }
    None
}

fn int(doc: &Document, d: &Dictionary, keys: &[&[u8]]) -> Option<i64> {
    keys.iter()
        .find_map(|k| d.get(k).ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_i64().ok())
}

/// Decodes an image XObject to grey.
fn decode_image_stream(
    doc: &Document,
    s: &Stream,
    max_pixels: usize,
    max_part: usize,
) -> Result<Gray, String> {
    let filters: Vec<Vec<u8>> = s
        .filters()
        .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    let last = filters.last().map(Vec::as_slice);
    match last {
        Some(b"DCTDecode" | b"DCT") => {
            if filters.len() > 1 {
                return Err("JPEG image behind another filter (not decoded)".into());
            }
            let mut g = raster::decode_jpeg(&s.content, max_pixels)?;
            if decode_inverted(doc, &s.dict) {
                g.px.iter_mut().for_each(|v| *v = 255 - *v);
            }
            Ok(g)
        }
        Some(b"CCITTFaxDecode" | b"CCF") => {
            if filters.len() > 1 {
                return Err("CCITT image behind another filter (not decoded)".into());
            }
            let parms = decode_parms(doc, &s.dict, filters.len() - 1);
            let get = |k: &[u8]| parms.and_then(|d| d.get(k).ok()).map(|o| deref(doc, o));
            let num = |k: &[u8]| get(k).and_then(|o| o.as_i64().ok());
            let flag = |k: &[u8]| get(k).and_then(|o| o.as_bool().ok());
            let d = bilevel::CcittParams::default();
            let p = bilevel::CcittParams {
                k: num(b"K").unwrap_or(d.k),
                columns: num(b"Columns")
                    .and_then(|v| u32::try_from(v).ok())
                    .or_else(|| {
                        int(doc, &s.dict, &[b"Width", b"W"]).and_then(|v| u32::try_from(v).ok())
                    })
                    .unwrap_or(d.columns),
                rows: num(b"Rows")
                    .and_then(|v| u32::try_from(v).ok())
                    .unwrap_or(0),
                black_is_1: flag(b"BlackIs1").unwrap_or(d.black_is_1),
                encoded_byte_align: flag(b"EncodedByteAlign").unwrap_or(d.encoded_byte_align),
                end_of_line: flag(b"EndOfLine").unwrap_or(d.end_of_line),
                end_of_block: flag(b"EndOfBlock").unwrap_or(d.end_of_block),
            };
            let height = int(doc, &s.dict, &[b"Height", b"H"])
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0);
            let mut g = bilevel::decode_ccitt(&s.content, &p, height, max_pixels)?;
            if decode_inverted(doc, &s.dict) {
                g.px.iter_mut().for_each(|v| *v = 255 - *v);
            }
            Ok(g)
        }
        Some(b"JBIG2Decode") => {
            if filters.len() > 1 {
                return Err("JBIG2 image behind another filter (not decoded)".into());
            }
            let globals = decode_parms(doc, &s.dict, 0)
                .and_then(|d| d.get(b"JBIG2Globals").ok())
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_stream().ok())
                .map(|g| {
                    g.decompressed_content_with_limit(max_part)
                        .unwrap_or_else(|_| g.content.clone())
                });
            let mut g = bilevel::decode_jbig2(&s.content, globals.as_deref(), max_pixels)?;
            if decode_inverted(doc, &s.dict) {
                g.px.iter_mut().for_each(|v| *v = 255 - *v);
            }
            Ok(g)
        }
        Some(b"JPXDecode") => Err("JPEG 2000 image (not decoded by preuves)".into()),
        _ => {
            let layout = raw_layout(doc, &s.dict)?;
            let data = s
                .decompressed_content_with_limit(max_part)
                .map_err(|e| format!("image stream not decompressed: {e}"))?;
            raster::from_raw(&data, &layout, max_pixels)
        }
    }
}

/// The `/DecodeParms` dictionary of the filter at `index` (a dictionary, or an array with one
/// entry per filter).
fn decode_parms<'a>(doc: &'a Document, d: &'a Dictionary, index: usize) -> Option<&'a Dictionary> {
    let o = d.get(b"DecodeParms").or_else(|_| d.get(b"DP")).ok()?;
    match deref(doc, o) {
        Object::Dictionary(p) => Some(p),
        Object::Array(a) => a
            .get(index)
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok()),
        _ => None,
    }
}

/// `/Decode [1 0]` on a one-component image.
fn decode_inverted(doc: &Document, d: &Dictionary) -> bool {
    d.get(b"Decode")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| {
            o.as_float()
                .ok()
                .or_else(|| o.as_i64().ok().map(|v| v as f32))
        })
        .is_some_and(|v| v > 0.5)
}

/// Components of a colour space, whether it is CMYK, and (for /Indexed) the palette as grey.
fn color_space(
    doc: &Document,
    cs: &Object,
    depth: u32,
) -> Result<(usize, bool, Option<Vec<u8>>), String> {
    let cs = deref(doc, cs);
    if let Ok(name) = cs.as_name() {
        return Ok(match name {
            b"DeviceGray" | b"CalGray" | b"G" => (1, false, None),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => (3, false, None),
            b"DeviceCMYK" | b"CMYK" => (4, true, None),
            other => {
                return Err(format!(
                    "colour space {} not supported",
                    String::from_utf8_lossy(other)
                ));
            }
        });
    }
    let arr = cs
        .as_array()
        .map_err(|_| "unreadable colour space".to_string())?;
    let family = arr.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    match family {
        b"ICCBased" => {
            let n = arr
                .get(1)
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_stream().ok())
                .and_then(|s| int(doc, &s.dict, &[b"N"]))
                .unwrap_or(3);
            Ok((n.clamp(1, 4) as usize, n == 4, None))
        }
        b"CalGray" => Ok((1, false, None)),
        b"CalRGB" | b"Lab" => Ok((3, false, None)),
        b"Separation" => Ok((
            1,
            false,
            Some((0..=255u32).map(|v| 255 - v as u8).collect()),
        )),
        b"Indexed" | b"I" if depth == 0 => {
            let (base_n, cmyk, _) = color_space(doc, arr.get(1).ok_or("indexed without base")?, 1)?;
            let lookup: Vec<u8> = match arr.get(3).map(|o| deref(doc, o)) {
                Some(Object::String(s, _)) => s.clone(),
                Some(Object::Stream(s)) => s
                    .decompressed_content_with_limit(1 << 20)
                    .map_err(|e| e.to_string())?,
                _ => return Err("indexed colour space without a lookup table".into()),
            };
            let palette = lookup
                .chunks(base_n)
                .filter(|c| c.len() == base_n)
                .map(|c| match (base_n, cmyk) {
                    (1, _) => c[0],
                    (4, true) => {
                        let k = c[3] as u32;
                        let v = (255 - (c[0] as u32 + k).min(255)) * 77
                            + (255 - (c[1] as u32 + k).min(255)) * 150
                            + (255 - (c[2] as u32 + k).min(255)) * 29;
                        (v >> 8) as u8
                    }
                    _ => ((c[0] as u32 * 77 + c[1] as u32 * 150 + c[2] as u32 * 29) >> 8) as u8,
                })
                .collect();
            Ok((1, false, Some(palette)))
        }
        other => Err(format!(
            "colour space {} not supported",
            String::from_utf8_lossy(other)
        )),
    }
}

fn raw_layout(doc: &Document, d: &Dictionary) -> Result<RawLayout, String> {
    let w = int(doc, d, &[b"Width", b"W"])
        .filter(|v| *v > 0)
        .ok_or("image without /Width")? as usize;
    let h = int(doc, d, &[b"Height", b"H"])
        .filter(|v| *v > 0)
        .ok_or("image without /Height")? as usize;
    let mask = d
        .get(b"ImageMask")
        .ok()
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false);
    if mask {
        return Ok(RawLayout {
            w,
            h,
            bits: 1,
            comps: 1,
            cmyk: false,
            palette: None,
            invert: decode_inverted(doc, d),
        });
    }
    let bits = int(doc, d, &[b"BitsPerComponent", b"BPC"])
        .unwrap_or(8)
        .clamp(1, 16) as u8;
    let (comps, cmyk, palette) = match d.get(b"ColorSpace").ok() {
        Some(cs) => color_space(doc, cs, 0)?,
        None => (1, false, None),
    };
    let invert = comps == 1 && palette.is_none() && decode_inverted(doc, d);
    Ok(RawLayout {
        w,
        h,
        bits,
        comps,
        cmyk,
        palette,
        invert,
    })
}

// ---------------------------------------------------------------------------------------------
// Image files

/// One page of an image file (page `n`, 1-based, for multi-page TIFF).
pub fn file_image(bytes: &[u8], n: u32, max_pixels: usize) -> Result<PageImage, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let img = raster::decode_jpeg(bytes, max_pixels)?;
        return Ok(PageImage {
            img,
            dpi: jfif_dpi(bytes),
            placement: None,
        });
    }
    if bytes.starts_with(b"\x89PNG") {
        let (img, dpi) = raster::decode_png(bytes, max_pixels)?;
        return Ok(PageImage {
            img,
            dpi,
            placement: None,
        });
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return super::tiff::page(bytes, n, max_pixels);
    }
    Err("image format not decoded for OCR (JPEG, PNG and TIFF are)".into())
}

/// The density of a JFIF header (APP0), in dots per inch.
fn jfif_dpi(b: &[u8]) -> Option<f32> {
    // FF D8 FF E0 len(2) "JFIF\0" ver(2) units(1) xdens(2) ydens(2)
    if b.get(2..4)? != [0xFF, 0xE0] || b.get(6..11)? != b"JFIF\0" {
        return None;
    }
    let units = *b.get(13)?;
    let x = u16::from_be_bytes([*b.get(14)?, *b.get(15)?]) as f32;
    match units {
        1 if x > 0.0 => Some(x),
        2 if x > 0.0 => Some(x * 2.54),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jfif_density() {
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        j.extend_from_slice(b"JFIF\0\x01\x01\x01\x00\xc8\x00\xc8\0\0");
        assert_eq!(jfif_dpi(&j), Some(200.0));
        j[13] = 0;
        assert_eq!(jfif_dpi(&j), None);
        assert_eq!(jfif_dpi(&j[..8]), None);
    }

    #[test]
    fn unknown_bytes_are_refused() {
        assert!(file_image(b"GIF89a....", 1, 1000).is_err());
        assert!(file_image(&[0xFF, 0xD8, 0xFF], 1, 1000).is_err());
    }
}
