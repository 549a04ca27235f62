//! Word helpers shared by the zh_en rules: the common-word list (is a capitalized word a common
//! word or a name?), singular/plural forms, and cheap word scanning.

use std::borrow::Cow;
use std::sync::Arc;

use crate::dict::{Dictionaries, Memo};
use crate::text::scan::FxHashSet;

/// The tables a common-word set is built from.
const TABLES: [&str; 2] = ["en/common_words", "en/common_words_extra"];

/// The last set built, shared by the rules and cleaners built from the same tables.
static SHARED: Memo<CommonWords> = Memo::new();

/// Common English words (`en/common_words` + `en/common_words_extra`), lower case.
pub struct CommonWords {
    /// Embedded rows already in lower case (most) are borrowed, not copied.
    set: FxHashSet<Cow<'static, str>>,
}

impl CommonWords {
    pub fn new(dicts: &Dictionaries) -> Self {
        let rows: usize = TABLES.iter().map(|t| dicts.rows(t).len()).sum();
        let mut set = FxHashSet::with_capacity_and_hasher(rows, Default::default());
        for t in TABLES {
            for r in dicts.rows(t) {
                let w: Cow<'static, str> = match r.get_static(0) {
                    Some(w) => Cow::Borrowed(w),
                    None => Cow::Owned(r.get(0).to_string()),
                };
                if w.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
                    set.insert(Cow::Owned(w.to_lowercase()));
                } else if !w.is_empty() {
                    // Already lower case (most rows).
                    set.insert(w);
                }
            }
        }
        CommonWords { set }
    }

    /// The set for `dicts`, built once and shared by every rule (and cleaner) whose tables are
    /// the same: the list has some 26,000 words, and building it is most of a cleaner's start-up.
    pub fn shared(dicts: &Dictionaries) -> Arc<CommonWords> {
        SHARED.get(dicts, TABLES, || CommonWords::new(dicts))
    }

    /// Whether `word` (any case) is a common word.
    pub fn contains(&self, word: &str) -> bool {
        if word.bytes().all(|b| b.is_ascii_lowercase()) {
            return self.set.contains(word);
        }
        if word.is_ascii() {
            // No allocation for the usual capitalized word.
            let mut buf = [0u8; 32];
            if let Some(b) = buf.get_mut(..word.len()) {
                b.copy_from_slice(word.as_bytes());
                b.make_ascii_lowercase();
                return self.set.contains(std::str::from_utf8(b).unwrap());
            }
        }
        self.set.contains(word.to_lowercase().as_str())
    }

    /// Whether `word` is a common word whose apostrophe or hyphen parts are common too
    /// ("It's", "Closed-loop").
    pub fn contains_compound(&self, word: &str) -> bool {
        let base = word.split(['\'', '’']).next().unwrap_or(word);
        base.split('-').all(|p| !p.is_empty() && self.contains(p))
    }

    /// The singular of `word` when `word` looks like a regular plural of a common noun
    /// ("districts" -> "district", "companies" -> "company").
    pub fn singular_of(&self, word: &str) -> Option<String> {
        let w = word.to_lowercase();
        if !self.contains(&w)
            || w.len() < 3
            || w.ends_with("ss")
            || w.ends_with("us")
            || w.ends_with("is")
        {
            return None;
        }
        let mut cands = Vec::new();
        if let Some(s) = w.strip_suffix("ies") {
            cands.push(format!("{s}y"));
        }
        if let Some(s) = w.strip_suffix("es") {
            cands.push(s.to_string());
        }
        if let Some(s) = w.strip_suffix('s') {
            cands.push(s.to_string());
        }
        cands.into_iter().find(|c| c.len() >= 2 && self.contains(c))
    }

    /// The regular plural of a common noun, when that plural is itself a common word.
    pub fn plural_of(&self, word: &str) -> Option<String> {
        let w = word.to_lowercase();
        let cand =
            if w.ends_with('y') && !w.ends_with("ay") && !w.ends_with("ey") && !w.ends_with("oy") {
                format!("{}ies", &w[..w.len() - 1])
            } else if ["s", "x", "z", "ch", "sh"].iter().any(|e| w.ends_with(e)) {
                format!("{w}es")
            } else {
                format!("{w}s")
            };
        self.contains(&cand).then_some(cand)
    }
}

/// A word that starts with an upper-case ASCII letter followed only by lower-case letters
/// (apostrophes and hyphens allowed inside): "The", "It's", "Closed-loop". "I", "USA", "iPhone"
/// and "McDonald" are not.
pub fn is_titlecase(w: &str) -> bool {
    let b = w.as_bytes();
    if b.is_empty() || !b[0].is_ascii_uppercase() {
        return false;
    }
    let mut prev_letter = true;
    for &c in &b[1..] {
        match c {
            b'a'..=b'z' => prev_letter = true,
            b'\'' | b'-' if prev_letter => prev_letter = false,
            _ => return false,
        }
    }
    prev_letter && (b.len() > 1 || b[0] == b'A')
}

/// Whether a byte is part of a word for scanning purposes.
/// A prefilter for rules whose every finding is a number, a space and one of a list of words
/// ("15 Time", "23 Thousands of"): [`AfterNumber::may_match`] is false only when no word of the
/// list follows an ASCII digit and a space.
pub struct AfterNumber {
    /// Used only when `words` is `None`: any occurrence of a word lets the text through.
    ac: Option<aho_corasick::AhoCorasick>,
    /// The words, when none holds a digit or starts with a space and there are at most
    /// [`MAX_TRIED`]: then the words after each digit-and-space are tested (see `may_match`).
    words: Option<Vec<Vec<u8>>>,
    /// The first bytes of `words`: most numbers are followed by none of them, and are passed
    /// over without comparing a word.
    first: [bool; 256],
}

/// The most words tried one by one after each number; a longer list (a user's dictionary can
/// make one) takes the automaton, whose cost does not grow with the list.
const MAX_TRIED: usize = 64;

impl AfterNumber {
    /// `None` without words.
    pub fn new<S: AsRef<str>>(words: &[S]) -> Option<AfterNumber> {
        if words.is_empty() {
            return None;
        }
        let exact = words.len() <= MAX_TRIED
            && words.iter().all(|w| {
                let w = w.as_ref();
                !w.is_empty() && !w.starts_with(' ') && !w.bytes().any(|b| b.is_ascii_digit())
            });
        if exact {
            let words: Vec<Vec<u8>> = words
                .iter()
                .map(|w| w.as_ref().as_bytes().to_vec())
                .collect();
            let mut first = [false; 256];
            for w in &words {
                first[usize::from(w[0])] = true;
            }
            return Some(AfterNumber {
                ac: None,
                words: Some(words),
                first,
            });
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(words.iter().map(|w| w.as_ref()))
            .ok()?;
        Some(AfterNumber {
            ac: Some(ac),
            words: None,
            first: [true; 256],
        })
    }

    /// Whether a word of the list may follow a digit and a space in `t`. Digits are rare in
    /// running text: each run of them is found, and the words are tried after the space that
    /// follows it. (The leftmost non-overlapping matches of the words would give the same
    /// answer: an occurrence they skip starts inside a reported match, so the digit and space
    /// before it would be inside that match too, or the match would start with the space, which
    /// words without digits or a leading space rule out.)
    pub fn may_match(&self, t: &str) -> bool {
        let Some(words) = &self.words else {
            return self.ac.as_ref().is_some_and(|ac| ac.is_match(t));
        };
        let b = t.as_bytes();
        let mut i = 0;
        while let Some(d) = next_digit(b, i) {
            let mut e = d + 1;
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            if b.get(e) == Some(&b' ') && words.iter().any(|w| b[e + 1..].starts_with(w)) {
                return true;
            }
            i = e;
        }
        false
    }

    /// [`AfterNumber::may_match`] on the view's text, with the view's shared
    /// [`number_spaces`] when the words are tried one by one.
    pub fn may_match_view(&self, doc: &crate::rules::DocView<'_>) -> bool {
        let Some(words) = &self.words else {
            return self.may_match(doc.text);
        };
        let b = doc.text.as_bytes();
        crate::rules::structure::shared::number_spaces(doc)
            .iter()
            .any(|&e| self.word_at(b, e + 1, words))
    }

    /// [`AfterNumber::next_at`] on the view's text, from its shared [`number_spaces`] (a space
    /// after a digit at or after `from` is one after `from`).
    pub fn next_at_view(&self, doc: &crate::rules::DocView<'_>, from: usize) -> Option<usize> {
        let words = self.words.as_ref()?;
        let b = doc.text.as_bytes();
        let spaces = crate::rules::structure::shared::number_spaces(doc);
        let k = spaces.partition_point(|&e| e <= from);
        spaces[k..]
            .iter()
            .copied()
            .find(|&e| self.word_at(b, e + 1, words))
    }

    /// Whether one of `words` starts at byte `i` of `b`.
    fn word_at(&self, b: &[u8], i: usize, words: &[Vec<u8>]) -> bool {
        b.get(i).is_some_and(|&c| self.first[usize::from(c)])
            && words.iter().any(|w| b[i..].starts_with(w))
    }

    /// Whether the words are tried one by one after each number (see [`AfterNumber::next_at`]).
    pub fn is_exact(&self) -> bool {
        self.words.is_some()
    }

    /// With [`AfterNumber::is_exact`]: the first space at or after `from + 1` that follows a digit
    /// at or after `from` and is followed by a word of the list.
    pub fn next_at(&self, t: &str, from: usize) -> Option<usize> {
        let words = self.words.as_ref()?;
        let b = t.as_bytes();
        let mut i = from;
        while let Some(d) = next_digit(b, i) {
            let mut e = d + 1;
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            if b.get(e) == Some(&b' ') && words.iter().any(|w| b[e + 1..].starts_with(w)) {
                return Some(e);
            }
            i = e;
        }
        None
    }
}

/// The offsets of the spaces that directly follow a run of ASCII digits ("in 2022 year": the
/// space after "2022"), in order.
pub fn number_spaces(t: &str) -> Vec<usize> {
    number_scan(t).0
}

/// [`number_spaces`], and whether a run of ASCII digits ends at a non-ASCII byte (a
/// non-ASCII digit may go on the number: "20２２").
pub fn number_scan(t: &str) -> (Vec<usize>, bool) {
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut wide = false;
    let mut i = 0;
    while let Some(d) = next_digit(b, i) {
        let mut e = d + 1;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        match b.get(e) {
            Some(b' ') => out.push(e),
            Some(&c) if c >= 0x80 => wide = true,
            _ => {}
        }
        i = e;
    }
    (out, wide)
}

/// The first ASCII digit at or after `i`. Digits are rare in running text: blocks of 32 bytes
/// are tested without branches first.
fn next_digit(b: &[u8], mut i: usize) -> Option<usize> {
    const W: usize = 32;
    while i + W <= b.len() {
        let block: &[u8; W] = b[i..i + W].try_into().unwrap();
        if block
            .iter()
            .fold(0u8, |a, &x| a | u8::from(x.is_ascii_digit()))
            != 0
        {
            break;
        }
        i += W;
    }
    b[i..].iter().position(u8::is_ascii_digit).map(|k| i + k)
}

pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\'' || b == b'-'
}

/// The word (letters, digits, inner apostrophes/hyphens) starting at `pos`; "" when `pos` is
/// not a char boundary of `text`.
pub fn word_at(text: &str, pos: usize) -> &str {
    if !text.is_char_boundary(pos) {
        return "";
    }
    let b = text.as_bytes();
    let mut e = pos;
    while e < b.len() && is_word_byte(b[e]) {
        e += 1;
    }
    while e > pos && matches!(b[e - 1], b'\'' | b'-') {
        e -= 1;
    }
    // A curly apostrophe inside a word ("It’s") belongs to it.
    if text[e..].starts_with('’')
        && text[e + 3..]
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
    {
        let rest = word_at(text, e + 3);
        return &text[pos..e + 3 + rest.len()];
    }
    &text[pos..e]
}

/// The word that ends at `end` (skipping nothing), or "" (also when `end` is not a char
/// boundary of `text`).
pub fn word_before(text: &str, end: usize) -> &str {
    if !text.is_char_boundary(end) {
        return "";
    }
    let b = text.as_bytes();
    let mut s = end;
    while s > 0 && is_word_byte(b[s - 1]) {
        s -= 1;
    }
    &text[s..end]
}

/// The previous non-space character before `pos` on the same line, with its byte offset.
pub fn prev_char_skip_spaces(text: &str, pos: usize) -> Option<(usize, char)> {
    text[..pos]
        .char_indices()
        .rev()
        .find(|&(_, c)| c != ' ' && c != '\t' && c != '\u{3000}')
        .filter(|&(_, c)| c != '\n')
}

/// The next non-space character at or after `pos` on the same line, with its byte offset.
pub fn next_char_skip_spaces(text: &str, pos: usize) -> Option<(usize, char)> {
    text[pos..]
        .char_indices()
        .map(|(i, c)| (i + pos, c))
        .find(|&(_, c)| c != ' ' && c != '\t' && c != '\u{3000}')
        .filter(|&(_, c)| c != '\n')
}

/// Whether `s` is all ASCII digits (optionally with `,` or `.` between digits).
pub fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter()
            .all(|c| c.is_ascii_digit() || *c == b',' || *c == b'.')
}

/// Sentence-ending punctuation (Latin or CJK).
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_helpers_take_any_offset() {
        let t = "the—quality’s level";
        // Inside "—" (bytes 3..6): no word, no panic.
        assert_eq!(word_before(t, 4), "");
        assert_eq!(word_at(t, 5), "");
        assert_eq!(word_before(t, 3), "the");
        assert_eq!(word_at(t, 6), "quality’s");
        assert_eq!(word_before(t, 13), "quality");
        assert_eq!(word_at(t, t.len()), "");
    }

    #[test]
    fn after_number_finds_every_word_after_a_number() {
        let gate = AfterNumber::new(&["Ten thousand", "thousand", "Thousands of", "Time"]).unwrap();
        for t in [
            "It had 5 Ten thousand staff",
            "about 12 thousand",
            "the thousand ways, 3 Thousands of pieces",
            "Ten thousand and 7 Time",
            "Ten thousand 4 thousand",
        ] {
            assert!(gate.may_match(t), "{t}");
        }
        for t in [
            "Ten thousand people",
            "a thousand",
            "5  thousand",
            "x thousand 5",
            "",
        ] {
            assert!(!gate.may_match(t), "{t}");
        }
        // A word with a digit or a leading space: any occurrence lets the text through.
        let loose = AfterNumber::new(&["thousand", " 2nd"]).unwrap();
        assert!(loose.may_match("a thousand"));
        // So does a list too long to try word by word after every number.
        let many: Vec<String> = (0..=MAX_TRIED)
            .map(|k| format!("unit{}", "x".repeat(k)))
            .collect();
        let long = AfterNumber::new(&many).unwrap();
        assert!(long.words.is_none());
        assert!(long.may_match("5 unitxx") && long.may_match("a unit"));
        assert!(!long.may_match("5 apples"));
        assert!(AfterNumber::new::<&str>(&[]).is_none());
    }

    /// The view's shared number spaces give what the scans of the text give.
    #[test]
    fn shared_number_spaces_find_what_the_scan_finds() {
        let gate = AfterNumber::new(&["month", "Time", "Ten thousand"]).unwrap();
        let config = crate::Config::default();
        let small = [
            "",
            "5",
            "5 ",
            "x 12 month 3 Time",
            "12month 3 4  month 7 Ten thousand 8",
        ];
        let texts = crate::rules::testing::fixture_texts();
        for t in texts.iter().map(String::as_str).chain(small) {
            let profile = crate::Profile::compute(t, &config);
            let doc = crate::rules::DocView::first_pass(t, &profile, &config);
            assert_eq!(gate.may_match_view(&doc), gate.may_match(t), "{t:?}");
            for from in (0..=t.len()).step_by(if t.len() < 64 { 1 } else { 7 }) {
                assert_eq!(
                    gate.next_at_view(&doc, from),
                    gate.next_at(t, from),
                    "{t:?}"
                );
            }
        }
    }

    /// The reference `may_match` replaced: a word's leftmost match after a digit and a space.
    fn after_number_reference(words: &[&str], t: &str) -> bool {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(words)
            .unwrap();
        let b = t.as_bytes();
        ac.find_iter(t).any(|m| {
            let s = m.start();
            s >= 2 && b[s - 1] == b' ' && b[s - 2].is_ascii_digit()
        })
    }

    const AFTER_NUMBER_WORDS: &[&str] = &["Ten thousand", "thousand", "Thousands of", "Time", "T"];
    const AFTER_NUMBER_PIECES: &[&str] = &[
        "Ten",
        " ",
        "thousand",
        "Thousands",
        " of",
        "Time",
        "T",
        "5",
        "12",
        "x",
        "é",
        "\n",
        "中",
        "  ",
        "0 ",
    ];

    proptest::proptest! {
        #[test]
        fn after_number_is_the_leftmost_search(
            text in crate::rules::testing::text_from(AFTER_NUMBER_PIECES, 40)
        ) {
            let gate = AfterNumber::new(AFTER_NUMBER_WORDS).unwrap();
            proptest::prop_assert_eq!(
                gate.may_match(&text),
                after_number_reference(AFTER_NUMBER_WORDS, &text)
            );
        }
    }

    #[test]
    fn after_number_on_the_fixtures() {
        let words = [
            "month",
            "Month",
            "Time",
            "Points",
            "points",
            "thousand",
            "Ten thousand",
        ];
        for t in crate::rules::testing::fixture_texts() {
            for (i, line) in t.lines().enumerate() {
                for w in words.chunks(2 + i % 3) {
                    let gate = AfterNumber::new(w).unwrap();
                    assert_eq!(
                        gate.may_match(line),
                        after_number_reference(w, line),
                        "{w:?} {line:?}"
                    );
                }
            }
            let gate = AfterNumber::new(&words).unwrap();
            assert_eq!(gate.may_match(&t), after_number_reference(&words, &t));
        }
    }

    #[test]
    fn one_common_word_set_per_set_of_tables() {
        let embedded = Dictionaries::embedded();
        let a = CommonWords::shared(&embedded);
        let b = CommonWords::shared(&Dictionaries::embedded());
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.contains("Employees") && !a.contains("zhuzhou"));
        // A user's rows make other tables, hence another set, with their words.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("extra.tsv");
        std::fs::write(&file, "zhuzhou\n").unwrap();
        let mut mine = Dictionaries::embedded();
        mine.add_file("en/common_words_extra", &file).unwrap();
        let c = CommonWords::shared(&mine);
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(c.contains("Zhuzhou") && c.contains("employees"));
        // The embedded tables still get a set without the user's word.
        let d = CommonWords::shared(&embedded);
        assert!(!d.contains("zhuzhou"));
    }

    #[test]
    fn titlecase() {
        for w in ["The", "It's", "Closed-loop", "A", "Employees"] {
            assert!(is_titlecase(w), "{w}");
        }
        for w in ["I", "USA", "iPhone", "McDonald", "the", "", "G60"] {
            assert!(!is_titlecase(w), "{w}");
        }
    }

    #[test]
    fn forms() {
        let c = CommonWords::new(&Dictionaries::embedded());
        assert!(
            c.contains("Employees")
                && c.contains("the")
                && !c.contains("Shanghai")
                && !c.contains("chinese")
        );
        assert_eq!(c.singular_of("districts").as_deref(), Some("district"));
        assert_eq!(c.singular_of("companies").as_deref(), Some("company"));
        assert_eq!(c.singular_of("goal"), None);
        assert_eq!(c.plural_of("laptop").as_deref(), Some("laptops"));
        assert_eq!(word_at("It’s fine", 0), "It’s");
        assert_eq!(word_at("Closed-loop, x", 0), "Closed-loop");
    }
}
