//! Bytes to text: encoding detection and decoding, and the line index.
//!
//! Everything here is pure (no I/O). The CLI reads bytes and hands them to
//! [`decode`]; the language server receives text that is already UTF-8.

use std::fmt;

/// The encoding a file was read in, with whether it started with a byte-order mark;
/// `--fix` writes it back the same way (a BOM only where the input had one, also when
/// the encoding was forced with `--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    /// UTF-16 little-endian without a BOM (read only with `--encoding utf-16le`).
    Utf16Le,
    Utf16LeBom,
    /// UTF-16 big-endian without a BOM (read only with `--encoding utf-16be`).
    Utf16Be,
    Utf16BeBom,
    Gb18030,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 7] = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16LeBom,
        TextEncoding::Utf16Be,
        TextEncoding::Utf16BeBom,
        TextEncoding::Gb18030,
    ];

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
            TextEncoding::Utf16LeBom => "utf-16le-bom",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Utf16BeBom => "utf-16be-bom",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// The byte-order mark this encoding writes (empty for none).
    pub fn bom(self) -> &'static [u8] {
        match self {
            TextEncoding::Utf8Bom => &[0xEF, 0xBB, 0xBF],
            TextEncoding::Utf16LeBom => &[0xFF, 0xFE],
            TextEncoding::Utf16BeBom => &[0xFE, 0xFF],
            TextEncoding::Utf8
            | TextEncoding::Utf16Le
            | TextEncoding::Utf16Be
            | TextEncoding::Gb18030 => &[],
        }
    }

    /// The same encoding with a BOM (when it has one) or without.
    pub fn with_bom(self, bom: bool) -> TextEncoding {
        use TextEncoding::*;
        match (self, bom) {
            (Utf8 | Utf8Bom, false) => Utf8,
            (Utf8 | Utf8Bom, true) => Utf8Bom,
            (Utf16Le | Utf16LeBom, false) => Utf16Le,
            (Utf16Le | Utf16LeBom, true) => Utf16LeBom,
            (Utf16Be | Utf16BeBom, false) => Utf16Be,
            (Utf16Be | Utf16BeBom, true) => Utf16BeBom,
            (Gb18030, _) => Gb18030,
        }
    }

    /// The BOM this encoding family would recognise at the start of `bytes` (GB18030's
    /// own mark is ordinary text, kept as U+FEFF and written back as it came).
    fn bom_family(self) -> &'static [u8] {
        self.with_bom(true).bom()
    }

    /// Encode text back into this encoding (with the BOM where the original had one).
    /// Returns `None` when a character cannot be represented.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
                let mut out = Vec::with_capacity(3 + text.len());
                out.extend_from_slice(self.bom());
                out.extend_from_slice(text.as_bytes());
                Some(out)
            }
            TextEncoding::Utf16Le
            | TextEncoding::Utf16LeBom
            | TextEncoding::Utf16Be
            | TextEncoding::Utf16BeBom => {
                let le = matches!(self, TextEncoding::Utf16Le | TextEncoding::Utf16LeBom);
                let mut out = Vec::with_capacity(2 + 2 * text.len());
                out.extend_from_slice(self.bom());
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
            DecodeError::Binary => f.write_str("二进制文件（含 NUL 或控制字符），已跳过"),
            DecodeError::Undecodable => {
                f.write_str("不是 UTF-8、UTF-16（带 BOM）或 GB18030 编码的文本，已跳过")
            }
            DecodeError::NotInEncoding(e) => write!(f, "内容不是有效的 {e} 编码，已跳过"),
            DecodeError::Utf16WithoutBom(e) => write!(
                f,
                "像是不带字节顺序标记（BOM）的 UTF-16，已跳过（请加 --encoding {e}）"
            ),
            DecodeError::BrokenUtf8 { offset } => write!(
                f,
                "UTF-8 文本在第 {offset} 字节处损坏，已跳过（请重新另存为 UTF-8）"
            ),
            DecodeError::Garbled => {
                f.write_str("文本是乱码（大量 U+FFFD 替换字符，之前的编码转换出了错），已跳过")
            }
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

/// More than 2 % of the characters (and at least 8) are U+FFFD. Its UTF-8 bytes are
/// counted with `memmem` (in valid UTF-8 they occur only as that character), and the
/// characters only when there are eight: decoding every character of a clean 10 MB file
/// to look for it cost as much as validating the file.
fn is_garbled(text: &str) -> bool {
    let bad = memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}".as_bytes()).count();
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
        return Err(utf16_without_bom(bytes)
            .or_else(|| han_utf16_without_bom(bytes))
            .map_or(DecodeError::Binary, DecodeError::Utf16WithoutBom));
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
    if let Some(enc) = han_utf16_without_bom(bytes) {
        return Err(DecodeError::Utf16WithoutBom(enc));
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

/// Decode `bytes` in `enc`'s family. A BOM of that family is stripped (a BOM of the other
/// UTF-16 byte order is not: it is read as a character and written back as it was), and
/// the result says whether there was one, whatever `enc` said: `--fix` writes a BOM back
/// only when the input had one.
fn decode_as(bytes: &[u8], enc: TextEncoding) -> Result<Decoded, DecodeError> {
    let fail = || DecodeError::NotInEncoding(enc);
    let bom = enc.bom_family();
    let has_bom = !bom.is_empty() && bytes.starts_with(bom);
    let body = if has_bom { &bytes[bom.len()..] } else { bytes };
    let text = match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            if enc == TextEncoding::Utf8 && looks_binary(body) {
                return Err(DecodeError::Binary);
            }
            std::str::from_utf8(body).map_err(|_| fail())?.to_owned()
        }
        TextEncoding::Utf16Le
        | TextEncoding::Utf16LeBom
        | TextEncoding::Utf16Be
        | TextEncoding::Utf16BeBom => {
            let coding = if matches!(enc, TextEncoding::Utf16Le | TextEncoding::Utf16LeBom) {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
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
    // `--encoding utf-8` on a file with a BOM keeps the BOM when writing back (found by
    // fuzzing: it was silently dropped); `--encoding utf-16le` on a file without one
    // does not add one.
    Ok(Decoded {
        text,
        encoding: enc.with_bom(has_bom),
    })
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
    memchr::memchr(0, bytes).is_some()
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

/// UTF-16 without a BOM and without ASCII (so without NUL bytes): Chinese text only. Its
/// bytes often decode as GB18030 too — to a mix of ASCII and Han that `--fix` would then
/// rewrite. Taken for UTF-16 when, in its first 32 K code units, at least 90 % are CJK
/// ideographs or CJK / full-width / general punctuation and at least half ideographs, and
/// the GB18030 reading has clearly fewer ideographs (GBK text read as UTF-16 gives
/// Hangul, Yi, private-use and surrogate code units instead).
fn han_utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    if !bytes.len().is_multiple_of(2) || bytes.len() < 8 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let ideograph = |c: u32| matches!(c, 0x4E00..=0x9FFF | 0x3400..=0x4DBF);
    let punctuation = |c: u32| matches!(c, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2000..=0x206F);
    // percentages of ideographs and of ideographs or punctuation
    let shares = |units: &mut dyn Iterator<Item = u32>| {
        let (mut han, mut cjk, mut all) = (0usize, 0usize, 0usize);
        for u in units {
            all += 1;
            han += usize::from(ideograph(u));
            cjk += usize::from(ideograph(u) || punctuation(u));
        }
        let all = all.max(1);
        (han * 100 / all, cjk * 100 / all)
    };
    let pairs = sample.chunks_exact(2);
    let le = shares(
        &mut pairs
            .clone()
            .map(|p| u32::from(u16::from_le_bytes([p[0], p[1]]))),
    );
    let be = shares(&mut pairs.map(|p| u32::from(u16::from_be_bytes([p[0], p[1]]))));
    let (enc, (han, cjk)) = if le >= be {
        (TextEncoding::Utf16Le, le)
    } else {
        (TextEncoding::Utf16Be, be)
    };
    if cjk < 90 || han < 50 {
        return None;
    }
    let (gb, _) = encoding_rs::GB18030.decode_without_bom_handling(sample);
    let (gb_han, _) = shares(&mut gb.chars().map(u32::from));
    (gb_han + 20 <= han && decode_as(bytes, enc).is_ok()).then_some(enc)
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

/// Why [`splice`] refused to produce bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpliceError {
    /// The bytes do not decode to the original text in this encoding.
    NotTheOriginal,
    /// A changed stretch has a character the encoding cannot hold.
    Unencodable,
    /// The result would not read back as the fixed text.
    NotLossless,
}

impl fmt::Display for SpliceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpliceError::NotTheOriginal => "文件里已不是检查时的文本",
            SpliceError::Unencodable => "修复后的文本含有文件编码无法表示的字符",
            SpliceError::NotLossless => "修复后的文本写入后无法原样读回",
        })
    }
}

/// The bytes of `fixed` for a file whose bytes `original_bytes` decode to `original` in
/// `encoding`, where `changes` (`(range in original, range in fixed)`, sorted, disjoint)
/// are the only places the two texts differ. Outside the changes the original bytes are
/// copied as they are — re-encoding everything would not give them back: GB18030 reads
/// the byte 0x80 as € and writes € as A2 E3 — and only the changed stretches are encoded.
/// The result is decoded again and must give exactly `fixed`.
pub fn splice(
    original_bytes: &[u8],
    original: &str,
    fixed: &str,
    encoding: TextEncoding,
    changes: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
) -> Result<Vec<u8>, SpliceError> {
    let mut offsets = ByteOffsets::new(original_bytes, original, encoding)?;
    let bare = encoding.with_bom(false);
    let mut out = Vec::with_capacity(original_bytes.len() + 64);
    let mut copied = 0;
    for (old, new) in changes {
        let (start, end) = (offsets.at(old.start)?, offsets.at(old.end)?);
        out.extend_from_slice(&original_bytes[copied..start]);
        let text = fixed.get(new.clone()).ok_or(SpliceError::NotLossless)?;
        out.extend(bare.encode(text).ok_or(SpliceError::Unencodable)?);
        copied = end;
    }
    out.extend_from_slice(&original_bytes[copied..]);
    let back = decode_as(&out, encoding).map_err(|_| SpliceError::NotLossless)?;
    if back.text != fixed || back.encoding != encoding {
        return Err(SpliceError::NotLossless);
    }
    Ok(out)
}

/// Text offsets of a decoded text → byte offsets in the bytes it was decoded from,
/// asked in increasing order (one walk over both).
struct ByteOffsets<'a> {
    bytes: &'a [u8],
    text: &'a str,
    encoding: TextEncoding,
    /// Where the walk is: a text offset and its byte offset.
    text_at: usize,
    byte_at: usize,
}

impl<'a> ByteOffsets<'a> {
    fn new(
        bytes: &'a [u8],
        text: &'a str,
        encoding: TextEncoding,
    ) -> Result<ByteOffsets<'a>, SpliceError> {
        let decoded = decode_as(bytes, encoding).map_err(|_| SpliceError::NotTheOriginal)?;
        if decoded.text != text || decoded.encoding != encoding {
            return Err(SpliceError::NotTheOriginal);
        }
        Ok(ByteOffsets {
            bytes,
            text,
            encoding,
            text_at: 0,
            byte_at: encoding.bom().len(),
        })
    }

    /// The byte offset of text offset `to` (a char boundary at or after the last asked).
    fn at(&mut self, to: usize) -> Result<usize, SpliceError> {
        let rest = self
            .text
            .get(self.text_at..to)
            .ok_or(SpliceError::NotLossless)?;
        self.byte_at += match self.encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => rest.len(),
            TextEncoding::Gb18030 => {
                let mut at = self.byte_at;
                for _ in rest.chars() {
                    at += gb18030_unit_len(self.bytes, at);
                }
                at - self.byte_at
            }
            _ => 2 * rest.encode_utf16().count(),
        };
        self.text_at = to;
        if self.byte_at > self.bytes.len() {
            return Err(SpliceError::NotLossless);
        }
        Ok(self.byte_at)
    }
}

/// The length of the GB18030 sequence starting at `i` (valid bytes): one character each.
fn gb18030_unit_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(0x81..=0xFE) if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => 4,
        Some(0x81..=0xFE) => 2,
        _ => 1,
    }
}

/// The byte length of the line break starting at `i` of `bytes`: 2 for `\r\n`, 1 for
/// `\n` or a lone `\r`, 0 when none starts there. The one rule for line ends used by
/// every part of gwlint (line index, structure, rules, fixes, the server).
pub fn line_break_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'\n') => 1,
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r') => 1,
        _ => 0,
    }
}

/// The lines of `text` (ending at `\n`, `\r\n` or a lone `\r`): each line's byte range
/// without its break. A text ending in a break has one more, empty, line.
pub fn line_ranges(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let rel = memchr::memchr2(b'\n', b'\r', &bytes[from..]);
        match rel {
            Some(rel) => {
                let end = from + rel;
                start = Some(end + line_break_len(bytes, end));
                Some(from..end)
            }
            None => {
                start = None;
                Some(from..bytes.len())
            }
        }
    })
}

/// The line break used by `text` (its first one), `\n` when it has none: what a fix
/// inserts when it splits a line.
pub fn line_ending(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(i) if line_break_len(bytes, i) == 2 => "\r\n",
        Some(i) if bytes[i] == b'\r' => "\r",
        _ => "\n",
    }
}

/// Byte offsets of line starts, in increasing order. Stored as `u32` (half the memory of
/// `usize`: a 200 MB draft has about 4.7 M lines) while the offsets fit; a text over
/// 4 GiB (possible through the public [`crate::Document::new`]) is stored as `usize`
/// instead, so lookups stay exact and nothing panics or truncates.
#[derive(Debug, Clone)]
pub struct LineStarts(Starts);

/// The length in bytes of the UTF-8 character whose first byte is `lead` (1 for a byte no
/// character starts with, which valid UTF-8 never has at a character boundary): a scan
/// of the bytes steps from character to character with it.
pub fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// `x` as a `u32`, or `u32::MAX` when it does not fit. The compact records (line starts,
/// structure lines, headings, normalised-view breaks, LSP positions) store 32-bit offsets;
/// their builders only see texts under 4 GiB, so the saturation never changes a value.
pub fn saturating_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl LineStarts {
    /// Room for `lines` starts in a text of `text_len` bytes (the width is chosen here).
    pub fn with_capacity(lines: usize, text_len: usize) -> LineStarts {
        if u32::try_from(text_len).is_ok() {
            LineStarts(Starts::Narrow(Vec::with_capacity(lines)))
        } else {
            LineStarts(Starts::Wide(Vec::with_capacity(lines)))
        }
    }

    /// Append a start (callers push increasing offsets). An offset that does not fit a
    /// `u32` switches the storage to `usize`.
    pub fn push(&mut self, offset: usize) {
        match &mut self.0 {
            Starts::Narrow(v) => match u32::try_from(offset) {
                Ok(o) => v.push(o),
                Err(_) => {
                    let mut wide: Vec<usize> = v.iter().map(|&o| o as usize).collect();
                    wide.push(offset);
                    self.0 = Starts::Wide(wide);
                }
            },
            Starts::Wide(v) => v.push(offset),
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Starts::Narrow(v) => v.len(),
            Starts::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<usize> {
        match &self.0 {
            Starts::Narrow(v) => v.get(i).map(|&o| o as usize),
            Starts::Wide(v) => v.get(i).copied(),
        }
    }

    /// How many starts are `<= offset` (the 1-based line of `offset`, when `get(0) == 0`).
    pub fn count_up_to(&self, offset: usize) -> usize {
        match &self.0 {
            Starts::Narrow(v) => v.partition_point(|&s| s as usize <= offset),
            Starts::Wide(v) => v.partition_point(|&s| s <= offset),
        }
    }

    /// Byte range of each line, from its start to the next line's start (or `text_len`).
    pub fn ranges(&self, text_len: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        (0..self.len()).map(move |i| {
            let start = self.get(i).unwrap_or(text_len);
            start..self.get(i + 1).unwrap_or(text_len).max(start)
        })
    }
}

/// How a column is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// UTF-8 code units: the byte distance.
    Bytes,
    /// UTF-16 code units (characters outside the BMP count two).
    Utf16,
    /// Unicode scalar values (UTF-32 code units); the CLI's columns.
    Chars,
}

/// Distance in bytes between [`ColumnIndex`] checkpoints inside a long line.
pub const CHECKPOINT_STRIDE: usize = 2048;

/// Sparse checkpoints inside lines longer than [`CHECKPOINT_STRIDE`] bytes: about every
/// 2 KiB, the character and UTF-16 counts since the line's start. A column lookup then
/// counts from the nearest checkpoint at or before the offset, so it scans at most about
/// 2 KiB whatever the line length (thousands of findings on one 10 MB line used to cost
/// a scan from the line start each). Short lines have no checkpoints and pay nothing.
/// Built once per line index; each index uses its own idea of lines.
#[derive(Debug, Clone, Default)]
pub struct ColumnIndex {
    points: Vec<Checkpoint>,
}

#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    /// A char boundary strictly inside its line.
    byte: usize,
    /// Characters and UTF-16 units from the line start up to `byte`.
    chars: usize,
    utf16: usize,
}

/// How many of `bytes` satisfy `hit`, summed in `u8` lanes over blocks of 255 bytes (so
/// the compiler vectorises the loop 32 bytes at a time instead of widening each byte).
fn count_bytes(bytes: &[u8], hit: impl Fn(u8) -> bool + Copy) -> usize {
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(hit(b)))))
        .sum()
}

/// Characters in UTF-8 `bytes` (bytes that are not continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| (b as i8) >= -0x40)
}

/// UTF-16 units in UTF-8 `bytes`: one per character, two for 4-byte sequences.
fn count_utf16(bytes: &[u8]) -> usize {
    count_chars(bytes) + count_bytes(bytes, |b| b >= 0xF0)
}

impl ColumnIndex {
    /// Checkpoints for `text` whose lines are `lines` (in order; a range may include the
    /// line break). Lines up to [`CHECKPOINT_STRIDE`] bytes get none.
    pub fn new(text: &str, lines: impl Iterator<Item = std::ops::Range<usize>>) -> ColumnIndex {
        let bytes = text.as_bytes();
        let mut points = Vec::new();
        for line in lines {
            let end = line.end.min(bytes.len());
            if end.saturating_sub(line.start) <= CHECKPOINT_STRIDE {
                continue;
            }
            let (mut pos, mut chars, mut utf16) = (line.start, 0, 0);
            loop {
                let mut next = pos + CHECKPOINT_STRIDE;
                while next < end && !text.is_char_boundary(next) {
                    next += 1;
                }
                if next >= end {
                    break;
                }
                let chunk = &bytes[pos..next];
                chars += count_chars(chunk);
                utf16 += count_utf16(chunk);
                points.push(Checkpoint {
                    byte: next,
                    chars,
                    utf16,
                });
                pos = next;
            }
        }
        points.shrink_to_fit();
        ColumnIndex { points }
    }

    /// The nearest checkpoint in the line starting at `line_start` at or before `offset`.
    fn before(&self, line_start: usize, offset: usize) -> Option<Checkpoint> {
        if offset.saturating_sub(line_start) < CHECKPOINT_STRIDE {
            return None; // the first checkpoint of a line comes after this
        }
        let i = self.points.partition_point(|p| p.byte <= offset);
        let p = *self.points.get(i.checked_sub(1)?)?;
        (p.byte > line_start).then_some(p)
    }

    /// The width of `text[line_start..offset]` in `unit` (both offsets char boundaries of
    /// the text this index was built for, `line_start` the start of the offset's line).
    pub fn width(&self, text: &str, line_start: usize, offset: usize, unit: ColumnUnit) -> usize {
        if unit == ColumnUnit::Bytes {
            return offset.saturating_sub(line_start);
        }
        let (from, base) = match self.before(line_start, offset) {
            Some(p) if unit == ColumnUnit::Chars => (p.byte, p.chars),
            Some(p) => (p.byte, p.utf16),
            None => (line_start, 0),
        };
        let rest = text.as_bytes().get(from..offset).unwrap_or_default();
        base + match unit {
            ColumnUnit::Chars => count_chars(rest),
            _ => count_utf16(rest),
        }
    }

    /// The byte offset in the line `line_start..line_end` (without its break) where `want`
    /// units have been counted: the start of the character that contains unit `want`
    /// (inside a surrogate pair or a UTF-8 sequence: that character's start), or
    /// `line_end` when the line is shorter.
    pub fn offset(
        &self,
        text: &str,
        line_start: usize,
        line_end: usize,
        want: usize,
        unit: ColumnUnit,
    ) -> usize {
        let line_end = line_end.min(text.len());
        if line_start >= line_end {
            return line_end;
        }
        if unit == ColumnUnit::Bytes {
            let mut at = line_start.saturating_add(want);
            if at >= line_end {
                return line_end;
            }
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        let units_of = |p: &Checkpoint| match unit {
            ColumnUnit::Chars => p.chars,
            _ => p.utf16,
        };
        let (mut from, mut units) = (line_start, 0);
        if line_end - line_start > CHECKPOINT_STRIDE {
            let lo = self.points.partition_point(|p| p.byte <= line_start);
            let hi = self.points.partition_point(|p| p.byte < line_end);
            if let Some(line_points) = self.points.get(lo..hi) {
                let k = line_points.partition_point(|p| units_of(p) <= want);
                if let Some(p) = k.checked_sub(1).and_then(|k| line_points.get(k)) {
                    (from, units) = (p.byte, units_of(p));
                }
            }
        }
        let Some(rest) = text.get(from..line_end) else {
            return line_end;
        };
        for (i, c) in rest.char_indices() {
            let w = match unit {
                ColumnUnit::Chars => 1,
                _ => c.len_utf16(),
            };
            if units + w > want {
                return from + i;
            }
            units += w;
        }
        line_end
    }
}

/// Maps byte offsets in a text to 1-based lines and 1-based columns in Unicode characters.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts (lines end at `\n`, `\r\n` or a lone `\r`:
    /// [`line_break_len`]); the first is 0.
    line_starts: LineStarts,
    /// Column checkpoints inside long lines.
    columns: ColumnIndex,
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
        let bytes = text.as_bytes();
        // a line ends after `\n` and after a `\r` not followed by `\n`
        let ends = || {
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        };
        let mut line_starts = LineStarts::with_capacity(ends().count() + 1, text.len());
        line_starts.push(0);
        for i in ends() {
            line_starts.push(i + 1);
        }
        let columns = ColumnIndex::new(text, line_starts.ranges(text.len()));
        LineIndex {
            line_starts,
            columns,
        }
    }

    /// Number of lines (a trailing newline starts one more, empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.count_up_to(offset).saturating_sub(1)
    }

    /// Byte offset where 0-based line `line` starts, `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line)
    }

    /// Byte range of 0-based line `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts.get(line).unwrap_or(text.len());
        let end = match self.line_starts.get(line + 1) {
            Some(next) if next >= 2 && text.as_bytes().get(next - 2..next) == Some(b"\r\n") => {
                next - 2
            }
            Some(next) => next.saturating_sub(1),
            None => text.len(),
        };
        start..end.max(start)
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    /// Counting the column scans at most about [`CHECKPOINT_STRIDE`] bytes.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).unwrap_or(0).min(offset);
        let column = self.columns.width(text, start, offset, ColumnUnit::Chars) + 1;
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
        for enc in [TextEncoding::Utf16LeBom, TextEncoding::Utf16BeBom] {
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
    fn a_bom_is_written_back_only_when_the_input_had_one() {
        // regression: `--encoding utf-16le` on a BOM-less file made `--fix` add a BOM
        let text = "各单位:请按时报送。\r\n";
        for (forced, with, without) in [
            (
                TextEncoding::Utf8,
                TextEncoding::Utf8Bom,
                TextEncoding::Utf8,
            ),
            (
                TextEncoding::Utf8Bom,
                TextEncoding::Utf8Bom,
                TextEncoding::Utf8,
            ),
            (
                TextEncoding::Utf16Le,
                TextEncoding::Utf16LeBom,
                TextEncoding::Utf16Le,
            ),
            (
                TextEncoding::Utf16Be,
                TextEncoding::Utf16BeBom,
                TextEncoding::Utf16Be,
            ),
        ] {
            for enc in [with, without] {
                let bytes = enc.encode(text).unwrap();
                assert_eq!(bytes.starts_with(with.bom()), enc == with, "{enc}");
                let d = decode(&bytes, Some(forced)).unwrap();
                assert_eq!((d.text.as_str(), d.encoding), (text, enc), "{forced}");
                assert_eq!(d.encoding.encode(&d.text).unwrap(), bytes);
            }
        }
        // the other byte order's mark is text, and comes back as it was
        let mut le = vec![0xFE, 0xFF];
        le.extend(TextEncoding::Utf16Le.encode(text).unwrap());
        let d = decode(&le, Some(TextEncoding::Utf16Le)).unwrap();
        assert_eq!(d.encoding, TextEncoding::Utf16Le);
        assert_eq!(d.encoding.encode(&d.text).unwrap(), le);
        // GB18030 has no BOM of its own here: a leading U+FEFF is text
        let gb = TextEncoding::Gb18030
            .encode(&format!("\u{FEFF}{text}"))
            .unwrap();
        let d = decode(&gb, Some(TextEncoding::Gb18030)).unwrap();
        assert_eq!(d.encoding.encode(&d.text).unwrap(), gb);
    }

    #[test]
    fn splice_keeps_the_bytes_outside_the_changes() {
        // 0x80 reads as € but € writes as A2 E3: re-encoding would change it
        let mut bytes = TextEncoding::Gb18030.encode("价格100").unwrap();
        bytes.push(0x80);
        bytes.extend(TextEncoding::Gb18030.encode("推进,工作𠮷\r\n").unwrap());
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, "价格100€推进,工作𠮷\r\n");
        let at = d.text.find(',').unwrap();
        let fixed = d.text.replace(',', "，");
        let out = splice(
            &bytes,
            &d.text,
            &fixed,
            d.encoding,
            &[(at..at + 1, at..at + 3)],
        )
        .unwrap();
        let mut want = TextEncoding::Gb18030.encode("价格100").unwrap();
        want.push(0x80);
        want.extend(TextEncoding::Gb18030.encode("推进，工作𠮷\r\n").unwrap());
        assert_eq!(out, want);
        // every encoding, BOM kept
        for enc in TextEncoding::ALL {
            let text = "各单位𠮷:请按时报送。\r\n";
            let bytes = enc.encode(text).unwrap();
            let at = text.find(':').unwrap();
            let fixed = text.replace(':', "：");
            let out = splice(&bytes, text, &fixed, enc, &[(at..at + 1, at..at + 3)]).unwrap();
            assert_eq!(out, enc.encode(&fixed).unwrap(), "{enc}");
            // bytes that are not the original text are refused
            assert_eq!(
                splice(&bytes, "别的文字", &fixed, enc, &[]),
                Err(SpliceError::NotTheOriginal)
            );
        }
    }

    #[test]
    fn line_starts_widen_instead_of_truncating() {
        let mut starts = LineStarts::with_capacity(2, 100);
        starts.push(0);
        starts.push(7);
        let big = u32::MAX as usize + 10;
        starts.push(big);
        assert_eq!(starts.len(), 3);
        assert_eq!(starts.get(2), Some(big));
        assert_eq!(starts.get(1), Some(7));
        assert_eq!(starts.count_up_to(big - 1), 2);
        assert_eq!(starts.count_up_to(big), 3);
    }

    #[test]
    fn columns_in_a_long_line_match_a_naive_count() {
        let line = "全面落实𠮷工作要求,a".repeat(2000);
        let text = format!("短行\n{line}\n末行");
        let idx = LineIndex::new(&text);
        assert!(!idx.columns.points.is_empty());
        let start = text.find('全').unwrap();
        for offset in (0..text.len() + 3).step_by(97) {
            let p = idx.position(&text, offset);
            let naive_start = text[..p.offset].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(p.column, text[naive_start..p.offset].chars().count() + 1);
            if (start..start + line.len()).contains(&p.offset) {
                let units = text[start..p.offset].encode_utf16().count();
                let w = idx.columns.width(&text, start, p.offset, ColumnUnit::Utf16);
                assert_eq!(w, units);
                let back =
                    idx.columns
                        .offset(&text, start, start + line.len(), units, ColumnUnit::Utf16);
                assert_eq!(back, p.offset);
            }
        }
    }

    /// Garbled means more than 2 % U+FFFD and at least eight of them; characters whose
    /// UTF-8 shares bytes with it (U+FFFC, U+FFBD, U+EFBF) do not count.
    #[test]
    fn garbled_counts_replacement_characters_only() {
        let filler = |n: usize| "文".repeat(n);
        assert!(!is_garbled(&"\u{FFFD}".repeat(7)));
        assert!(is_garbled(&"\u{FFFD}".repeat(8)));
        // 8 of 400 characters is 2 %: not more than 2 %
        assert!(!is_garbled(&format!(
            "{}{}",
            "\u{FFFD}".repeat(8),
            filler(392)
        )));
        assert!(is_garbled(&format!(
            "{}{}",
            "\u{FFFD}".repeat(8),
            filler(391)
        )));
        let lookalikes = "\u{FFFC}\u{FFBD}\u{EFBF}".repeat(20);
        assert!(!is_garbled(&lookalikes));
        let mixed = format!("{lookalikes}{}", "\u{FFFD}".repeat(8));
        assert!(is_garbled(&mixed), "8 of 68");
    }

    #[test]
    fn decode_owned_agrees_with_decode() {
        let text = "关于印发工作要点的通知\r\n";
        let mut inputs: Vec<Vec<u8>> = vec![text.as_bytes().to_vec(), b"a\0b".to_vec()];
        for enc in TextEncoding::ALL.into_iter().skip(1) {
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
        // Han only, so no NUL bytes: still UTF-16, not GB18030 mojibake
        for (enc, be) in [
            (TextEncoding::Utf16Le, false),
            (TextEncoding::Utf16Be, true),
        ] {
            let bytes: Vec<u8> = "关于本年度工作要点关于本单位“两学两做”"
                .encode_utf16()
                .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
                .collect();
            assert!(!bytes.contains(&0));
            assert_eq!(
                decode(&bytes, None).unwrap_err(),
                DecodeError::Utf16WithoutBom(enc)
            );
        }
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

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let text = "甲\n乙\r\n丙\r丁\r\r";
        let idx = LineIndex::new(text);
        let lines: Vec<&str> = (0..idx.line_count())
            .map(|i| &text[idx.line_range(text, i)])
            .collect();
        assert_eq!(lines, ["甲", "乙", "丙", "丁", "", ""]);
        let ranges: Vec<&str> = line_ranges(text).map(|r| &text[r]).collect();
        assert_eq!(ranges, lines);
        assert_eq!(idx.position(text, text.find('丁').unwrap()).line, 4);
        assert_eq!(line_ending(text), "\n");
        assert_eq!(line_ending("甲\r\n"), "\r\n");
        assert_eq!(line_ending("甲\r乙\n"), "\r");
        assert_eq!(line_ending("甲"), "\n");
    }
}
