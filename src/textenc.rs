//! Text decoding: UTF-8 (with or without BOM), else Windows-1252 (what French Excel and older
//! Windows tools write); CP850/CP437 for ZIP member names written by Windows without the UTF-8
//! flag (encoding_rs has no DOS code pages, so the table is here).

use encoding_rs::WINDOWS_1252;

/// The encoding a byte string was decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Windows1252,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8 (BOM)",
            TextEncoding::Utf16 => "utf-16",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }
}

/// Decodes text: UTF-8 when valid (BOM stripped), Windows-1252 otherwise. A UTF-8 sequence cut
/// at the end of `bytes` (a sniffing window) still counts as UTF-8.
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        // UTF-16 with a byte-order mark (Microsoft Teams and some Excel exports).
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (s.into_owned(), TextEncoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8Bom,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), TextEncoding::Utf8),
        Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => (
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
            TextEncoding::Utf8,
        ),
        Err(_) => {
            let (s, _, _) = WINDOWS_1252.decode(bytes);
            (s.into_owned(), TextEncoding::Windows1252)
        }
    }
}

/// [`decode`] without the encoding.
pub fn decode_lossy(bytes: &[u8]) -> String {
    decode(bytes).0
}

/// Code page 850 (DOS Latin-1, what French Windows writes in ZIP names), bytes 0x80..=0xFF.
const CP850_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', 'ø', '£', 'Ø', '×', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '®', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', 'Á', 'Â', 'À', '©', '╣', '║', '╗', '╝', '¢', '¥', '┐', //
    '└', '┴', '┬', '├', '─', '┼', 'ã', 'Ã', '╚', '╔', '╩', '╦', '╠', '═', '╬', '¤', //
    'ð', 'Ð', 'Ê', 'Ë', 'È', 'ı', 'Í', 'Î', 'Ï', '┘', '┌', '█', '▄', '¦', 'Ì', '▀', //
    'Ó', 'ß', 'Ô', 'Ò', 'õ', 'Õ', 'µ', 'þ', 'Þ', 'Ú', 'Û', 'Ù', 'ý', 'Ý', '¯', '´', //
    '\u{AD}', '±', '‗', '¾', '¶', '§', '÷', '¸', '°', '¨', '·', '¹', '³', '²', '■', '\u{A0}',
];

/// Decodes a CP850 byte string (ASCII below 0x80).
pub fn decode_cp850(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                CP850_HIGH[(b - 0x80) as usize]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_stripped() {
        let (s, e) = decode(b"\xEF\xBB\xBFNom;Pr\xC3\xA9nom");
        assert_eq!(s, "Nom;Prénom");
        assert_eq!(e, TextEncoding::Utf8Bom);
    }

    #[test]
    fn windows_1252_fallback() {
        let (s, e) = decode(b"Pr\xE9nom;\x80;\x9Cuvre");
        assert_eq!(s, "Prénom;€;œuvre");
        assert_eq!(e, TextEncoding::Windows1252);
    }

    #[test]
    fn utf8_cut_in_the_middle_of_a_char_is_still_utf8() {
        let (s, e) = decode(b"caf\xC3");
        assert_eq!(e, TextEncoding::Utf8);
        assert_eq!(s, "caf");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Nom\tDurée".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (s, e) = decode(&bytes);
        assert_eq!(s, "Nom\tDurée");
        assert_eq!(e, TextEncoding::Utf16);
    }

    #[test]
    fn cp850_french_names() {
        // "À traiter/Être émargé.pdf" as Windows Explorer writes it.
        let raw = b"\xB7 traiter/\xD2tre \x82marg\x82.pdf";
        assert_eq!(decode_cp850(raw), "À traiter/Être émargé.pdf");
    }
}
