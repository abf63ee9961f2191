//! AcroForm fields and digital signatures.
//!
//! Owns the walk of `/AcroForm /Fields` (with `/Kids`, inherited `/FT` and `/V`, full dotted
//! names), the widget → page lookup, the signature dictionary (`/SubFilter`, `/M`, `/ByteRange`
//! coverage of the file) and a small DER walk that reads the signer's common name from the
//! PKCS#7 / CMS blob in `/Contents`. It must not validate signatures (no crypto here): the
//! certificate name is what the file claims.
//!
//! Signer heuristic: the CMS `SignerInfo` names its certificate by issuer + serial number (or by
//! subject key identifier); the certificate of the `certificates` set that matches is the
//! signer's, and its *subject* CN is reported (never the issuer's). When nothing matches, the
//! first certificate whose subject is nobody's issuer in the set (the leaf) is used.

use super::content::{Matrix, num};
use crate::model::{FormField, Rect, SignatureValue};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};

const MAX_FIELDS: usize = 10_000;
const MAX_DEPTH: u32 = 32;

/// Page number and base matrix by annotation id (from each page's /Annots) and by page id.
pub(super) type WidgetPages = HashMap<ObjectId, (u32, Matrix)>;

/// PDF text string → `String` (UTF-16BE with BOM, UTF-8 with BOM, PDFDocEncoding), lossy.
pub(super) fn text_string(o: &Object) -> Option<String> {
    let bytes = o.as_str().ok()?;
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    match lopdf::decode_text_string(o) {
        Ok(s) => Some(s),
        Err(_) => Some(String::from_utf8_lossy(bytes).into_owned()),
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn get_text(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<String> {
    get(doc, d, key)
        .and_then(text_string)
        .map(|s| s.trim_end_matches('\0').to_string())
}

fn value_text(o: &Object) -> Option<String> {
    match o {
        Object::String(..) => text_string(o),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        Object::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(value_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Object::Integer(i) => Some(i.to_string()),
        Object::Real(r) => Some(r.to_string()),
        Object::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn rect_of(doc: &Document, d: &Dictionary, base: &Matrix) -> Option<Rect> {
    let a = get(doc, d, b"Rect")?.as_array().ok()?;
    let v: Vec<f32> = a.iter().filter_map(|o| num(deref(doc, o))).collect();
    if v.len() != 4 {
        return None;
    }
    Some(base.bbox(
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ))
}

struct Walk<'a> {
    doc: &'a Document,
    file: &'a [u8],
    widgets: &'a WidgetPages,
    seen: HashSet<ObjectId>,
    out: Vec<FormField>,
}

/// All terminal fields of the document's AcroForm (empty when there is none).
pub(super) fn read_fields(doc: &Document, file: &[u8], widgets: &WidgetPages) -> Vec<FormField> {
    let Some(acro) = doc
        .catalog()
        .ok()
        .and_then(|c| get(doc, c, b"AcroForm"))
        .and_then(|o| o.as_dict().ok())
    else {
        return Vec::new();
    };
    let Some(fields) = get(doc, acro, b"Fields").and_then(|o| o.as_array().ok()) else {
        return Vec::new();
    };
    let mut w = Walk {
        doc,
        file,
        widgets,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    for f in fields {
        w.node(f, "", None, None, 0);
    }
    w.out
}

impl<'a> Walk<'a> {
    fn node(
        &mut self,
        o: &'a Object,
        parent: &str,
        ft: Option<&'a [u8]>,
        v: Option<&'a Object>,
        depth: u32,
    ) {
        if depth > MAX_DEPTH || self.out.len() >= MAX_FIELDS {
            return;
        }
        let doc = self.doc;
        let id = o.as_reference().ok();
        if let Some(id) = id
            && !self.seen.insert(id)
        {
            return;
        }
        let Ok(d) = deref(doc, o).as_dict() else {
            return;
        };
        let t = get_text(doc, d, b"T");
        let name = match (&t, parent.is_empty()) {
            (Some(t), true) => t.clone(),
            (Some(t), false) => format!("{parent}.{t}"),
            (None, _) => parent.to_string(),
        };
        let ft = get(doc, d, b"FT").and_then(|o| o.as_name().ok()).or(ft);
        let v = d.get(b"V").ok().or(v);
        let kids = get(doc, d, b"Kids").and_then(|o| o.as_array().ok());
        let kid_is_field = |k: &Object| deref(doc, k).as_dict().is_ok_and(|kd| kd.has(b"T"));
        if let Some(kids) = kids
            && kids.iter().any(kid_is_field)
        {
            for k in kids {
                if kid_is_field(k) {
                    self.node(k, &name, ft, v, depth + 1);
                }
            }
            return;
        }
        // A terminal field: its widgets are its kids, or the field itself.
        let mut widgets: Vec<(Option<ObjectId>, &Dictionary)> = Vec::new();
        if let Some(kids) = kids {
            for k in kids.iter().take(64) {
                if let Ok(kd) = deref(doc, k).as_dict() {
                    widgets.push((k.as_reference().ok(), kd));
                }
            }
        }
        if widgets.is_empty() {
            widgets.push((id, d));
        }
        let mut page = None;
        let mut rect = None;
        for (wid, wd) in &widgets {
            // The page whose /Annots lists the widget, else the page its /P names (the map
            // holds page ids too).
            let placed = wid.and_then(|i| self.widgets.get(&i)).copied().or_else(|| {
                let p = wd.get(b"P").ok()?.as_reference().ok()?;
                self.widgets.get(&p).copied()
            });
            let base = placed.map(|(_, m)| m).unwrap_or(Matrix::IDENTITY);
            if page.is_none() {
                page = placed.map(|(n, _)| n);
            }
            if rect.is_none() {
                rect = rect_of(doc, wd, &base);
            }
            if page.is_some() && rect.is_some() {
                break;
            }
        }
        let kind = match ft {
            Some(b"Sig") => "signature".to_string(),
            Some(b"Tx") => "text".to_string(),
            Some(b"Btn") => "button".to_string(),
            Some(b"Ch") => "choice".to_string(),
            Some(other) => String::from_utf8_lossy(other).into_owned(),
            None => "unknown".to_string(),
        };
        let mut field = FormField {
            name,
            kind,
            page,
            rect,
            ..FormField::default()
        };
        if ft == Some(b"Sig") {
            field.signature = v
                .map(|v| deref(doc, v))
                .and_then(|v| v.as_dict().ok())
                .map(|sd| self.signature(sd));
        } else {
            field.value = v.map(|v| deref(doc, v)).and_then(value_text);
        }
        self.out.push(field);
    }

    fn signature(&self, sd: &Dictionary) -> SignatureValue {
        let doc = self.doc;
        let name_of = |k: &[u8]| {
            get(doc, sd, k)
                .and_then(|o| o.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
        };
        let byte_range: Vec<i64> = get(doc, sd, b"ByteRange")
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .take(16)
                    .filter_map(|o| deref(doc, o).as_i64().ok())
                    .collect()
            })
            .unwrap_or_default();
        let contents = get(doc, sd, b"Contents")
            .and_then(|o| o.as_str().ok())
            .unwrap_or(&[]);
        let gap = gap_hex(self.file, &byte_range);
        let covers_whole_file = if byte_range.len() == 4 {
            let len = self.file.len() as i64;
            Some(
                byte_range[0] == 0
                    && byte_range[2].checked_add(byte_range[3]) == Some(len)
                    && gap.as_ref().is_some_and(|g| {
                        contents.is_empty() || g.len() == contents.len() || doc.was_encrypted()
                    }),
            )
        } else {
            None
        };
        // The file's own hex is what was signed; /Contents may have been altered by decryption.
        let der: &[u8] = gap.as_deref().unwrap_or(contents);
        SignatureValue {
            sub_filter: name_of(b"SubFilter"),
            signing_time: get_text(doc, sd, b"M"),
            name: get_text(doc, sd, b"Name"),
            reason: get_text(doc, sd, b"Reason"),
            location: get_text(doc, sd, b"Location"),
            byte_range,
            covers_whole_file,
            signer: signer_common_name(der),
            contents_len: contents.len(),
        }
    }
}

/// The bytes of the `<hex>` hole between the two ranges of a `/ByteRange`, when the hole is
/// exactly one hex string.
fn gap_hex(file: &[u8], br: &[i64]) -> Option<Vec<u8>> {
    if br.len() != 4 {
        return None;
    }
    let start = usize::try_from(br[0].checked_add(br[1])?).ok()?;
    let end = usize::try_from(br[2]).ok()?;
    let hole = file.get(start..end)?;
    let inner = hole.strip_prefix(b"<")?.strip_suffix(b">")?;
    if inner.len() % 2 != 0 || !inner.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    Some(
        inner
            .chunks(2)
            .map(|p| {
                let h = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
                (h(p[0]) << 4) | h(p[1])
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// A minimal DER/BER walk (tag, length, body), enough for CMS SignedData.

#[derive(Clone, Copy, Debug)]
struct Tlv<'a> {
    tag: u8,
    body: &'a [u8],
    /// The whole element (tag and length included).
    raw: &'a [u8],
}

fn read_tlv<'a>(data: &'a [u8], pos: &mut usize, depth: u32) -> Option<Tlv<'a>> {
    if depth > 64 {
        return None;
    }
    let start = *pos;
    let tag = *data.get(start)?;
    if tag & 0x1f == 0x1f {
        return None; // high tag numbers do not occur in CMS
    }
    let first = *data.get(start + 1)?;
    let mut p = start + 2;
    if first == 0x80 {
        // BER indefinite length: children up to the end-of-contents marker.
        if tag & 0x20 == 0 {
            return None;
        }
        let body_start = p;
        loop {
            if data.get(p..p + 2)? == [0, 0] {
                let body = data.get(body_start..p)?;
                *pos = p + 2;
                return Some(Tlv {
                    tag,
                    body,
                    raw: data.get(start..p + 2)?,
                });
            }
            read_tlv(data, &mut p, depth + 1)?;
        }
    }
    let len = if first & 0x80 == 0 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut l = 0usize;
        for i in 0..n {
            l = (l << 8) | usize::from(*data.get(p + i)?);
        }
        p += n;
        l
    };
    let end = p.checked_add(len)?;
    let body = data.get(p..end)?;
    *pos = end;
    Some(Tlv {
        tag,
        body,
        raw: data.get(start..end)?,
    })
}

fn children(body: &[u8]) -> Vec<Tlv<'_>> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < body.len() && out.len() < 10_000 {
        if body.get(p..p + 2) == Some(&[0, 0]) {
            break;
        }
        match read_tlv(body, &mut p, 0) {
            Some(t) => out.push(t),
            None => break,
        }
    }
    out
}

const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const OID_CN: &[u8] = &[0x55, 0x04, 0x03];

struct Cert<'a> {
    serial: &'a [u8],
    issuer: &'a [u8],
    subject: Tlv<'a>,
    raw: &'a [u8],
}

fn parse_cert(c: Tlv<'_>) -> Option<Cert<'_>> {
    let tbs = *children(c.body).first()?;
    let parts = children(tbs.body);
    let mut it = parts.iter().copied().peekable();
    if it.peek().is_some_and(|t| t.tag == 0xa0) {
        it.next();
    }
    let serial = it.next().filter(|t| t.tag == 0x02)?;
    let _alg = it.next()?;
    let issuer = it.next()?;
    let _validity = it.next()?;
    let subject = it.next().filter(|t| t.tag == 0x30)?;
    Some(Cert {
        serial: serial.body,
        issuer: issuer.raw,
        subject,
        raw: c.raw,
    })
}

fn decode_string(t: Tlv<'_>) -> Option<String> {
    let s = match t.tag {
        0x0c | 0x13 | 0x16 | 0x1a => String::from_utf8_lossy(t.body).into_owned(),
        0x14 => t.body.iter().map(|&b| b as char).collect(), // T61: Latin-1 in practice
        0x1e => {
            let units: Vec<u16> = t
                .body
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        0x1c => t
            .body
            .chunks_exact(4)
            .filter_map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        _ => return None,
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// The last CN of an X.501 Name (the most specific one).
fn common_name(name: Tlv<'_>) -> Option<String> {
    let mut found = None;
    for rdn in children(name.body) {
        for atv in children(rdn.body) {
            let parts = children(atv.body);
            if let [oid, value, ..] = parts.as_slice()
                && oid.tag == 0x06
                && oid.body == OID_CN
                && let Some(s) = decode_string(*value)
            {
                found = Some(s);
            }
        }
    }
    found
}

/// The signer's common name from a CMS SignedData blob (trailing zero padding allowed).
pub(super) fn signer_common_name(der: &[u8]) -> Option<String> {
    let mut p = 0;
    let ci = read_tlv(der, &mut p, 0)?;
    let ci_parts = children(ci.body);
    let oid = ci_parts.first()?;
    if oid.tag != 0x06 || oid.body != OID_SIGNED_DATA {
        return None;
    }
    let explicit = ci_parts.get(1).filter(|t| t.tag == 0xa0)?;
    let sd = *children(explicit.body).first()?;
    let sd_parts = children(sd.body);
    let certs: Vec<Cert<'_>> = sd_parts
        .iter()
        .find(|t| t.tag == 0xa0)
        .map(|set| {
            children(set.body)
                .into_iter()
                .filter(|c| c.tag == 0x30)
                .filter_map(parse_cert)
                .collect()
        })
        .unwrap_or_default();
    if certs.is_empty() {
        return None;
    }
    let signer_info = sd_parts
        .iter()
        .rev()
        .find(|t| t.tag == 0x31)
        .and_then(|s| children(s.body).into_iter().next());
    let sid = signer_info.and_then(|si| children(si.body).get(1).copied());
    let matched = sid.and_then(|sid| match sid.tag {
        0x30 => {
            let ias = children(sid.body);
            let (issuer, serial) = (ias.first()?, ias.get(1)?);
            certs
                .iter()
                .find(|c| c.serial == serial.body && c.issuer == issuer.raw)
        }
        0x80 => certs
            .iter()
            .find(|c| !sid.body.is_empty() && c.raw.windows(sid.body.len()).any(|w| w == sid.body)),
        _ => None,
    });
    let cert = matched.or_else(|| {
        certs.iter().find(|c| {
            !certs
                .iter()
                .any(|o| !std::ptr::eq(*c, o) && o.issuer == c.subject.raw)
        })
    })?;
    common_name(cert.subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        if body.len() < 128 {
            v.push(body.len() as u8);
        } else {
            v.push(0x82);
            v.extend_from_slice(&(body.len() as u16).to_be_bytes());
        }
        v.extend_from_slice(body);
        v
    }

    fn name(cn: &str) -> Vec<u8> {
        let atv = [tlv(0x06, OID_CN), tlv(0x0c, cn.as_bytes())].concat();
        tlv(0x30, &tlv(0x31, &tlv(0x30, &atv)))
    }

    fn cert(serial: u8, issuer: &str, subject: &str) -> Vec<u8> {
        let tbs = [
            tlv(0xa0, &tlv(0x02, &[2])),
            tlv(0x02, &[serial]),
            tlv(0x30, &tlv(0x06, &[1, 2, 3])),
            name(issuer),
            tlv(0x30, &[]),
            name(subject),
        ]
        .concat();
        tlv(
            0x30,
            &[tlv(0x30, &tbs), tlv(0x30, &[]), tlv(0x03, &[0])].concat(),
        )
    }

    fn signed_data(certs: &[Vec<u8>], sid_issuer: &str, sid_serial: u8) -> Vec<u8> {
        let sid = tlv(0x30, &[name(sid_issuer), tlv(0x02, &[sid_serial])].concat());
        let signer_info = tlv(0x30, &[tlv(0x02, &[1]), sid].concat());
        let sd = tlv(
            0x30,
            &[
                tlv(0x02, &[1]),
                tlv(0x31, &[]),
                tlv(0x30, &tlv(0x06, &[1, 2])),
                tlv(0xa0, &certs.concat()),
                tlv(0x31, &signer_info),
            ]
            .concat(),
        );
        let mut out = tlv(0x30, &[tlv(0x06, OID_SIGNED_DATA), tlv(0xa0, &sd)].concat());
        out.extend_from_slice(&[0; 64]); // /Contents padding
        out
    }

    #[test]
    fn signer_is_the_matching_certificate_subject() {
        let ca = cert(1, "Root CA", "Root CA");
        let leaf = cert(7, "Root CA", "Hélène Dupré");
        let der = signed_data(&[ca.clone(), leaf.clone()], "Root CA", 7);
        assert_eq!(signer_common_name(&der).as_deref(), Some("Hélène Dupré"));
        // No match (bad serial): the leaf (subject that issues nothing) is chosen.
        let der = signed_data(&[ca, leaf], "Root CA", 99);
        assert_eq!(signer_common_name(&der).as_deref(), Some("Hélène Dupré"));
    }

    #[test]
    fn der_garbage_is_none() {
        assert_eq!(signer_common_name(&[]), None);
        assert_eq!(
            signer_common_name(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
            None
        );
        assert_eq!(signer_common_name(&[0x30, 0x80, 0x30, 0x80]), None);
        let mut nested = [0x30u8, 0x80].repeat(1000);
        nested.extend([0u8; 8]);
        assert_eq!(signer_common_name(&nested), None);
    }

    #[test]
    fn gap_must_be_one_hex_string() {
        let file = b"0123<abcd>89";
        assert_eq!(gap_hex(file, &[0, 4, 10, 2]), Some(vec![0xab, 0xcd]));
        assert_eq!(gap_hex(file, &[0, 3, 10, 2]), None);
        assert_eq!(gap_hex(file, &[0, 4, 99, 2]), None);
        assert_eq!(gap_hex(file, &[i64::MAX, 4, 10, 2]), None);
    }
}
