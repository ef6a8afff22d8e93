//! The line table of the document model: each line's original and normalised byte
//! ranges (the lines of [`crate::source::line_ranges`], one line-end rule). Its own module
//! so that the passes (`structure`, `toc`) share it without importing each other.

use std::ops::Range;

/// One line: original byte range (without `\r\n`) and normalised byte range. Stored as
/// 32-bit offsets (16 bytes a line instead of 32: a 200 MB file has millions of lines);
/// [`super::Structure::parse`] only builds lines for texts under 4 GiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInfo {
    range: [u32; 2],
    norm: [u32; 2],
}

impl LineInfo {
    /// The caller guarantees every offset fits in `u32` (see [`super::Structure::parse`]).
    pub(crate) fn new(range: Range<usize>, norm: Range<usize>) -> LineInfo {
        let w = crate::source::saturating_u32;
        LineInfo {
            range: [w(range.start), w(range.end)],
            norm: [w(norm.start), w(norm.end)],
        }
    }

    /// Byte range of the line in the original text, without its line break.
    pub fn range(&self) -> Range<usize> {
        self.range[0] as usize..self.range[1] as usize
    }

    /// Byte range of the line in the normalised view.
    pub fn norm(&self) -> Range<usize> {
        self.norm[0] as usize..self.norm[1] as usize
    }
}
