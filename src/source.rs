//! Bytes to text: encoding detection and decoding, and the line index.
//!
//! Everything here is pure (no I/O). The CLI reads bytes and hands them to
//! [`decode`]; the language server receives text that is already UTF-8.

use std::fmt;

/// The encoding a file was read in; `--fix` writes it back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl TextEncoding {
    /// Parse a user-given encoding name (`--encoding`, config).
    pub fn from_name(name: &str) -> Option<TextEncoding> {
        match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => Some(TextEncoding::Utf8Bom),
            "utf-16le" | "utf-16-le" => Some(TextEncoding::Utf16Le),
            "utf-16be" | "utf-16-be" => Some(TextEncoding::Utf16Be),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(TextEncoding::Gb18030),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// Encode text back into this encoding (with the BOM where the original had one).
    /// Returns `None` when a character cannot be represented.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            TextEncoding::Utf8 => Some(text.as_bytes().to_vec()),
            TextEncoding::Utf8Bom => {
                let mut out = vec![0xEF, 0xBB, 0xBF];
                out.extend_from_slice(text.as_bytes());
                Some(out)
            }
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let le = self == TextEncoding::Utf16Le;
                let mut out = if le {
                    vec![0xFF, 0xFE]
                } else {
                    vec![0xFE, 0xFF]
                };
                for unit in text.encode_utf16() {
                    let b = if le {
                        unit.to_le_bytes()
                    } else {
                        unit.to_be_bytes()
                    };
                    out.extend_from_slice(&b);
                }
                Some(out)
            }
            TextEncoding::Gb18030 => {
                let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
                if unmappable {
                    None
                } else {
                    Some(bytes.into_owned())
                }
            }
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a file's bytes were not turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes contain NUL bytes or other control bytes: not a text document.
    Binary,
    /// The bytes are neither UTF-8 nor GB18030 (too many undecodable sequences).
    Undecodable,
    /// A forced encoding did not fit the bytes.
    NotInEncoding(TextEncoding),
    /// UTF-16 text without a byte-order mark (NUL bytes at every other position); it is
    /// read only when the encoding is given with `--encoding`.
    Utf16WithoutBom(TextEncoding),
    /// Valid UTF-8 except for a few bytes (a damaged or truncated UTF-8 file). Decoding it
    /// as GB18030 would garble the whole text, so it is refused with the first bad offset.
    BrokenUtf8 { offset: usize },
    /// The text is mostly U+FFFD replacement characters: it was mangled before it got here.
    Garbled,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary => {
                f.write_str("binary file (contains NUL or control bytes), skipped")
            }
            DecodeError::Undecodable => {
                f.write_str("not valid UTF-8, UTF-16 (with BOM) or GB18030 text, skipped")
            }
            DecodeError::NotInEncoding(e) => write!(f, "bytes are not valid {e}, skipped"),
            DecodeError::Utf16WithoutBom(e) => write!(
                f,
                "looks like UTF-16 without a byte-order mark, skipped (use --encoding {e})"
            ),
            DecodeError::BrokenUtf8 { offset } => write!(
                f,
                "invalid UTF-8 at byte {offset} of otherwise UTF-8 text, skipped (re-save as UTF-8)"
            ),
            DecodeError::Garbled => f.write_str(
                "text is garbled (many U+FFFD replacement characters from an earlier bad conversion), skipped",
            ),
        }
    }
}

/// Text decoded from bytes, with the encoding it came in.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: TextEncoding,
}

/// Decode a file's bytes. With `forced`, only that encoding is tried.
///
/// Order when not forced: BOM (UTF-8, UTF-16 LE/BE), then UTF-8, then GB18030.
/// A file with NUL bytes (without a UTF-16 BOM) is binary.
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Result<Decoded, DecodeError> {
    let decoded = decode_bytes(bytes, forced)?;
    if is_garbled(&decoded.text) {
        return Err(DecodeError::Garbled);
    }
    Ok(decoded)
}

/// [`decode`] taking the bytes by value: plain UTF-8 (the common case) becomes the text
/// without a copy, so a 200 MB draft is not held twice while it is read.
pub fn decode_owned(bytes: Vec<u8>, forced: Option<TextEncoding>) -> Result<Decoded, DecodeError> {
    let marked = [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]]
        .iter()
        .any(|m| bytes.starts_with(m));
    if marked || !matches!(forced, None | Some(TextEncoding::Utf8)) || looks_binary(&bytes) {
        return decode(&bytes, forced);
    }
    match String::from_utf8(bytes) {
        Ok(text) if is_garbled(&text) => Err(DecodeError::Garbled),
        Ok(text) => Ok(Decoded {
            text,
            encoding: TextEncoding::Utf8,
        }),
        Err(e) => decode(e.as_bytes(), forced),
    }
}

/// More than 2 % of the characters (and at least 8) are U+FFFD.
fn is_garbled(text: &str) -> bool {
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    bad >= 8 && bad * 50 > text.chars().count()
}

fn decode_bytes(bytes: &[u8], forced: Option<TextEncoding>) -> Result<Decoded, DecodeError> {
    if let Some(enc) = forced {
        return decode_as(bytes, enc);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return decode_as(bytes, TextEncoding::Utf8Bom);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return decode_as(bytes, TextEncoding::Utf16Le);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return decode_as(bytes, TextEncoding::Utf16Be);
    }
    if looks_binary(bytes) {
        return Err(
            utf16_without_bom(bytes).map_or(DecodeError::Binary, DecodeError::Utf16WithoutBom)
        );
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: TextEncoding::Utf8,
        });
    }
    if let Some(offset) = broken_utf8(bytes) {
        return Err(DecodeError::BrokenUtf8 { offset });
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError::Undecodable);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: TextEncoding::Gb18030,
    })
}

fn decode_as(bytes: &[u8], enc: TextEncoding) -> Result<Decoded, DecodeError> {
    let fail = || DecodeError::NotInEncoding(enc);
    let text = match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            if enc == TextEncoding::Utf8 && looks_binary(body) {
                return Err(DecodeError::Binary);
            }
            std::str::from_utf8(body).map_err(|_| fail())?.to_owned()
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let coding = if enc == TextEncoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let body = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                &bytes[2..]
            } else {
                bytes
            };
            let (text, had_errors) = coding.decode_without_bom_handling(body);
            if had_errors || body.len() % 2 != 0 {
                return Err(fail());
            }
            text.into_owned()
        }
        TextEncoding::Gb18030 => {
            if looks_binary(bytes) {
                return Err(DecodeError::Binary);
            }
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(fail());
            }
            text.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(DecodeError::Binary);
    }
    // `--encoding utf-8` on a file with a BOM: keep the BOM when writing back (found by
    // fuzzing: the BOM was silently dropped).
    let encoding = if enc == TextEncoding::Utf8 && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        TextEncoding::Utf8Bom
    } else {
        enc
    };
    Ok(Decoded { text, encoding })
}

/// NUL bytes anywhere, or many C0 control bytes other than tab/CR/LF/FF in the first
/// 64 KiB, mean binary.
fn looks_binary(bytes: &[u8]) -> bool {
    if memchr_nul(bytes) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    controls > 0 && controls * 100 > sample.len()
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// Bytes whose NULs sit (nearly) all at odd positions (LE) or all at even positions (BE)
/// and that decode cleanly as UTF-16: ASCII and line breaks in UTF-16 without a BOM.
/// (A few NULs at the other parity come from characters like U+5F00 开.)
fn utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let nuls_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nuls_at(0), nuls_at(1));
    let enc = if odd > 2 * even {
        TextEncoding::Utf16Le
    } else if even > 2 * odd {
        TextEncoding::Utf16Be
    } else {
        return None;
    };
    decode_as(bytes, enc).ok().map(|_| enc)
}

/// The first bad offset when `bytes` (which are not valid UTF-8) are still clearly UTF-8:
/// at least ten valid multi-byte characters per invalid sequence. GBK text read as UTF-8
/// has almost no valid multi-byte characters, so it never qualifies.
fn broken_utf8(bytes: &[u8]) -> Option<usize> {
    let lead_bytes = |s: &[u8]| s.iter().filter(|&&b| b >= 0xC0).count();
    let (mut rest, mut pos, mut errors, mut multibyte) = (bytes, 0usize, 0usize, 0usize);
    let mut first = None;
    while errors <= 1000 {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                multibyte += lead_bytes(rest);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                multibyte += lead_bytes(&rest[..valid]);
                errors += 1;
                first.get_or_insert(pos + valid);
                let skip = valid + e.error_len().unwrap_or(rest.len() - valid);
                pos += skip;
                rest = &rest[skip..];
            }
        }
    }
    first.filter(|_| multibyte >= 10 * errors)
}

/// Maps byte offsets in a text to 1-based lines and 1-based columns in Unicode characters.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

/// A position in a text: 1-based line, 1-based column in characters, byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { line_starts }
    }

    /// Number of lines (a trailing newline starts one more, empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 0-based line `line`, without its `\n` (a `\r` before it is kept).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts.get(line).copied().unwrap_or(text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .map(|&next| next - 1)
            .unwrap_or(text.len());
        start..end.max(start)
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_gbk_utf16() {
        let text = "关于印发《2018年工会工作要点》的通知\r\n";
        assert_eq!(
            decode(text.as_bytes(), None).unwrap().encoding,
            TextEncoding::Utf8
        );
        let bom = TextEncoding::Utf8Bom.encode(text).unwrap();
        let d = decode(&bom, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, TextEncoding::Utf8Bom));
        let gbk = TextEncoding::Gb18030.encode(text).unwrap();
        let d = decode(&gbk, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, TextEncoding::Gb18030));
        for enc in [TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            let bytes = enc.encode(text).unwrap();
            let d = decode(&bytes, None).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, enc));
        }
    }

    #[test]
    fn rejects_binary_and_garbage() {
        assert_eq!(
            decode(b"PK\x03\x04\0\0abc", None).unwrap_err(),
            DecodeError::Binary
        );
        assert_eq!(
            decode(&[0xFF, 0x30, 0x81, 0xFF, 0xFF, 0x20], None).unwrap_err(),
            DecodeError::Undecodable
        );
        assert!(decode(&[0xC4, 0xE3], Some(TextEncoding::Utf8)).is_err());
        assert_eq!(decode(b"", None).unwrap().text, "");
        let garbled = "工会\u{FFFD}\u{FFFD}".repeat(8);
        assert_eq!(
            decode(garbled.as_bytes(), None).unwrap_err(),
            DecodeError::Garbled
        );
        let one_bad = format!("{}\u{FFFD}", "正常的公文文本。".repeat(20));
        assert!(decode(one_bad.as_bytes(), None).is_ok());
        // a NUL far past the sampled start is still binary
        let mut late_nul = "正文。\n".repeat(20_000).into_bytes();
        late_nul.push(0);
        assert_eq!(decode(&late_nul, None).unwrap_err(), DecodeError::Binary);
    }

    #[test]
    fn forced_utf8_keeps_a_bom() {
        // regression (fuzz target `decode`): the BOM was dropped and the text re-encoded without it
        let bytes = [0xEF, 0xBB, 0xBF, b'8', b'+', b';'];
        let d = decode(&bytes, Some(TextEncoding::Utf8)).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("8+;", TextEncoding::Utf8Bom)
        );
        assert_eq!(d.encoding.encode(&d.text).unwrap(), bytes);
    }

    #[test]
    fn decode_owned_agrees_with_decode() {
        let text = "关于印发工作要点的通知\r\n";
        let mut inputs: Vec<Vec<u8>> = vec![text.as_bytes().to_vec(), b"a\0b".to_vec()];
        for enc in [
            TextEncoding::Utf8Bom,
            TextEncoding::Utf16Le,
            TextEncoding::Utf16Be,
            TextEncoding::Gb18030,
        ] {
            inputs.push(enc.encode(text).unwrap());
        }
        inputs.push("工会\u{FFFD}\u{FFFD}".repeat(8).into_bytes());
        for bytes in inputs {
            for forced in [None, Some(TextEncoding::Utf8), Some(TextEncoding::Gb18030)] {
                let a = decode(&bytes, forced).map(|d| (d.text, d.encoding));
                let b = decode_owned(bytes.clone(), forced).map(|d| (d.text, d.encoding));
                assert_eq!(a, b, "{bytes:?} {forced:?}");
            }
        }
    }

    #[test]
    fn utf16_without_bom_and_broken_utf8_are_named() {
        let text = "第1条 关于开展2018年工作要点\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            decode(&le, None).unwrap_err(),
            DecodeError::Utf16WithoutBom(TextEncoding::Utf16Le)
        );
        assert_eq!(
            decode(&be, None).unwrap_err(),
            DecodeError::Utf16WithoutBom(TextEncoding::Utf16Be)
        );
        assert_eq!(decode(&le, Some(TextEncoding::Utf16Le)).unwrap().text, text);
        let mut broken = "关于印发工作要点的通知。".repeat(10).into_bytes();
        broken.insert(30, 0xFF);
        assert_eq!(
            decode(&broken, None).unwrap_err(),
            DecodeError::BrokenUtf8 { offset: 30 }
        );
        // truncated in the middle of the last character
        let whole = "关于印发工作要点的通知".repeat(3);
        let cut = &whole.as_bytes()[..whole.len() - 1];
        assert!(matches!(
            decode(cut, None),
            Err(DecodeError::BrokenUtf8 { .. })
        ));
        // real GBK is still GBK
        let gbk = TextEncoding::Gb18030
            .encode(&"各基层工会：现将有关事项通知如下。".repeat(50))
            .unwrap();
        assert_eq!(decode(&gbk, None).unwrap().encoding, TextEncoding::Gb18030);
    }

    #[test]
    fn line_index_columns_are_characters() {
        let text = "一、总体要求\n（一）指导思想𠮷x\n";
        let idx = LineIndex::new(text);
        let off = text.find('x').unwrap();
        assert_eq!(
            idx.position(text, off),
            Position {
                line: 2,
                column: 9,
                offset: off
            }
        );
        assert_eq!(idx.position(text, 0).line, 1);
        assert_eq!(idx.position(text, text.len()).line, 3);
        assert_eq!(&text[idx.line_range(text, 0)], "一、总体要求");
    }
}
