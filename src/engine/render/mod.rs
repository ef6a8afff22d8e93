//! Turning diagnostics into text for people (`human`), programs (`json`, `jsonl`) and CI
//! (`sarif`, `github`, `junit`), plus `--statistics` counts (`statistics`).

pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// One checked document with its diagnostics, as the renderers receive it.
pub struct Report<'a> {
    pub doc: &'a Document,
    pub diagnostics: &'a [Diagnostic],
}

/// Characters that act on a terminal instead of showing: C0 controls but tab and line
/// feed, DEL, C1 controls, and the bidirectional overrides and isolates (they reorder
/// what follows them on the line). A carriage return counts too: a lone one would move
/// the cursor back over the line.
pub fn is_terminal_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{B}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `s` with every terminal control shown as an escape (`\u{1b}`), for messages and file
/// names printed to a terminal. Borrowed when there is none.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_terminal_control(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with every terminal control replaced by a visible character of the same
/// length in bytes (`?`, `¿` or `�`; a `\r` that ends a line by a space), so byte offsets
/// into it stay valid: what a snippet of the document shows. Borrowed when there is none.
pub fn mask_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let keep_crlf = |i: usize, c: char| c == '\r' && b.get(i + 1) == Some(&b'\n');
    if !text
        .char_indices()
        .any(|(i, c)| is_terminal_control(c) && !keep_crlf(i, c))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if !is_terminal_control(c) || keep_crlf(i, c) {
            out.push(c);
            continue;
        }
        out.push(match (c, c.len_utf8()) {
            ('\r', _) => ' ',
            (_, 1) => '?',
            (_, 2) => '¿',
            _ => '\u{FFFD}',
        });
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_or_masked_to_the_same_length() {
        let s = "甲\u{1b}[2J乙\u{9b}丙\u{202e}丁\r戊\r\n\t";
        assert_eq!(
            escape_controls(s),
            "甲\\u{1b}[2J乙\\u{9b}丙\\u{202e}丁\\u{d}戊\\u{d}\n\t"
        );
        let masked = mask_controls(s);
        assert_eq!(masked, "甲?[2J乙¿丙\u{FFFD}丁 戊\r\n\t");
        assert_eq!(masked.len(), s.len());
        assert!(matches!(
            mask_controls("甲\r\n乙\t"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
