//! PDF fonts as the text interpreter needs them: byte codes → Unicode text and glyph widths.
//!
//! Owns the decoding of show-string bytes for simple fonts (Type1, TrueType, Type3: one byte per
//! code, `/Encoding` name or dictionary with `/Differences`, `/Widths`) and composite fonts
//! (Type0: `Identity-H/V` or an embedded CMap's code space, `/W` widths), with `/ToUnicode`
//! taking precedence wherever it maps a code. It parses ToUnicode CMaps itself (small, bounded,
//! lenient) and borrows only lopdf's encoding tables and glyph-name list. It must not draw
//! anything or know about pages: positions are the interpreter's business.

use lopdf::{Dictionary, Document, Encoding, Object};
use std::collections::HashMap;

/// Named single-byte base encodings, read once per document from lopdf's tables.
pub(super) struct Tables {
    standard: [Option<char>; 256],
    win_ansi: [Option<char>; 256],
    mac_roman: [Option<char>; 256],
    /// Glyph name → text, resolved lazily (lopdf lookup per name).
    names: HashMap<Vec<u8>, Option<String>>,
}

impl Tables {
    pub(super) fn new(doc: &Document) -> Tables {
        Tables {
            standard: base_table(doc, b"StandardEncoding"),
            win_ansi: base_table(doc, b"WinAnsiEncoding"),
            mac_roman: base_table(doc, b"MacRomanEncoding"),
            names: HashMap::new(),
        }
    }

    fn named(&self, name: &[u8]) -> Option<&[Option<char>; 256]> {
        match name {
            b"StandardEncoding" => Some(&self.standard),
            b"WinAnsiEncoding" => Some(&self.win_ansi),
            b"MacRomanEncoding" => Some(&self.mac_roman),
            _ => None,
        }
    }

    /// Text for a glyph name (`eacute`, `uni00E9`, `f_i`, `Euro.alt`...).
    fn glyph_text(&mut self, doc: &Document, name: &[u8]) -> Option<String> {
        if let Some(hit) = self.names.get(name) {
            return hit.clone();
        }
        let resolved = resolve_glyph_name(doc, name);
        if self.names.len() < 10_000 {
            self.names.insert(name.to_vec(), resolved.clone());
        }
        resolved
    }
}

fn base_table(doc: &Document, name: &[u8]) -> [Option<char>; 256] {
    let mut out = [None; 256];
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Font".to_vec()));
    d.set("Encoding", Object::Name(name.to_vec()));
    if let Ok(Encoding::OneByteEncoding(table)) = d.get_font_encoding(doc) {
        for (slot, glyph) in out.iter_mut().zip(table.iter()) {
            *slot = glyph.and_then(|g| char::from_u32(u32::from(g.utf16_code_unit())));
        }
    }
    out
}

/// Glyph name → text: `uniXXXX[XXXX…]`, `uXXXX[XX]`, ligature names joined by `_`, suffixes
/// after `.` dropped, else the Adobe glyph list as lopdf knows it.
fn resolve_glyph_name(doc: &Document, name: &[u8]) -> Option<String> {
    let base = match name.iter().position(|&b| b == b'.') {
        Some(0) | None => name,
        Some(i) => &name[..i],
    };
    if base.contains(&b'_') {
        let mut out = String::new();
        for part in base.split(|&b| b == b'_') {
            out.push_str(&resolve_glyph_name(doc, part)?);
        }
        return Some(out);
    }
    if let Some(hex) = base.strip_prefix(b"uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.iter().all(u8::is_ascii_hexdigit)
    {
        let units: Vec<u16> = hex
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    if let Some(hex) = base.strip_prefix(b"u")
        && (4..=6).contains(&hex.len())
        && hex.iter().all(u8::is_ascii_hexdigit)
    {
        let v = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
        return char::from_u32(v).map(String::from);
    }
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Font".to_vec()));
    let mut enc = Dictionary::new();
    enc.set(
        "Differences",
        Object::Array(vec![Object::Integer(0), Object::Name(base.to_vec())]),
    );
    d.set("Encoding", Object::Dictionary(enc));
    match d.get_font_encoding(doc) {
        Ok(Encoding::Differences(diff)) => diff
            .map
            .get(&0u8)
            .and_then(|g| char::from_u32(u32::from(g.utf16_code_unit())))
            .map(String::from),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// CMaps (ToUnicode and embedded encoding CMaps)

/// A parsed CMap: code space ranges and code → Unicode mappings.
#[derive(Default, Debug)]
pub(super) struct CMap {
    /// (low, high, byte length).
    codespace: Vec<(u32, u32, u8)>,
    chars: HashMap<u32, Box<str>>,
    /// (low, high, destination).
    ranges: Vec<(u32, u32, RangeDst)>,
}

#[derive(Debug)]
enum RangeDst {
    /// UTF-16 units; the last one is incremented along the range.
    Base(Vec<u16>),
    /// One destination per code.
    List(Vec<Box<str>>),
}

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Str(Vec<u8>),
    Name(&'a [u8]),
    Num,
    Kw(&'a [u8]),
    ArrOpen,
    ArrClose,
    Other,
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn next_tok(&mut self) -> Option<Tok<'a>> {
        let s = self.s;
        loop {
            while self.i < s.len() && is_ws(s[self.i]) {
                self.i += 1;
            }
            if self.i < s.len() && s[self.i] == b'%' {
                while self.i < s.len() && s[self.i] != b'\n' && s[self.i] != b'\r' {
                    self.i += 1;
                }
                continue;
            }
            break;
        }
        let &c = s.get(self.i)?;
        match c {
            b'<' => {
                if s.get(self.i + 1) == Some(&b'<') {
                    self.i += 2;
                    return Some(Tok::Other);
                }
                self.i += 1;
                let mut digits = Vec::new();
                while self.i < s.len() && s[self.i] != b'>' {
                    if s[self.i].is_ascii_hexdigit() {
                        digits.push(s[self.i]);
                    }
                    self.i += 1;
                }
                self.i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let bytes = digits
                    .chunks(2)
                    .map(|p| (hex_val(p[0]) << 4) | hex_val(p[1]))
                    .collect();
                Some(Tok::Hex(bytes))
            }
            b'>' => {
                self.i += if s.get(self.i + 1) == Some(&b'>') {
                    2
                } else {
                    1
                };
                Some(Tok::Other)
            }
            b'[' => {
                self.i += 1;
                Some(Tok::ArrOpen)
            }
            b']' => {
                self.i += 1;
                Some(Tok::ArrClose)
            }
            b'(' => {
                self.i += 1;
                let mut depth = 1;
                let mut out = Vec::new();
                while self.i < s.len() {
                    let b = s[self.i];
                    self.i += 1;
                    match b {
                        b'\\' => {
                            if let Some(&n) = s.get(self.i) {
                                self.i += 1;
                                out.push(match n {
                                    b'n' => b'\n',
                                    b'r' => b'\r',
                                    b't' => b'\t',
                                    b'0'..=b'7' => {
                                        let mut v = u32::from(n - b'0');
                                        for _ in 0..2 {
                                            match s.get(self.i) {
                                                Some(&d @ b'0'..=b'7') => {
                                                    v = v * 8 + u32::from(d - b'0');
                                                    self.i += 1;
                                                }
                                                _ => break,
                                            }
                                        }
                                        (v & 0xff) as u8
                                    }
                                    other => other,
                                });
                            }
                        }
                        b'(' => {
                            depth += 1;
                            out.push(b);
                        }
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            out.push(b);
                        }
                        _ => out.push(b),
                    }
                }
                Some(Tok::Str(out))
            }
            b'/' => {
                self.i += 1;
                let start = self.i;
                while self.i < s.len() && !is_ws(s[self.i]) && !is_delim(s[self.i]) {
                    self.i += 1;
                }
                Some(Tok::Name(&s[start..self.i]))
            }
            b'{' | b'}' | b')' => {
                self.i += 1;
                Some(Tok::Other)
            }
            _ => {
                let start = self.i;
                while self.i < s.len() && !is_ws(s[self.i]) && !is_delim(s[self.i]) {
                    self.i += 1;
                }
                let word = &s[start..self.i];
                if word
                    .first()
                    .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
                {
                    Some(Tok::Num)
                } else {
                    Some(Tok::Kw(word))
                }
            }
        }
    }
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Big-endian code value of at most 4 bytes.
fn code_of(bytes: &[u8]) -> Option<(u32, u8)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let v = bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Some((v, bytes.len() as u8))
}

fn utf16be(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| (u16::from(c[0]) << 8) | u16::from(*c.get(1).unwrap_or(&0)))
        .collect()
}

/// Caps on what one CMap may hold (a hostile file could declare millions of entries).
const MAX_CMAP_ENTRIES: usize = 200_000;

impl CMap {
    /// Parses a CMap stream's decoded bytes; never fails (unknown syntax is skipped).
    pub(super) fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lx = Lexer { s: data, i: 0 };
        let mut entries = 0usize;
        // The previous tokens matter only inside the begin…end sections.
        while let Some(tok) = lx.next_tok() {
            let Tok::Kw(kw) = tok else { continue };
            match kw {
                b"begincodespacerange" => {
                    while let Some(Tok::Hex(lo)) = lx.next_tok() {
                        let Some(Tok::Hex(hi)) = lx.next_tok() else {
                            break;
                        };
                        if let (Some((l, n)), Some((h, _))) = (code_of(&lo), code_of(&hi)) {
                            cmap.codespace.push((l, h, n));
                        }
                    }
                }
                b"beginbfchar" | b"begincidchar" => {
                    let cid = kw == b"begincidchar";
                    while let Some(Tok::Hex(src)) = lx.next_tok() {
                        let Some(dst) = lx.next_tok() else { break };
                        entries += 1;
                        if entries > MAX_CMAP_ENTRIES || cid {
                            continue;
                        }
                        let Some((code, _)) = code_of(&src) else {
                            continue;
                        };
                        let text = match dst {
                            Tok::Hex(d) => String::from_utf16_lossy(&utf16be(&d)),
                            Tok::Name(n) => glyph_name_quick(n).unwrap_or_default(),
                            _ => continue,
                        };
                        cmap.chars.insert(code, text.into_boxed_str());
                    }
                }
                b"beginbfrange" | b"begincidrange" => {
                    let cid = kw == b"begincidrange";
                    while let Some(Tok::Hex(lo)) = lx.next_tok() {
                        let Some(Tok::Hex(hi)) = lx.next_tok() else {
                            break;
                        };
                        let Some(dst) = lx.next_tok() else { break };
                        let (Some((l, _)), Some((h, _))) = (code_of(&lo), code_of(&hi)) else {
                            continue;
                        };
                        let dst = match dst {
                            Tok::Hex(d) => Some(RangeDst::Base(utf16be(&d))),
                            Tok::ArrOpen => {
                                let mut list = Vec::new();
                                while let Some(t) = lx.next_tok() {
                                    match t {
                                        Tok::Hex(d) if list.len() < MAX_CMAP_ENTRIES => {
                                            list.push(
                                                String::from_utf16_lossy(&utf16be(&d))
                                                    .into_boxed_str(),
                                            );
                                        }
                                        Tok::ArrClose => break,
                                        _ => {}
                                    }
                                }
                                Some(RangeDst::List(list))
                            }
                            _ => None,
                        };
                        entries += 1;
                        if cid || entries > MAX_CMAP_ENTRIES || h < l {
                            continue;
                        }
                        if let Some(dst) = dst {
                            cmap.ranges.push((l, h, dst));
                        }
                    }
                }
                _ => {}
            }
        }
        cmap
    }

    pub(super) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// Appends the text for `code` to `out`; false when the CMap does not map it.
    pub(super) fn lookup(&self, code: u32, out: &mut String) -> bool {
        if let Some(t) = self.chars.get(&code) {
            out.push_str(t);
            return true;
        }
        // Later definitions win in a CMap; search from the end.
        for (lo, hi, dst) in self.ranges.iter().rev() {
            if code < *lo || code > *hi {
                continue;
            }
            let off = code - lo;
            match dst {
                RangeDst::Base(units) => {
                    let mut u = units.clone();
                    if let Some(last) = u.last_mut() {
                        *last = last.wrapping_add(off as u16);
                    }
                    out.push_str(&String::from_utf16_lossy(&u));
                }
                RangeDst::List(list) => match list.get(off as usize) {
                    Some(t) => out.push_str(t),
                    None => return false,
                },
            }
            return true;
        }
        false
    }

    /// Length in bytes of the code starting at `bytes[0]`, per the code space ranges.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        for len in 1..=4usize {
            if len > bytes.len() {
                break;
            }
            let fits = self.codespace.iter().any(|&(lo, hi, n)| {
                usize::from(n) == len
                    && (0..len).all(|i| {
                        let shift = 8 * (len - 1 - i);
                        let b = bytes[i];
                        ((lo >> shift) as u8) <= b && b <= ((hi >> shift) as u8)
                    })
            });
            if fits {
                return Some(len);
            }
        }
        None
    }
}

/// `uniXXXX` / `uXXXX` names only (no document needed), for CMaps mapping to names.
fn glyph_name_quick(name: &[u8]) -> Option<String> {
    let hex = name
        .strip_prefix(b"uni")
        .or_else(|| name.strip_prefix(b"u"))?;
    let v = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    char::from_u32(v).map(String::from)
}

// ---------------------------------------------------------------------------------------------
// Fonts

/// How show-string bytes split into codes.
#[derive(Debug)]
enum Codes {
    One,
    Two,
    Space(CMap),
}

/// Widths in glyph space units (thousandths of text space for all but Type3).
#[derive(Debug, Default)]
struct Widths {
    first: u32,
    list: Vec<f32>,
    /// CID fonts: individual widths and ranges.
    cid: HashMap<u32, f32>,
    cid_ranges: Vec<(u32, u32, f32)>,
    default: f32,
    /// Standard-14 metrics by character when the font has no /Widths.
    builtin: Option<&'static [u16; 95]>,
    /// False when widths are guesses (spacing decisions are then less reliable).
    known: bool,
}

/// A font ready to decode show strings.
#[derive(Debug)]
pub(super) struct Font {
    codes: Codes,
    composite: bool,
    to_unicode: Option<CMap>,
    /// Simple fonts: code → text from the encoding (empty when unmapped).
    simple: Vec<Box<str>>,
    /// Composite fonts with a UCS-2 / UTF-16 predefined CMap and no ToUnicode.
    ucs2: bool,
    widths: Widths,
    /// Glyph space → text space (1/1000, or the Type3 /FontMatrix's a).
    scale: f32,
    pub(super) vertical: bool,
    /// Glyph height relative to the font size (Type3: /FontBBox height through /FontMatrix).
    pub(super) v_scale: f32,
}

/// One decoded code.
pub(super) struct Decoded<'s> {
    pub(super) text: &'s str,
    /// Horizontal displacement in text space units per unit of font size.
    pub(super) width: f32,
    /// The single-byte code 32 (word spacing applies).
    pub(super) word_space: bool,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn stream_bytes(doc: &Document, o: &Object, limit: usize) -> Option<Vec<u8>> {
    let s = deref(doc, o).as_stream().ok()?;
    s.get_plain_content_with_limit(limit).ok()
}

impl Font {
    /// Builds a font from its dictionary; never fails (unknown parts fall back to defaults).
    pub(super) fn new(
        doc: &Document,
        dict: &Dictionary,
        tables: &mut Tables,
        limit: usize,
    ) -> Font {
        let subtype = dict_get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o, limit))
            .map(|b| CMap::parse(&b))
            .filter(|c| !c.is_empty());
        if subtype == b"Type0" {
            Self::composite(doc, dict, to_unicode, limit)
        } else {
            Self::simple(doc, dict, subtype, to_unicode, tables, limit)
        }
    }

    fn composite(
        doc: &Document,
        dict: &Dictionary,
        to_unicode: Option<CMap>,
        limit: usize,
    ) -> Font {
        let mut codes = Codes::Two;
        let mut vertical = false;
        let mut ucs2 = false;
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                vertical = n.ends_with(b"-V");
                ucs2 = n.starts_with(b"Uni")
                    && (n.windows(4).any(|w| w == b"UCS2") || n.windows(5).any(|w| w == b"UTF16"));
            }
            Some(Object::Stream(s)) => {
                if let Ok(data) = s.get_plain_content_with_limit(limit) {
                    let cm = CMap::parse(&data);
                    if !cm.codespace.is_empty() {
                        codes = Codes::Space(cm);
                    }
                }
                vertical = s.dict.get(b"WMode").ok().and_then(num) == Some(1.0);
            }
            _ => {}
        }
        let mut widths = Widths {
            default: 1000.0,
            known: false,
            ..Widths::default()
        };
        let descendant = dict_get(doc, dict, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(desc) = descendant {
            if let Some(dw) = dict_get(doc, desc, b"DW").and_then(num) {
                widths.default = dw;
                widths.known = true;
            }
            if let Some(w) = dict_get(doc, desc, b"W").and_then(|o| o.as_array().ok()) {
                widths.known = true;
                let mut i = 0;
                while i < w.len() {
                    let Some(first) = num(deref(doc, &w[i])) else {
                        break;
                    };
                    let first = first.max(0.0) as u32;
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(list)) => {
                            for (k, o) in list.iter().enumerate() {
                                if let Some(v) = num(deref(doc, o))
                                    && widths.cid.len() < MAX_CMAP_ENTRIES
                                {
                                    widths.cid.insert(first.saturating_add(k as u32), v);
                                }
                            }
                            i += 2;
                        }
                        Some(o) => {
                            let last = num(o).unwrap_or(0.0).max(0.0) as u32;
                            let v = w
                                .get(i + 2)
                                .and_then(|o| num(deref(doc, o)))
                                .unwrap_or(widths.default);
                            if widths.cid_ranges.len() < MAX_CMAP_ENTRIES {
                                widths.cid_ranges.push((first, last, v));
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
        Font {
            codes,
            composite: true,
            to_unicode,
            simple: Vec::new(),
            ucs2,
            widths,
            scale: 0.001,
            vertical,
            v_scale: 1.0,
        }
    }

    fn simple(
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        to_unicode: Option<CMap>,
        tables: &mut Tables,
        limit: usize,
    ) -> Font {
        let base_font = dict_get(doc, dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let base_font = match base_font.iter().position(|&b| b == b'+') {
            Some(6) => &base_font[7..],
            _ => base_font,
        };
        // The base table: the named encoding, else by font kind.
        let default_table: &[Option<char>; 256] = if subtype == b"TrueType" {
            &tables.win_ansi
        } else {
            &tables.standard
        };
        let mut table: [Option<char>; 256] = *default_table;
        let mut named_base = false;
        let mut diffs: Vec<(u8, Option<String>)> = Vec::new();
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                if let Some(t) = tables.named(n) {
                    table = *t;
                    named_base = true;
                }
            }
            Some(Object::Dictionary(enc)) => {
                if let Some(t) = dict_get(doc, enc, b"BaseEncoding")
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| tables.named(n))
                {
                    table = *t;
                    named_base = true;
                }
                if let Some(arr) =
                    dict_get(doc, enc, b"Differences").and_then(|o| o.as_array().ok())
                {
                    let mut code: i64 = 0;
                    for o in arr {
                        match deref(doc, o) {
                            Object::Integer(i) => code = *i,
                            Object::Name(name) => {
                                if (0..=255).contains(&code) {
                                    let text = tables.glyph_text(doc, name);
                                    diffs.push((code as u8, text));
                                }
                                code = code.saturating_add(1);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        let mut simple: Vec<Box<str>> = table
            .iter()
            .map(|c| {
                c.map(|c| c.to_string())
                    .unwrap_or_default()
                    .into_boxed_str()
            })
            .collect();
        let descriptor = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok());
        // Without a named base encoding, an embedded Type1 font's own encoding is the base
        // (TeX fonts: code 58 is a period in CMMI, not a colon).
        if !named_base
            && matches!(subtype, b"Type1" | b"MMType1")
            && let Some(ff) = descriptor.and_then(|d| d.get(b"FontFile").ok())
        {
            for (code, name) in type1_builtin_encoding(doc, ff, limit) {
                if let Some(t) = tables.glyph_text(doc, &name) {
                    simple[usize::from(code)] = t.into_boxed_str();
                }
            }
        }
        for (code, text) in diffs {
            // An unknown glyph name keeps the base encoding's character (what other readers do).
            if let Some(t) = text {
                simple[usize::from(code)] = t.into_boxed_str();
            }
        }

        let mut scale = 0.001;
        let mut v_scale = 1.0;
        if subtype == b"Type3"
            && let Some(m) = dict_get(doc, dict, b"FontMatrix").and_then(|o| o.as_array().ok())
            && let Some(a) = m.first().and_then(num)
            && a.is_finite()
            && a != 0.0
        {
            scale = a.abs();
            // The em in text space: the glyph box height through the matrix.
            let bbox: Vec<f32> = dict_get(doc, dict, b"FontBBox")
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(|o| num(deref(doc, o))).collect())
                .unwrap_or_default();
            if let (Some(d), [_, y0, _, y1]) = (m.get(3).and_then(num), bbox.as_slice()) {
                let em = ((y1 - y0) * d).abs();
                if (0.1..=10.0).contains(&em) {
                    v_scale = em;
                }
            }
        }

        let mut widths = Widths {
            default: 0.0,
            ..Widths::default()
        };
        if let Some(mw) = descriptor
            .and_then(|d| dict_get(doc, d, b"MissingWidth"))
            .and_then(num)
        {
            widths.default = mw;
        }
        if let Some(list) = dict_get(doc, dict, b"Widths").and_then(|o| o.as_array().ok()) {
            widths.first = dict_get(doc, dict, b"FirstChar")
                .and_then(num)
                .unwrap_or(0.0)
                .max(0.0) as u32;
            widths.list = list
                .iter()
                .take(256)
                .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                .collect();
            widths.known = true;
        } else {
            widths.builtin = builtin_metrics(base_font);
            widths.known = widths.builtin.is_some();
            if widths.default == 0.0 {
                widths.default = if base_font.starts_with(b"Courier") {
                    600.0
                } else {
                    500.0
                };
            }
        }
        if widths.default == 0.0 {
            widths.default = 500.0;
        }

        Font {
            codes: Codes::One,
            composite: false,
            to_unicode,
            simple,
            ucs2: false,
            widths,
            scale,
            vertical: false,
            v_scale,
        }
    }

    /// A stand-in for a missing or unreadable font: WinAnsi, half-em widths.
    pub(super) fn fallback(tables: &Tables) -> Font {
        Font {
            codes: Codes::One,
            composite: false,
            to_unicode: None,
            simple: tables
                .win_ansi
                .iter()
                .map(|c| {
                    c.map(|c| c.to_string())
                        .unwrap_or_default()
                        .into_boxed_str()
                })
                .collect(),
            ucs2: false,
            widths: Widths {
                default: 500.0,
                ..Widths::default()
            },
            scale: 0.001,
            vertical: false,
            v_scale: 1.0,
        }
    }

    /// Whether glyph widths come from the file (or standard metrics) rather than a guess.
    pub(super) fn widths_known(&self) -> bool {
        self.widths.known
    }

    fn width_of(&self, code: u32, text: &str) -> f32 {
        let w = &self.widths;
        let raw = if self.composite {
            w.cid.get(&code).copied().or_else(|| {
                w.cid_ranges
                    .iter()
                    .find(|(lo, hi, _)| (*lo..=*hi).contains(&code))
                    .map(|r| r.2)
            })
        } else if !w.list.is_empty() {
            code.checked_sub(w.first)
                .and_then(|i| w.list.get(i as usize))
                .copied()
                .filter(|v| *v > 0.0)
        } else if let Some(table) = w.builtin {
            text.chars().next().map(base_letter).and_then(|c| {
                let i = (c as u32).checked_sub(32)?;
                table.get(i as usize).map(|v| f32::from(*v))
            })
        } else {
            None
        };
        raw.unwrap_or(w.default) * self.scale
    }

    /// Decodes `bytes`, calling `f` once per code.
    pub(super) fn decode(&self, bytes: &[u8], buf: &mut String, mut f: impl FnMut(Decoded<'_>)) {
        let mut i = 0;
        while i < bytes.len() {
            let len = match &self.codes {
                Codes::One => 1,
                Codes::Two => 2.min(bytes.len() - i),
                Codes::Space(cm) => cm.code_len(&bytes[i..]).unwrap_or(1),
            };
            let chunk = &bytes[i..i + len];
            i += len;
            let code = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
            buf.clear();
            let mapped = self
                .to_unicode
                .as_ref()
                .is_some_and(|cm| cm.lookup(code, buf) && !buf.is_empty());
            if !mapped {
                buf.clear();
                if self.composite {
                    if self.ucs2 {
                        buf.push_str(&String::from_utf16_lossy(&[code as u16]));
                    } else {
                        buf.push('\u{FFFD}');
                    }
                } else if let Some(t) = self.simple.get(code as usize) {
                    buf.push_str(t);
                }
            }
            let width = self.width_of(code, buf);
            f(Decoded {
                text: buf,
                width,
                word_space: len == 1 && code == 32,
            });
        }
    }
}

/// The `dup <code> /<name> put` entries of an embedded Type1 font program's `/Encoding` (empty
/// when the font uses `StandardEncoding` or cannot be read).
fn type1_builtin_encoding(doc: &Document, font_file: &Object, limit: usize) -> Vec<(u8, Vec<u8>)> {
    let Ok(stream) = deref(doc, font_file).as_stream() else {
        return Vec::new();
    };
    let Ok(data) = stream.get_plain_content_with_limit(limit) else {
        return Vec::new();
    };
    // The encoding is in the clear-text part, before `eexec`.
    let clear_len = stream
        .dict
        .get(b"Length1")
        .ok()
        .and_then(|o| o.as_i64().ok())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(data.len())
        .min(data.len())
        .min(256 * 1024);
    let clear = &data[..clear_len];
    let Some(start) = clear.windows(9).position(|w| w == b"/Encoding") else {
        return Vec::new();
    };
    let tokens: Vec<&[u8]> = clear[start + 9..]
        .split(|b| is_ws(*b))
        .filter(|t| !t.is_empty())
        .take(4096)
        .collect();
    if tokens.first().is_some_and(|t| *t == b"StandardEncoding") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < tokens.len() {
        if tokens[i] == b"def" || tokens[i] == b"readonly" {
            break;
        }
        if tokens[i] == b"dup"
            && tokens[i + 3] == b"put"
            && let Some(name) = tokens[i + 2].strip_prefix(b"/")
            && let Some(code) = std::str::from_utf8(tokens[i + 1])
                .ok()
                .and_then(|n| n.parse::<u8>().ok())
        {
            out.push((code, name.to_vec()));
            i += 4;
        } else {
            i += 1;
        }
    }
    out
}

/// The unaccented base letter of a Latin-1 / Latin Extended-A letter (for standard metrics).
fn base_letter(c: char) -> char {
    match c {
        'À'..='Å' => 'A',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ñ' => 'N',
        'Ò'..='Ö' | 'Ø' => 'O',
        'Ù'..='Ü' => 'U',
        'Ý' | 'Ÿ' => 'Y',
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' | 'ø' => 'o',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'Œ' => 'W',
        'œ' => 'm',
        '€' => '0',
        '’' | '‘' => '\'',
        '“' | '”' | '«' | '»' => '"',
        '–' => '-',
        '—' => 'M',
        _ => c,
    }
}

/// Helvetica widths for ASCII 32..=126 (Adobe AFM).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Times-Roman widths for ASCII 32..=126 (Adobe AFM).
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

const COURIER: [u16; 95] = [600; 95];

fn builtin_metrics(base_font: &[u8]) -> Option<&'static [u16; 95]> {
    if base_font.starts_with(b"Helvetica") || base_font.starts_with(b"Arial") {
        Some(&HELVETICA)
    } else if base_font.starts_with(b"Times") {
        Some(&TIMES)
    } else if base_font.starts_with(b"Courier") {
        Some(&COURIER)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_bfchar_bfrange_and_codespace() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            3 beginbfchar <0003> <0020> <00ab> <00E9> <0010> <00660069> endbfchar
            2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<0152> <20AC>] endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let cm = CMap::parse(src);
        let mut s = String::new();
        assert!(cm.lookup(0xab, &mut s));
        assert!(cm.lookup(0x25, &mut s));
        assert!(cm.lookup(0x31, &mut s));
        assert!(cm.lookup(0x10, &mut s));
        assert!(!cm.lookup(0x99, &mut s));
        assert_eq!(s, "éB€fi");
        assert_eq!(cm.code_len(&[0, 3, 0]), Some(2));
    }

    #[test]
    fn cmap_garbage_does_not_panic() {
        for src in [
            &b"beginbfrange <00> [ <41"[..],
            b"begincodespacerange <",
            b"(\\",
            b"<<>>]][[ beginbfchar <> <>",
        ] {
            let _ = CMap::parse(src);
        }
    }

    #[test]
    fn glyph_names() {
        let doc = Document::with_version("1.5");
        let mut t = Tables::new(&doc);
        assert_eq!(t.glyph_text(&doc, b"eacute").as_deref(), Some("é"));
        assert_eq!(t.glyph_text(&doc, b"OE").as_deref(), Some("Œ"));
        assert_eq!(t.glyph_text(&doc, b"Euro").as_deref(), Some("€"));
        assert_eq!(t.glyph_text(&doc, b"uni00E9").as_deref(), Some("é"));
        assert_eq!(t.glyph_text(&doc, b"f_i").as_deref(), Some("fi"));
        assert_eq!(t.glyph_text(&doc, b"a.sc").as_deref(), Some("a"));
        assert_eq!(t.glyph_text(&doc, b"g123"), None);
        assert_eq!(t.win_ansi[0x80], Some('€'));
        assert_eq!(t.win_ansi[0x8c], Some('Œ'));
        assert_eq!(t.mac_roman[0x8e], Some('é'));
    }
}
