//! Grey page images: decoding (JPEG, PNG, raw PDF samples, simple TIFF strips), geometric
//! operations (quarter turns, small-angle rotation, perspective rectification, downscaling) and
//! light normalisation.
//!
//! Owns pixels only: it knows nothing of text, OCR or PDF objects. Every decoder is bounded by a
//! pixel budget given by the caller and returns an error message (never panics) on bad data.

use std::io::Cursor;

/// An 8-bit grey image, row-major, 0 = black, 255 = white.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    pub fn new(w: usize, h: usize, fill: u8) -> Gray {
        Gray {
            w,
            h,
            px: vec![fill; w * h],
        }
    }

    #[inline]
    pub fn get(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }

    /// Bilinear sample at a real position; `fill` outside the image.
    #[inline]
    fn sample(&self, x: f32, y: f32, fill: u8) -> u8 {
        if !(x >= 0.0 && y >= 0.0) || x > (self.w - 1) as f32 || y > (self.h - 1) as f32 {
            return fill;
        }
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let a = self.get(x0, y0) as f32;
        let b = self.get(x1, y0) as f32;
        let c = self.get(x0, y1) as f32;
        let d = self.get(x1, y1) as f32;
        let top = a + (b - a) * fx;
        let bottom = c + (d - c) * fx;
        (top + (bottom - top) * fy + 0.5) as u8
    }

    /// Turned clockwise by `quarters` quarter turns.
    pub fn rotate_quarters(&self, quarters: u32) -> Gray {
        match quarters % 4 {
            0 => self.clone(),
            2 => {
                let mut px = self.px.clone();
                px.reverse();
                Gray {
                    w: self.w,
                    h: self.h,
                    px,
                }
            }
            q => {
                let (w, h) = (self.h, self.w);
                let mut out = Gray::new(w, h, 255);
                for y in 0..h {
                    for x in 0..w {
                        // clockwise: out(x, y) = in(y, H-1-x); counter-clockwise: in(W-1-y, x)
                        out.px[y * w + x] = if q == 1 {
                            self.get(y, self.h - 1 - x)
                        } else {
                            self.get(self.w - 1 - y, x)
                        };
                    }
                }
                out
            }
        }
    }

    /// Rotated by `degrees` (counter-clockwise as displayed, y down) about the centre, same size,
    /// white outside.
    pub fn rotate(&self, degrees: f32) -> Gray {
        let (s, c) = degrees.to_radians().sin_cos();
        let (cx, cy) = (self.w as f32 / 2.0, self.h as f32 / 2.0);
        let mut out = Gray::new(self.w, self.h, 255);
        for y in 0..self.h {
            let dy = y as f32 - cy;
            for x in 0..self.w {
                let dx = x as f32 - cx;
                // inverse mapping: source = R(-a) * dest (y down: a positive angle turns the
                // content counter-clockwise on screen)
                let sx = c * dx - s * dy + cx;
                let sy = s * dx + c * dy + cy;
                out.px[y * self.w + x] = self.sample(sx, sy, 255);
            }
        }
        out
    }

    /// Shrunk by an integer factor (box average).
    pub fn downscale(&self, f: usize) -> Gray {
        if f <= 1 {
            return self.clone();
        }
        let (w, h) = (self.w / f, self.h / f);
        let mut out = Gray::new(w.max(1), h.max(1), 255);
        let n = (f * f) as u32;
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0u32;
                for yy in 0..f {
                    let row = (y * f + yy) * self.w + x * f;
                    for v in &self.px[row..row + f] {
                        sum += *v as u32;
                    }
                }
                out.px[y * w + x] = (sum / n) as u8;
            }
        }
        out
    }

    /// Darkens faint print: when even the darkest ink of the page is light grey (the
    /// `FAINT_QUANTILE` of its pixels darker than `INK_BELOW` above `DARK_ENOUGH`), as on a
    /// blurred, JPEG-compressed phone photo once its light is normalised (strokes at grey
    /// 80-170), grey levels are stretched so that the ink's dark level (its `BLACK_QUANTILE`)
    /// becomes black and `PAPER_FROM` white. Tesseract binarises the page globally and loses
    /// whole words of such print ("Matin", a date heading). Pages with dark ink (scans, even of
    /// faint ballpoint, whose print stays dark; born-digital rasters) are left as they are.
    /// Returns the darkened page, or `None` when its print is dark enough as it is.
    pub fn faint_ink_stretched(&self) -> Option<Gray> {
        const INK_BELOW: u8 = 200;
        const FAINT_QUANTILE: f32 = 0.05;
        const BLACK_QUANTILE: f32 = 0.10;
        const DARK_ENOUGH: usize = 70;
        const PAPER_FROM: usize = 235;
        let mut hist = [0usize; 256];
        for &v in &self.px {
            hist[v as usize] += 1;
        }
        let ink: usize = hist[..INK_BELOW as usize].iter().sum();
        // Almost no ink (a blank page): nothing to tell print from noise by.
        if ink < 500 || ink * 1000 < self.px.len() {
            return None;
        }
        let quantile = |q: f32| {
            let want = (ink as f32 * q) as usize;
            let mut seen = 0;
            for (v, &n) in hist.iter().enumerate() {
                seen += n;
                if seen > want {
                    return v;
                }
            }
            INK_BELOW as usize
        };
        if quantile(FAINT_QUANTILE) <= DARK_ENOUGH {
            return None;
        }
        let lo = quantile(BLACK_QUANTILE);
        let span = (PAPER_FROM - lo) as f32;
        let map: Vec<u8> = (0..256usize)
            .map(|v| {
                ((v.saturating_sub(lo)) as f32 * 255.0 / span)
                    .min(255.0)
                    .round() as u8
            })
            .collect();
        Some(Gray {
            w: self.w,
            h: self.h,
            px: self.px.iter().map(|&v| map[v as usize]).collect(),
        })
    }

    /// Enlarged twice in each direction (bilinear): small print from a low-resolution photo,
    /// given to tesseract at the letter size it reads best.
    pub fn upscale2(&self) -> Gray {
        let (w, h) = (self.w * 2, self.h * 2);
        let mut out = Gray::new(w, h, 255);
        for y in 0..h {
            let sy = ((y as f32 + 0.5) / 2.0 - 0.5).max(0.0);
            let (y0, fy) = (sy as usize, sy.fract());
            let y1 = (y0 + 1).min(self.h - 1);
            for x in 0..w {
                let sx = ((x as f32 + 0.5) / 2.0 - 0.5).max(0.0);
                let (x0, fx) = (sx as usize, sx.fract());
                let x1 = (x0 + 1).min(self.w - 1);
                let p = |xx: usize, yy: usize| self.px[yy * self.w + xx] as f32;
                let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
                let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
                out.px[y * w + x] = (top * (1.0 - fy) + bottom * fy).round() as u8;
            }
        }
        out
    }

    /// A PGM (P5) file of the image: what tesseract reads on its standard input.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.w, self.h).into_bytes();
        out.extend_from_slice(&self.px);
        out
    }

    /// Divides out uneven lighting and paper tone: each pixel over a smooth estimate of the
    /// local paper brightness (a high percentile per block of `block` pixels, interpolated).
    pub fn normalise_light(&self, block: usize) -> Gray {
        let block = block.max(8);
        let bw = self.w.div_ceil(block);
        let bh = self.h.div_ceil(block);
        let mut bg = vec![255f32; bw * bh];
        let mut hist = [0u32; 256];
        for by in 0..bh {
            for bx in 0..bw {
                hist.fill(0);
                let (x0, y0) = (bx * block, by * block);
                let (x1, y1) = ((x0 + block).min(self.w), (y0 + block).min(self.h));
                let mut n = 0u32;
                for y in y0..y1 {
                    for &v in &self.px[y * self.w + x0..y * self.w + x1] {
                        hist[v as usize] += 1;
                        n += 1;
                    }
                }
                // 90th percentile: the paper, even in a block full of text
                let target = n - n / 10;
                let mut acc = 0;
                let mut p = 255;
                for (v, c) in hist.iter().enumerate() {
                    acc += c;
                    if acc >= target {
                        p = v;
                        break;
                    }
                }
                bg[by * bw + bx] = p as f32;
            }
        }
        // Blocks much darker than their neighbourhood (a black band, a photo) take the
        // neighbourhood's paper level.
        let mut smooth = bg.clone();
        for by in 0..bh {
            for bx in 0..bw {
                let mut best = 0f32;
                for ny in by.saturating_sub(2)..(by + 3).min(bh) {
                    for nx in bx.saturating_sub(2)..(bx + 3).min(bw) {
                        best = best.max(bg[ny * bw + nx]);
                    }
                }
                let own = bg[by * bw + bx];
                smooth[by * bw + bx] = if own < best * 0.75 { best } else { own };
            }
        }
        let mut out = Gray::new(self.w, self.h, 255);
        // Each column's two blocks and weight, computed once.
        let cols: Vec<(usize, usize, f32)> = (0..self.w)
            .map(|x| {
                let fx = (x as f32 + 0.5) / block as f32 - 0.5;
                let x0 = (fx.floor().max(0.0) as usize).min(bw - 1);
                let x1 = (x0 + 1).min(bw - 1);
                (x0, x1, (fx - x0 as f32).clamp(0.0, 1.0))
            })
            .collect();
        for y in 0..self.h {
            let fy = (y as f32 + 0.5) / block as f32 - 0.5;
            let y0 = (fy.floor().max(0.0) as usize).min(bh - 1);
            let y1 = (y0 + 1).min(bh - 1);
            let ty = (fy - y0 as f32).clamp(0.0, 1.0);
            for (x, &(x0, x1, tx)) in cols.iter().enumerate() {
                let top = smooth[y0 * bw + x0] * (1.0 - tx) + smooth[y0 * bw + x1] * tx;
                let bot = smooth[y1 * bw + x0] * (1.0 - tx) + smooth[y1 * bw + x1] * tx;
                let b = (top * (1.0 - ty) + bot * ty).max(24.0);
                let v = self.px[y * self.w + x] as f32 * 255.0 / b;
                out.px[y * self.w + x] = v.min(255.0) as u8;
            }
        }
        out
    }

    /// Otsu's threshold of the histogram.
    pub fn otsu(&self) -> u8 {
        let mut hist = [0u64; 256];
        for &v in &self.px {
            hist[v as usize] += 1;
        }
        otsu_of(&hist)
    }
}

pub fn otsu_of(hist: &[u64; 256]) -> u8 {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 128;
    }
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(v, &c)| v as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0f64, 0f64, -1f64, 128u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        if w0 == 0.0 {
            continue;
        }
        let w1 = total as f64 - w0;
        if w1 == 0.0 {
            break;
        }
        sum0 += t as f64 * c as f64;
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

// ---------------------------------------------------------------------------------------------
// Decoders

/// Checks a declared size against the pixel budget.
fn check_size(w: usize, h: usize, max_pixels: usize) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err("image has a zero size".into());
    }
    match w.checked_mul(h) {
        Some(n) if n <= max_pixels => Ok(()),
        _ => Err(format!(
            "image of {w}×{h} pixels is over the size limit for OCR"
        )),
    }
}

/// A JPEG (baseline or progressive, grey, YCbCr or CMYK) as grey.
pub fn decode_jpeg(bytes: &[u8], max_pixels: usize) -> Result<Gray, String> {
    use zune_jpeg::JpegDecoder;
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .set_max_width(1 << 15)
        .set_max_height(1 << 15)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut d = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    d.decode_headers()
        .map_err(|e| format!("JPEG not decodable: {e:?}"))?;
    let (w, h) = d.dimensions().ok_or("JPEG without a size")?;
    check_size(w, h, max_pixels)?;
    let cmyk = matches!(
        d.input_colorspace(),
        Some(ColorSpace::CMYK | ColorSpace::YCCK)
    );
    if cmyk {
        // Luma output is not offered for CMYK sources: decode to RGB and convert.
        d.set_options(options.jpeg_set_out_colorspace(ColorSpace::RGB));
        let rgb = d
            .decode()
            .map_err(|e| format!("JPEG not decodable: {e:?}"))?;
        return from_interleaved(&rgb, w, h, 3);
    }
    let px = d
        .decode()
        .map_err(|e| format!("JPEG not decodable: {e:?}"))?;
    let n = px.len() / (w * h).max(1);
    if n == 1 {
        Ok(Gray { w, h, px })
    } else {
        from_interleaved(&px, w, h, n)
    }
}

fn from_interleaved(px: &[u8], w: usize, h: usize, n: usize) -> Result<Gray, String> {
    if n == 0 || px.len() < w * h * n {
        return Err("decoded image is shorter than its size".into());
    }
    let mut out = Gray::new(w, h, 255);
    for (i, o) in out.px.iter_mut().enumerate() {
        let p = &px[i * n..i * n + n];
        *o = match n {
            1 | 2 => p[0],
            _ => ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8,
        };
    }
    Ok(out)
}

/// A PNG (any colour type and depth) as grey, with its pHYs density in dots per inch.
pub fn decode_png(bytes: &[u8], max_pixels: usize) -> Result<(Gray, Option<f32>), String> {
    let mut d = png::Decoder::new(Cursor::new(bytes));
    d.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut r = d
        .read_info()
        .map_err(|e| format!("PNG not decodable: {e}"))?;
    let info = r.info();
    let (w, h) = (info.width as usize, info.height as usize);
    let dpi = info.pixel_dims.and_then(|p| match p.unit {
        png::Unit::Meter if p.xppu > 0 => Some(p.xppu as f32 * 0.0254),
        _ => None,
    });
    check_size(w, h, max_pixels)?;
    let size = r.output_buffer_size().ok_or("PNG too large")?;
    let mut buf = vec![0u8; size];
    let frame = r
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG not decodable: {e}"))?;
    let n = frame.color_type.samples();
    let line = frame.line_size;
    let mut out = Gray::new(w, h, 255);
    for y in 0..h {
        let row = buf
            .get(y * line..y * line + w * n)
            .ok_or("PNG shorter than its size")?;
        for x in 0..w {
            let p = &row[x * n..x * n + n];
            let v = match n {
                1 => p[0],
                2 => blend(p[0], p[1]),
                3 => luma(p[0], p[1], p[2]),
                _ => blend(luma(p[0], p[1], p[2]), p[3]),
            };
            out.px[y * w + x] = v;
        }
    }
    Ok((out, dpi))
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((r as u32 * 77 + g as u32 * 150 + b as u32 * 29) >> 8) as u8
}

/// A value with alpha over white paper.
fn blend(v: u8, a: u8) -> u8 {
    ((v as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8
}

/// How raw PDF samples are laid out.
#[derive(Clone, Debug)]
pub struct RawLayout {
    pub w: usize,
    pub h: usize,
    pub bits: u8,
    /// Components per pixel (1 grey, 3 RGB, 4 CMYK); 1 for indexed.
    pub comps: usize,
    pub cmyk: bool,
    /// Indexed colour: the palette as grey, one entry per index.
    pub palette: Option<Vec<u8>>,
    /// `/Decode [1 0]` on a 1-component image (or an `/ImageMask` painting black where 0).
    pub invert: bool,
}

/// Raw PDF image samples (rows padded to whole bytes) as grey.
pub fn from_raw(data: &[u8], l: &RawLayout, max_pixels: usize) -> Result<Gray, String> {
    check_size(l.w, l.h, max_pixels)?;
    if !matches!(l.bits, 1 | 2 | 4 | 8 | 16) || l.comps == 0 || l.comps > 4 {
        return Err(format!(
            "unsupported sample layout ({} bits × {} components)",
            l.bits, l.comps
        ));
    }
    let row_bits = l.w * l.comps * l.bits as usize;
    let row_bytes = row_bits.div_ceil(8);
    if data.len() < row_bytes * l.h {
        return Err("image data is shorter than its declared size".into());
    }
    let max = ((1u32 << l.bits.min(8)) - 1) as f32;
    let mut out = Gray::new(l.w, l.h, 255);
    let mut comp = [0u8; 4];
    for y in 0..l.h {
        let row = &data[y * row_bytes..(y + 1) * row_bytes];
        for x in 0..l.w {
            for (c, slot) in comp.iter_mut().enumerate().take(l.comps) {
                let i = x * l.comps + c;
                let raw = match l.bits {
                    8 => row[i] as u32,
                    16 => row[i * 2] as u32,
                    b => {
                        let bit = i * b as usize;
                        let byte = row[bit / 8] as u32;
                        let shift = 8 - b as usize - bit % 8;
                        (byte >> shift) & ((1 << b) - 1)
                    }
                };
                *slot = match (&l.palette, l.bits) {
                    (Some(_), _) => raw.min(255) as u8,
                    (None, 8 | 16) => raw as u8,
                    (None, _) => (raw as f32 * 255.0 / max) as u8,
                };
            }
            let mut v = match (&l.palette, l.comps) {
                (Some(p), _) => p.get(comp[0] as usize).copied().unwrap_or(255),
                (None, 1) => comp[0],
                (None, 3) => luma(comp[0], comp[1], comp[2]),
                (None, _) if l.cmyk => {
                    let k = comp[3] as u32;
                    let r = 255 - (comp[0] as u32 + k).min(255);
                    let g = 255 - (comp[1] as u32 + k).min(255);
                    let b = 255 - (comp[2] as u32 + k).min(255);
                    luma(r as u8, g as u8, b as u8)
                }
                (None, _) => comp[0],
            };
            if l.invert {
                v = 255 - v;
            }
            out.px[y * l.w + x] = v;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Perspective (phone photos)

/// A 3×3 homography mapping destination (x, y) to source (u, v).
#[derive(Clone, Copy, Debug)]
pub struct Homography([f64; 8]);

impl Homography {
    /// The homography that sends each `dst[i]` to `src[i]`.
    pub fn from_points(dst: [(f64, f64); 4], src: [(f64, f64); 4]) -> Option<Homography> {
        let mut a = [[0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = dst[i];
            let (u, v) = src[i];
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..8 {
            let pivot = (col..8).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
            if a[pivot][col].abs() < 1e-12 {
                return None;
            }
            a.swap(col, pivot);
            let pivot_row = a[col];
            for (r, row) in a.iter_mut().enumerate() {
                if r != col {
                    let f = row[col] / pivot_row[col];
                    for (v, p) in row.iter_mut().zip(pivot_row.iter()).skip(col) {
                        *v -= f * p;
                    }
                }
            }
        }
        let mut h = [0f64; 8];
        for i in 0..8 {
            h[i] = a[i][8] / a[i][i];
        }
        Some(Homography(h))
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let h = &self.0;
        let d = h[6] * x + h[7] * y + 1.0;
        (
            (h[0] * x + h[1] * y + h[2]) / d,
            (h[3] * x + h[4] * y + h[5]) / d,
        )
    }
}

/// Finds a sheet of paper photographed on a darker background and returns its corners
/// (top-left, top-right, bottom-right, bottom-left) in the image, when the sheet clearly does not
/// fill the frame.
pub fn find_sheet(img: &Gray) -> Option<[(f64, f64); 4]> {
    let f = (img.w.max(img.h) / 400).max(1);
    let small = img.downscale(f);
    let t = small.otsu();
    let (w, h) = (small.w, small.h);
    let bright: Vec<bool> = small.px.iter().map(|&v| v > t).collect();
    // Largest bright 4-connected region (flood fill).
    let mut label = vec![0u32; w * h];
    let mut best = (0usize, 0u32);
    let mut next = 1u32;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !bright[start] || label[start] != 0 {
            continue;
        }
        let mut n = 0usize;
        label[start] = next;
        stack.push(start);
        while let Some(i) = stack.pop() {
            n += 1;
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if bright[j] && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if n > best.0 {
            best = (n, next);
        }
        next += 1;
    }
    let share = best.0 as f64 / (w * h) as f64;
    if !(0.25..=0.93).contains(&share) {
        return None;
    }
    // The background must be clearly darker than the paper.
    let (mut sum_in, mut n_in, mut sum_out, mut n_out) = (0f64, 0f64, 0f64, 0f64);
    for (i, &l) in label.iter().enumerate() {
        if l == best.1 {
            sum_in += small.px[i] as f64;
            n_in += 1.0;
        } else {
            sum_out += small.px[i] as f64;
            n_out += 1.0;
        }
    }
    if n_out == 0.0 || sum_in / n_in - sum_out / n_out < 40.0 {
        return None;
    }
    let mut corners = [(0f64, 0f64); 4];
    let mut scores = [f64::MIN; 4];
    for (i, &l) in label.iter().enumerate() {
        if l != best.1 {
            continue;
        }
        let (x, y) = ((i % w) as f64, (i / w) as f64);
        let cand = [-x - y, x - y, x + y, y - x];
        for k in 0..4 {
            if cand[k] > scores[k] {
                scores[k] = cand[k];
                corners[k] = (x, y);
            }
        }
    }
    let s = f as f64;
    let corners = corners.map(|(x, y)| ((x + 0.5) * s, (y + 0.5) * s));
    // A plausible sheet: both diagonals long, a convex quadrilateral.
    let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let min_side = (img.w.min(img.h) as f64) * 0.3;
    if d(corners[0], corners[1]) < min_side || d(corners[1], corners[2]) < min_side {
        return None;
    }
    Some(corners)
}

/// The sheet inside `corners`, straightened to a rectangle.
pub fn rectify(img: &Gray, corners: [(f64, f64); 4]) -> Option<Gray> {
    let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let w = ((d(corners[0], corners[1]) + d(corners[3], corners[2])) / 2.0).round() as usize;
    let h = ((d(corners[0], corners[3]) + d(corners[1], corners[2])) / 2.0).round() as usize;
    if w < 100 || h < 100 {
        return None;
    }
    let dst = [
        (0.0, 0.0),
        (w as f64, 0.0),
        (w as f64, h as f64),
        (0.0, h as f64),
    ];
    let hm = Homography::from_points(dst, corners)?;
    let mut out = Gray::new(w, h, 255);
    for y in 0..h {
        for x in 0..w {
            let (u, v) = hm.apply(x as f64 + 0.5, y as f64 + 0.5);
            out.px[y * w + x] = img.sample(u as f32 - 0.5, v as f32 - 0.5, 255);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Light grey print (a blurred phone photo) is darkened; dark print is left as it is.
    #[test]
    fn faint_print_is_stretched_and_dark_print_is_not() {
        let page = |ink: &[u8]| {
            let mut px = vec![250u8; 100 * 100];
            for (i, v) in px.iter_mut().enumerate().take(2000) {
                *v = ink[i % ink.len()];
            }
            Gray { w: 100, h: 100, px }
        };
        let faint = page(&[100, 120, 140, 160])
            .faint_ink_stretched()
            .expect("faint print is darkened");
        assert_eq!(faint.px[0], 0);
        assert!(faint.px[2] < 100 && faint.px[3] < 160);
        assert_eq!(faint.px[9999], 255);
        assert!(page(&[30, 60, 120, 160]).faint_ink_stretched().is_none());
    }

    #[test]
    fn quarter_turns_and_downscale() {
        let g = Gray {
            w: 3,
            h: 2,
            px: vec![1, 2, 3, 4, 5, 6],
        };
        let r = g.rotate_quarters(1);
        assert_eq!((r.w, r.h), (2, 3));
        assert_eq!(r.px, vec![4, 1, 5, 2, 6, 3]);
        assert_eq!(g.rotate_quarters(3).rotate_quarters(1), g);
        assert_eq!(g.rotate_quarters(2).px, vec![6, 5, 4, 3, 2, 1]);
        let big = Gray {
            w: 4,
            h: 2,
            px: vec![0, 100, 200, 200, 100, 0, 200, 200],
        };
        assert_eq!(big.downscale(2).px, vec![50, 200]);
    }

    #[test]
    fn raw_one_bit_and_indexed() {
        let l = RawLayout {
            w: 10,
            h: 1,
            bits: 1,
            comps: 1,
            cmyk: false,
            palette: None,
            invert: false,
        };
        let g = from_raw(&[0b1010_0000, 0b0100_0000], &l, 100).unwrap();
        assert_eq!(&g.px[..4], &[255, 0, 255, 0]);
        assert_eq!(g.px[9], 255);
        assert!(from_raw(&[0], &l, 100).is_err(), "short data");
        assert!(from_raw(&[0, 0], &l, 5).is_err(), "over budget");
        let l = RawLayout {
            w: 2,
            h: 1,
            bits: 8,
            comps: 1,
            cmyk: false,
            palette: Some(vec![10, 20]),
            invert: false,
        };
        assert_eq!(from_raw(&[1, 0], &l, 100).unwrap().px, vec![20, 10]);
    }

    #[test]
    fn light_normalisation_flattens_a_gradient() {
        let mut g = Gray::new(200, 100, 0);
        for y in 0..100 {
            for x in 0..200 {
                g.px[y * 200 + x] = (150 + x / 2) as u8;
            }
        }
        g.px[50 * 200 + 20] = 40; // a dark pixel on dim paper stays dark
        let n = g.normalise_light(32);
        assert!(
            n.px.iter()
                .enumerate()
                .filter(|(i, _)| *i != 50 * 200 + 20)
                .all(|(_, &v)| v >= 225)
        );
        assert!(n.get(20, 50) < 90);
    }

    #[test]
    fn homography_maps_corners() {
        let src = [(10.0, 20.0), (110.0, 15.0), (120.0, 140.0), (5.0, 130.0)];
        let dst = [(0.0, 0.0), (100.0, 0.0), (100.0, 120.0), (0.0, 120.0)];
        let h = Homography::from_points(dst, src).unwrap();
        for i in 0..4 {
            let (u, v) = h.apply(dst[i].0, dst[i].1);
            assert!((u - src[i].0).abs() < 1e-6 && (v - src[i].1).abs() < 1e-6);
        }
    }

    #[test]
    fn a_sheet_on_a_table_is_found() {
        let mut g = Gray::new(400, 500, 60);
        for y in 50..450 {
            for x in (40 + y / 20)..(360 - y / 25) {
                g.px[y * 400 + x] = 230;
            }
        }
        let c = find_sheet(&g).expect("sheet");
        assert!(
            (c[0].0 - 43.0).abs() < 4.0 && (c[0].1 - 50.0).abs() < 4.0,
            "{c:?}"
        );
        assert!((c[2].1 - 450.0).abs() < 4.0, "{c:?}");
        let r = rectify(&g, c).unwrap();
        assert!(r.w > 250 && r.h > 380);
        // a scan that fills the frame is left alone
        assert!(find_sheet(&Gray::new(400, 500, 230)).is_none());
    }
}
