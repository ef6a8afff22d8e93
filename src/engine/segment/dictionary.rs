//! jieba-rs's dictionary (349,045 words with their frequencies and part-of-speech tags, MIT),
//! embedded in a form that is searched in place: nothing is built when a process first asks
//! it something (jieba-rs itself decompresses and indexes the dictionary first, about 0.15 s
//! of CPU and 35 MB, more than the rest of a check of a small draft costs).
//!
//! `dictionary.bin` (little-endian; generated from jieba-rs's `dict.txt` by the unit test
//! `the_embedded_dictionary_is_jiebas`, which `GWLINT_UPDATE_DICTIONARY=1` makes rewrite it):
//!
//! | part | what |
//! |---|---|
//! | `GWDICT01` | magic |
//! | `u64` | the sum of all frequencies |
//! | 5 × `u32` | counts: words, first characters, groups, frequencies over 254, tags |
//! | 16 × `u32` | words of 1 … 16 characters |
//! | tags | each a `u8` length and its bytes |
//! | first characters | sorted `u16`s: every character a word starts with |
//! | group starts | per first character (and one more) its first group |
//! | groups | per (first character, length), by length: `u32` first word id, `u16` count, `u16` length |
//! | characters | per length 1 … 16, that length's words sorted, each without its first character, as UTF-16 units |
//! | frequencies | a `u8` per word; 255 means "look it up in the overflow list" |
//! | overflow | `u32` word id and `u32` frequency, by id |
//! | word tags | a `u8` per word: its tag's index |
//!
//! Word ids number the words by length, then in code-point order, so a group's words are
//! consecutive ids. Every word is of the Basic Multilingual Plane.

use std::cmp::Ordering;
use std::sync::OnceLock;

const EMBEDDED: &[u8] = include_bytes!("dictionary.bin");
const MAGIC: &[u8; 8] = b"GWDICT01";
/// The longest word, in characters.
pub const MAX_WORD_CHARS: usize = 16;
/// A frequency byte that sends the lookup to the overflow list.
const OVERFLOW: u8 = 255;

/// A dictionary word found: its id, frequency and tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub id: u32,
    pub freq: u64,
    pub tag: &'static str,
}

/// The parsed header: slices of the embedded bytes.
pub struct Dictionary {
    total: u64,
    tags: Vec<&'static str>,
    first_chars: &'static [u8],
    group_starts: &'static [u8],
    groups: &'static [u8],
    /// Per length (index 0 = one character): first word id and byte offset of its table.
    tables: [(u32, usize); MAX_WORD_CHARS],
    units: &'static [u8],
    freqs: &'static [u8],
    overflow: &'static [u8],
    word_tags: &'static [u8],
}

/// The embedded dictionary (its header read on first use); an empty dictionary if the
/// embedded bytes were malformed (the unit tests hold them well-formed).
pub fn get() -> &'static Dictionary {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    DICTIONARY.get_or_init(|| Dictionary::parse(EMBEDDED).unwrap_or_else(Dictionary::empty))
}

/// Reads little-endian numbers off the front of a byte slice.
struct Reader {
    bytes: &'static [u8],
}

impl Reader {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.u32()?).ok()
    }
}

fn u16_at(bytes: &[u8], index: usize) -> u16 {
    match bytes.get(index * 2..index * 2 + 2) {
        Some(b) => u16::from_le_bytes([b[0], b[1]]),
        None => 0,
    }
}

fn u32_at(bytes: &[u8], index: usize) -> u32 {
    match bytes.get(index * 4..index * 4 + 4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        None => 0,
    }
}

impl Dictionary {
    fn empty() -> Self {
        Dictionary {
            total: 1,
            tags: Vec::new(),
            first_chars: &[],
            group_starts: &[],
            groups: &[],
            tables: [(0, 0); MAX_WORD_CHARS],
            units: &[],
            freqs: &[],
            overflow: &[],
            word_tags: &[],
        }
    }

    fn parse(bytes: &'static [u8]) -> Option<Self> {
        let mut r = Reader { bytes };
        if r.take(8)? != MAGIC {
            return None;
        }
        let total = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
        let (words, firsts, groups, overflow, tag_count) =
            (r.count()?, r.count()?, r.count()?, r.count()?, r.count()?);
        let mut tables = [(0, 0); MAX_WORD_CHARS];
        let (mut id, mut offset) = (0u32, 0usize);
        for (chars, table) in tables.iter_mut().enumerate() {
            *table = (id, offset);
            let n = r.u32()?;
            id = id.checked_add(n)?;
            offset += usize::try_from(n).ok()? * chars * 2;
        }
        if usize::try_from(id).ok()? != words {
            return None;
        }
        let mut tags = Vec::with_capacity(tag_count);
        for _ in 0..tag_count {
            let len = usize::from(*r.take(1)?.first()?);
            tags.push(std::str::from_utf8(r.take(len)?).ok()?);
        }
        Some(Dictionary {
            total,
            tags,
            first_chars: r.take(firsts * 2)?,
            group_starts: r.take((firsts + 1) * 4)?,
            groups: r.take(groups * 8)?,
            tables,
            units: r.take(offset)?,
            freqs: r.take(words)?,
            overflow: r.take(overflow * 8)?,
            word_tags: r.take(words)?,
        })
    }

    /// The sum of all the words' frequencies.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The groups (by length, ascending) of the words that start with `first`: each
    /// `(first id, count, length in characters)`.
    fn groups_of(&self, first: u32) -> impl Iterator<Item = (u32, usize, usize)> + '_ {
        let n = self.first_chars.len() / 2;
        let found = u16::try_from(first).ok().and_then(|c| {
            let (mut low, mut high) = (0, n);
            while low < high {
                let mid = low + (high - low) / 2;
                match u16_at(self.first_chars, mid).cmp(&c) {
                    Ordering::Less => low = mid + 1,
                    Ordering::Greater => high = mid,
                    Ordering::Equal => return Some(mid),
                }
            }
            None
        });
        let range = match found {
            Some(i) => {
                u32_at(self.group_starts, i) as usize..u32_at(self.group_starts, i + 1) as usize
            }
            None => 0..0,
        };
        range.map(|g| {
            let at = g * 8;
            let id = u32_at(self.groups, g * 2);
            let count = u16_at(self.groups, at / 2 + 2);
            let chars = u16_at(self.groups, at / 2 + 3);
            (id, usize::from(count), usize::from(chars))
        })
    }

    /// The id of the word whose characters after the first are `rest`, within the group of
    /// `count` words from `first_id`, all of `1 + rest.len()` characters.
    fn find_in_group(&self, first_id: u32, count: usize, rest: &[u32]) -> Option<u32> {
        let chars = rest.len() + 1;
        let (table_id, table_offset) = *self.tables.get(chars - 1)?;
        let word_units = rest.len();
        let unit_of = |id: usize, k: usize| {
            let index = table_offset / 2 + (id - table_id as usize) * word_units + k;
            u32::from(u16_at(self.units, index))
        };
        let compare = |id: usize| {
            for (k, &c) in rest.iter().enumerate() {
                match unit_of(id, k).cmp(&c) {
                    Ordering::Equal => continue,
                    other => return other,
                }
            }
            Ordering::Equal
        };
        let (mut low, mut high) = (first_id as usize, first_id as usize + count);
        while low < high {
            let mid = low + (high - low) / 2;
            match compare(mid) {
                Ordering::Less => low = mid + 1,
                Ordering::Greater => high = mid,
                Ordering::Equal => return u32::try_from(mid).ok(),
            }
        }
        None
    }

    /// Every dictionary word that starts at `chars[at]`, shortest first: `f(end, id)` with
    /// `end` the index after its last character.
    pub fn for_each_word_at(&self, chars: &[u32], at: usize, mut f: impl FnMut(usize, u32)) {
        let Some(&first) = chars.get(at) else { return };
        for (id, count, len) in self.groups_of(first) {
            let end = at + len;
            if end > chars.len() {
                break;
            }
            if let Some(id) = self.find_in_group(id, count, &chars[at + 1..end]) {
                f(end, id);
            }
        }
    }

    /// The word made of `chars`, if the dictionary has it.
    pub fn find_chars(&self, chars: &[u32]) -> Option<u32> {
        let (&first, rest) = chars.split_first()?;
        let (id, count, _) = self.groups_of(first).find(|g| g.2 == chars.len())?;
        self.find_in_group(id, count, rest)
    }

    /// The entry of `word`, if the dictionary has it.
    pub fn find(&self, word: &str) -> Option<Entry> {
        let chars: Vec<u32> = word.chars().map(u32::from).collect();
        if chars.len() > MAX_WORD_CHARS {
            return None;
        }
        self.find_chars(&chars).map(|id| self.entry(id))
    }

    /// How often the dictionary has seen word `id`.
    pub fn freq(&self, id: u32) -> u64 {
        let byte = self.freqs.get(id as usize).copied().unwrap_or(1);
        if byte != OVERFLOW {
            return u64::from(byte);
        }
        let n = self.overflow.len() / 8;
        let (mut low, mut high) = (0, n);
        while low < high {
            let mid = low + (high - low) / 2;
            match u32_at(self.overflow, mid * 2).cmp(&id) {
                Ordering::Less => low = mid + 1,
                Ordering::Greater => high = mid,
                Ordering::Equal => return u64::from(u32_at(self.overflow, mid * 2 + 1)),
            }
        }
        1
    }

    /// Word `id`'s entry.
    pub fn entry(&self, id: u32) -> Entry {
        let tag = self
            .word_tags
            .get(id as usize)
            .and_then(|&t| self.tags.get(usize::from(t)))
            .copied()
            .unwrap_or("");
        Entry {
            id,
            freq: self.freq(id),
            tag,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// The dictionary jieba-rs embeds, found through `cargo metadata` (for this host only:
    /// other platforms' dependencies are not downloaded).
    pub(crate) fn jieba_dictionary() -> String {
        let rustc = std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .unwrap();
        let rustc = String::from_utf8(rustc.stdout).unwrap();
        let host = rustc
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--offline"])
            .args(["--filter-platform", host])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let manifest = meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "jieba-rs")
            .and_then(|p| p["manifest_path"].as_str())
            .unwrap();
        let dict = PathBuf::from(manifest).with_file_name("src/data/dict.txt");
        std::fs::read_to_string(&dict).unwrap()
    }

    /// One line of `dict.txt`: word, frequency, tag.
    fn entries(dict: &str) -> Vec<(Vec<u16>, u64, &str)> {
        dict.lines()
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                let word = fields.next()?;
                let freq = fields.next().map_or(0, |f| f.parse().unwrap());
                let tag = fields.next().unwrap_or("");
                let units: Vec<u16> = word.encode_utf16().collect();
                assert_eq!(units.len(), word.chars().count(), "{word} is not all BMP");
                Some((units, freq, tag))
            })
            .collect()
    }

    fn put_u16(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u16::try_from(v).unwrap().to_le_bytes());
    }

    fn put_u32(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u32::try_from(v).unwrap().to_le_bytes());
    }

    /// `dictionary.bin` as it should be, from `dict.txt` (the layout is in the module's header).
    fn build(dict: &str) -> Vec<u8> {
        let mut words = entries(dict);
        words.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
        assert!(words.windows(2).all(|w| w[0].0 != w[1].0), "a word twice");
        assert!(words
            .iter()
            .all(|w| (1..=MAX_WORD_CHARS).contains(&w.0.len())));
        let tags: Vec<&str> = words
            .iter()
            .map(|w| w.2)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        // (first character, length) -> (first id, count)
        let mut groups: BTreeMap<(u16, usize), (usize, usize)> = BTreeMap::new();
        for (id, w) in words.iter().enumerate() {
            groups.entry((w.0[0], w.0.len())).or_insert((id, 0)).1 += 1;
        }
        let firsts: Vec<u16> = groups
            .keys()
            .map(|k| k.0)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut overflow = Vec::new();
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&words.iter().map(|w| w.1).sum::<u64>().to_le_bytes());
        let big = words.iter().filter(|w| w.1 >= u64::from(OVERFLOW)).count();
        for n in [words.len(), firsts.len(), groups.len(), big, tags.len()] {
            put_u32(&mut out, n);
        }
        for chars in 1..=MAX_WORD_CHARS {
            put_u32(
                &mut out,
                words.iter().filter(|w| w.0.len() == chars).count(),
            );
        }
        for tag in &tags {
            out.push(u8::try_from(tag.len()).unwrap());
            out.extend_from_slice(tag.as_bytes());
        }
        for &c in &firsts {
            put_u16(&mut out, usize::from(c));
        }
        let keys: Vec<u16> = groups.keys().map(|k| k.0).collect();
        for &c in &firsts {
            put_u32(&mut out, keys.partition_point(|&k| k < c));
        }
        put_u32(&mut out, keys.len());
        for (&(_, chars), &(id, count)) in &groups {
            put_u32(&mut out, id);
            put_u16(&mut out, count);
            put_u16(&mut out, chars);
        }
        for w in &words {
            for &u in &w.0[1..] {
                put_u16(&mut out, usize::from(u));
            }
        }
        for (id, w) in words.iter().enumerate() {
            if w.1 >= u64::from(OVERFLOW) {
                out.push(OVERFLOW);
                overflow.push((id, w.1));
            } else {
                out.push(u8::try_from(w.1).unwrap());
            }
        }
        for (id, freq) in overflow {
            put_u32(&mut out, id);
            put_u32(&mut out, usize::try_from(freq).unwrap());
        }
        for w in &words {
            out.push(u8::try_from(tags.binary_search(&w.2).unwrap()).unwrap());
        }
        out
    }

    /// `GWLINT_UPDATE_DICTIONARY=1 cargo test --lib dictionary` rewrites `dictionary.bin`
    /// (after an update of jieba-rs).
    #[test]
    fn the_embedded_dictionary_is_jiebas() {
        let want = build(&jieba_dictionary());
        if std::env::var_os("GWLINT_UPDATE_DICTIONARY").is_some() {
            let path = format!(
                "{}/src/engine/segment/dictionary.bin",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::write(path, &want).unwrap();
        } else {
            assert!(
                EMBEDDED == want.as_slice(),
                "dictionary.bin differs from jieba-rs's dictionary"
            );
        }
    }

    #[test]
    fn every_word_is_found_with_its_frequency_and_tag() {
        let dict = jieba_dictionary();
        let d = get();
        let mut total = 0;
        for line in dict.lines() {
            let mut fields = line.split_whitespace();
            let Some(word) = fields.next() else { continue };
            let freq: u64 = fields.next().unwrap().parse().unwrap();
            let tag = fields.next().unwrap_or("");
            let entry = d.find(word).unwrap_or_else(|| panic!("{word} not found"));
            assert_eq!((entry.freq, entry.tag), (freq, tag), "{word}");
            total += freq;
        }
        assert_eq!(d.total(), total);
    }

    #[test]
    fn what_is_not_a_word_is_not_found() {
        let d = get();
        assert!(d.find("监测").is_some());
        assert!(d.find("测监").is_none());
        assert!(d.find("").is_none());
        assert!(d.find("中华人民共和国中华人民共和国中华人民").is_none());
        assert!(d.find("\u{20000}").is_none());
        assert!(d.find("监\u{20000}").is_none());
        // a character of another plane must not match the unit it truncates to
        let truncated = char::from_u32(0x2_0000 + u32::from('测')).unwrap();
        assert!(d.find(&format!("监{truncated}")).is_none());
    }

    #[test]
    fn the_words_at_a_position_are_every_dictionary_word_starting_there() {
        let d = get();
        let jieba = super::super::JIEBA.get_or_init(jieba_rs::Jieba::new);
        let text = "中华人民共和国成立了";
        let chars: Vec<u32> = text.chars().map(u32::from).collect();
        for at in 0..chars.len() {
            let mut ends = Vec::new();
            d.for_each_word_at(&chars, at, |end, id| {
                assert_eq!(d.find_chars(&chars[at..end]), Some(id));
                ends.push(end);
            });
            let theirs: Vec<usize> = (at + 1..=chars.len())
                .filter(|&end| {
                    let word: String = text.chars().skip(at).take(end - at).collect();
                    jieba.has_word(&word)
                })
                .collect();
            assert_eq!(ends, theirs, "from character {at}");
            assert!(!ends.is_empty());
        }
    }
}
