//! Where the checked text sits in `word/document.xml`: the paragraphs, runs and run
//! children (items) that hold each character, as byte ranges of the XML. Built by the same
//! [`walk`] that makes the text, so text offsets and XML positions cannot disagree.

use super::walk::{walk, Sink};
use super::DocxError;
use quick_xml::events::BytesStart;
use std::ops::Range;

/// A `w:p` element.
#[derive(Debug, Clone, Default)]
pub(crate) struct Paragraph {
    /// The start tag (the whole element for an empty `<w:p/>`).
    pub start_tag: Range<usize>,
    pub empty_element: bool,
    /// Where `</w:p>` starts.
    pub end_tag: usize,
    /// Where the content after the paragraph properties starts.
    pub after_ppr: usize,
    pub ppr: Option<ParagraphProperties>,
    /// Its characters in the text (without the `\n` that ends it).
    pub text: Range<usize>,
    /// The next element in the same parent, when it is a paragraph (bookmarks and other
    /// range marks in between do not count).
    pub next_sibling: Option<usize>,
    pub done: bool,
}

/// A `w:pPr`: where a paragraph mark's run properties (`w:rPr`) are or would go.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParagraphProperties {
    pub start_tag: Range<usize>,
    pub empty_element: bool,
    /// Where a missing `w:rPr` goes: before `w:sectPr` / `w:pPrChange`, else before `</w:pPr>`.
    pub rpr_slot: Option<usize>,
    pub rpr: Option<MarkProperties>,
}

/// The `w:rPr` of a paragraph mark.
#[derive(Debug, Clone, Default)]
pub(crate) struct MarkProperties {
    pub start_tag: Range<usize>,
    pub empty_element: bool,
    /// Where a `w:del` goes (first, or after a leading `w:ins`).
    pub del_slot: usize,
    children: usize,
}

/// A `w:r` element.
#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    pub start_tag: Range<usize>,
    /// The whole element.
    pub xml: Range<usize>,
    pub rpr: Option<Range<usize>>,
    /// Children other than `w:rPr`, in order.
    pub items: Vec<Item>,
    pub paragraph: Option<usize>,
    /// Its characters, relative to its paragraph's text until the walk ends, then absolute.
    pub text: Range<usize>,
}

/// A child of a run: `w:t` (whose text can be cut anywhere), or anything else (`w:tab`,
/// `w:br`, a drawing holding a text box…), which is kept whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct Item {
    pub xml: Range<usize>,
    pub is_text: bool,
    /// Its characters in the run's paragraph (empty for drawings, field characters…):
    /// relative until the walk ends, then absolute.
    pub text: Range<usize>,
}

/// A stretch of characters held by one run item.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub text: Range<usize>,
    pub run: usize,
    pub item: usize,
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    Paragraph(usize),
    Properties(usize),
    MarkProperties(usize),
    Run(usize),
    RunProperties(usize),
    Item(usize, usize),
    Other,
}

/// The paragraphs, runs and pieces of a `word/document.xml`, with its text.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    pub text: String,
    /// In XML order.
    pub paragraphs: Vec<Paragraph>,
    pub runs: Vec<Run>,
    /// Every character held by a run item, in text order.
    pub pieces: Vec<Piece>,
    /// Paragraph indices in text order.
    pub in_text_order: Vec<usize>,
    /// The largest number in any `w:id` attribute (comments, revisions, bookmarks).
    pub max_id: u64,
    /// Open elements, innermost last, each with the last paragraph closed directly in it.
    stack: Vec<(Frame, Option<usize>)>,
}

/// Elements that may sit between two paragraphs without separating them.
fn is_range_mark(name: &str) -> bool {
    name.ends_with("RangeStart")
        || name.ends_with("RangeEnd")
        || matches!(
            name,
            "w:bookmarkStart" | "w:bookmarkEnd" | "w:proofErr" | "w:permStart" | "w:permEnd"
        )
}

impl Layout {
    /// Lay out `xml`; a truncated part (an element left open) is an error.
    pub fn parse(xml: &str) -> Result<Layout, DocxError> {
        let mut layout = Layout::default();
        let walked = walk(xml, &mut layout)?;
        if !walked.balanced {
            return Err(DocxError::BadXml(
                "the XML ends before all its elements are closed".into(),
            ));
        }
        layout.text = walked.text;
        layout.finish();
        Ok(layout)
    }

    fn innermost_paragraph(&self) -> Option<usize> {
        self.stack.iter().rev().find_map(|(f, _)| match f {
            Frame::Paragraph(p) => Some(*p),
            _ => None,
        })
    }

    /// Make run and item ranges absolute and index the pieces.
    fn finish(&mut self) {
        for (r, run) in self.runs.iter_mut().enumerate() {
            let base = match run.paragraph.and_then(|p| self.paragraphs.get(p)) {
                Some(p) if p.done => p.text.start,
                _ => {
                    // text outside a finished paragraph is not in the output
                    run.items.iter_mut().for_each(|i| i.text = 0..0);
                    run.text = 0..0;
                    continue;
                }
            };
            run.text = base + run.text.start..base + run.text.end;
            for (i, item) in run.items.iter_mut().enumerate() {
                item.text = base + item.text.start..base + item.text.end;
                if !item.text.is_empty() {
                    self.pieces.push(Piece {
                        text: item.text.clone(),
                        run: r,
                        item: i,
                    });
                }
            }
        }
        self.pieces.sort_by_key(|p| p.text.start);
        self.in_text_order = (0..self.paragraphs.len())
            .filter(|&p| self.paragraphs[p].done)
            .collect();
        self.in_text_order
            .sort_by_key(|&p| self.paragraphs[p].text.start);
    }

    /// The piece holding the character at `offset`.
    pub fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.text.end <= offset);
        self.pieces.get(i).filter(|p| p.text.start <= offset)
    }

    /// The pieces with characters in `range`, in text order.
    pub fn pieces_in(&self, range: Range<usize>) -> impl Iterator<Item = &Piece> {
        let i = self.pieces.partition_point(|p| p.text.end <= range.start);
        self.pieces[i..]
            .iter()
            .take_while(move |p| p.text.start < range.end)
    }

    /// The paragraph whose text (or ending `\n`) holds `offset`.
    pub fn paragraph_at(&self, offset: usize) -> Option<usize> {
        let i = self
            .in_text_order
            .partition_point(|&p| self.paragraphs[p].text.end < offset);
        self.in_text_order.get(i).copied()
    }

    /// The paragraph after `p` in text order.
    pub fn next_in_text(&self, p: usize) -> Option<usize> {
        let para = self.paragraphs.get(p)?;
        self.paragraph_at(para.text.end + 1)
            .filter(|&q| q != p && self.paragraphs[q].text.start == para.text.end + 1)
    }
}

impl Sink for Layout {
    fn open(&mut self, e: &BytesStart<'_>, tag: Range<usize>, empty: bool, len: usize) {
        let name = e.name();
        let name = name.as_ref();
        if let Ok(Some(id)) = e.try_get_attribute("w:id") {
            if let Ok(n) = id.value.parse::<u64>() {
                self.max_id = self.max_id.max(n);
            }
        }
        let next_index = self.paragraphs.len();
        let parent = self.stack.last_mut();
        if let Some((_, last_paragraph)) = parent {
            if !is_range_mark(name) {
                if let (Some(prev), "w:p") = (last_paragraph.take(), name) {
                    if let Some(p) = self.paragraphs.get_mut(prev) {
                        p.next_sibling = Some(next_index);
                    }
                }
                *last_paragraph = None;
            }
        }
        let parent = self.stack.last().map(|(f, _)| *f);
        let frame = match (parent, name) {
            (_, "w:p") => {
                self.paragraphs.push(Paragraph {
                    start_tag: tag.clone(),
                    empty_element: empty,
                    end_tag: tag.end,
                    after_ppr: tag.end,
                    ..Paragraph::default()
                });
                Frame::Paragraph(next_index)
            }
            (Some(Frame::Paragraph(p)), "w:pPr") => {
                if let Some(para) = self.paragraphs.get_mut(p) {
                    para.ppr = Some(ParagraphProperties {
                        start_tag: tag.clone(),
                        empty_element: empty,
                        ..ParagraphProperties::default()
                    });
                }
                Frame::Properties(p)
            }
            (Some(Frame::Properties(p)), _) => {
                let ppr = self.paragraphs.get_mut(p).and_then(|x| x.ppr.as_mut());
                if let Some(ppr) = ppr {
                    if name == "w:rPr" {
                        ppr.rpr = Some(MarkProperties {
                            start_tag: tag.clone(),
                            empty_element: empty,
                            del_slot: tag.end,
                            children: 0,
                        });
                        return self.stack.push((Frame::MarkProperties(p), None));
                    }
                    if matches!(name, "w:sectPr" | "w:pPrChange") && ppr.rpr_slot.is_none() {
                        ppr.rpr_slot = Some(tag.start);
                    }
                }
                Frame::Other
            }
            (Some(Frame::MarkProperties(p)), _) => {
                let rpr = self.paragraphs.get_mut(p).and_then(|x| x.ppr.as_mut());
                if let Some(rpr) = rpr.and_then(|x| x.rpr.as_mut()) {
                    rpr.children += 1;
                    if rpr.children == 1 && name == "w:ins" && empty {
                        rpr.del_slot = tag.end;
                    }
                }
                Frame::Other
            }
            (_, "w:r") => {
                self.runs.push(Run {
                    start_tag: tag.clone(),
                    xml: tag.clone(),
                    paragraph: self.innermost_paragraph(),
                    text: len..len,
                    ..Run::default()
                });
                Frame::Run(self.runs.len() - 1)
            }
            (Some(Frame::Run(r)), "w:rPr") => Frame::RunProperties(r),
            (Some(Frame::Run(r)), _) => match self.runs.get_mut(r) {
                Some(run) => {
                    run.items.push(Item {
                        xml: tag.clone(),
                        is_text: name == "w:t",
                        text: len..len,
                    });
                    Frame::Item(r, run.items.len() - 1)
                }
                None => Frame::Other,
            },
            _ => Frame::Other,
        };
        if let Frame::RunProperties(r) = frame {
            if let Some(run) = self.runs.get_mut(r) {
                run.rpr = Some(tag.clone());
            }
        }
        self.stack.push((frame, None));
    }

    fn close(&mut self, tag: Range<usize>, len: usize) {
        let Some((frame, _)) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Paragraph(p) => {
                if let Some(para) = self.paragraphs.get_mut(p) {
                    if !para.empty_element {
                        para.end_tag = tag.start;
                    }
                }
                if let Some((_, last)) = self.stack.last_mut() {
                    *last = Some(p);
                }
            }
            Frame::Properties(p) => {
                if let Some(para) = self.paragraphs.get_mut(p) {
                    para.after_ppr = tag.end;
                    if let Some(ppr) = para.ppr.as_mut() {
                        ppr.rpr_slot.get_or_insert(tag.start);
                    }
                }
            }
            Frame::Run(r) => {
                if let Some(run) = self.runs.get_mut(r) {
                    run.xml.end = tag.end;
                    run.text.end = len;
                }
            }
            Frame::RunProperties(r) => {
                if let Some(rpr) = self.runs.get_mut(r).and_then(|run| run.rpr.as_mut()) {
                    rpr.end = tag.end;
                }
            }
            Frame::Item(r, i) => {
                if let Some(item) = self.runs.get_mut(r).and_then(|run| run.items.get_mut(i)) {
                    item.xml.end = tag.end;
                    item.text.end = len;
                }
            }
            Frame::MarkProperties(_) | Frame::Other => {}
        }
    }

    fn paragraph_done(&mut self, text: Range<usize>) {
        if let Some(p) = self.innermost_paragraph() {
            if let Some(para) = self.paragraphs.get_mut(p) {
                para.done = true;
                para.text = text;
            }
        }
    }
}
