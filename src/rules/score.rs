//! The document-level artifact score: how strongly a text looks like Chinese-source machine
//! translation. It gates the riskier zh_en rules (see [`crate::Config::zh_en_min_score`]).
//!
//! Signals per 100 words. Strong signals (weight 1) are artifacts clean English almost never
//! contains: "5 month 3", spaced or CJK punctuation, a common word capitalized after a number or
//! a comma, a full stop before a lower-case fragment, "(Reuters)" on a Chinese agency dateline,
//! literal renderings ("in my country", "xinhua news agency"). Weak signals (weight 0.5, at most two
//! hits per phrase) are set phrases of Chinese officialese rendered word for word
//! (`dictionaries/zh_en/score_phrases.tsv`): native English uses a few of them, so a clean
//! article stays below the gate while a machine translation full of them passes it.

use std::sync::LazyLock;

use memchr::memmem;
use regex::Regex;

use crate::dict::Dictionaries;
use crate::rules::zh_en::words::CommonWords;
use crate::text::lanes::{at_least, LANE_HI, LANE_LO, LANE_LO7};
use crate::text::scan;

/// Signals that start and end on a word character, written with an ASCII `\b`: the regex
/// crate's fast DFA handles it on any text (a Unicode `\b` sends non-ASCII text to slower
/// engines). [`count_words`] then keeps the matches that also sit on Unicode word boundaries, so
/// a letter like "é" next to a match still joins the word as before.
const WORD_SIGNAL_PATTERNS: [&str; 3] = [
    // "5 month 3", "2022 year 5 month"
    r"(?-u:\b)\d{1,4} (?:year|month) \d{1,2}(?-u:\b)",
    // a capitalized article or measure word straight after a number (counted by [`scan_bytes`];
    // the pattern is the tests' reference)
    r"(?-u:\b)\d+ (?:The|All|A|An|Home|Individual|Left and right|Thousands|Ten thousand|One hundred million)(?-u:\b)",
    // a full stop before a lower-case fragment (counted by [`scan_bytes`])
    r"(?-u:\b)[a-z]{3,}\. [a-z]{3,}(?-u:\b)",
];

/// The first of [`WORD_SIGNAL_PATTERNS`], compiled.
static WORD_SIGNAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(WORD_SIGNAL_PATTERNS[0]).expect("signal pattern"));

/// Literal renderings, counted line block by line block ([`count_by_lines`]).
static LITERAL_SIGNALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:xinhua news agency|in my country|my country's|changjiang delta|left and right|people's daily client|news agency client)\b",
    )
    .expect("signal pattern")
});

/// Matches of `re` (one of [`WORD_SIGNAL_PATTERNS`]) that sit on Unicode word boundaries.
fn count_words(re: &Regex, text: &str) -> usize {
    use regex_syntax::is_word_character as word;
    re.find_iter(text)
        .filter(|m| {
            !text[..m.start()].chars().next_back().is_some_and(word)
                && !text[m.end()..].chars().next().is_some_and(word)
        })
        .count()
}

/// Non-overlapping matches of `re` in `text`, for a pattern none of whose matches contains a line
/// end: the same count as `re.find_iter(text).count()` (a line end is not a word character, like
/// the start and end of a haystack, so `\b` reads the same), but runs of ASCII lines are searched
/// together and each non-ASCII line alone, so the slow engines only ever see the non-ASCII lines.
fn count_by_lines(re: &Regex, text: &str) -> usize {
    let mut n = 0;
    let mut block = 0; // start of the current run of ASCII lines
    let mut ls = 0;
    for line in text.split('\n') {
        let le = ls + line.len();
        if !line.is_ascii() {
            if block < ls {
                n += re.find_iter(&text[block..ls - 1]).count();
            }
            n += re.find_iter(line).count();
            block = le + 1;
        }
        ls = le + 1;
    }
    if block < text.len() {
        n += re.find_iter(&text[block..]).count();
    }
    n
}

static COMMON: LazyLock<std::sync::Arc<CommonWords>> =
    LazyLock::new(|| CommonWords::shared(&Dictionaries::embedded()));

/// The weak phrases (`dictionaries/zh_en/score_phrases.tsv`), one a row.
fn phrase_rows() -> Vec<&'static str> {
    include_str!("../../dictionaries/zh_en/score_phrases.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The literals of [`LITERAL_SIGNALS`], in its alternation order.
const LITERALS: &[&str] = &[
    "xinhua news agency",
    "in my country",
    "my country's",
    "changjiang delta",
    "left and right",
    "people's daily client",
    "news agency client",
];

/// Every occurrence of each of a set of patterns, ASCII case-insensitive: what an overlapping
/// automaton search reports, found by skipping (after Wu and Manber). A window of the shortest
/// pattern's length `m` slides over the text; the three bytes at its end say how far it can move
/// without passing a match start: [`ShiftSearch::shift`] holds, for each three-byte key, the
/// least distance from a pattern block of that key to the end of the pattern's first `m` bytes.
/// Where that distance is 0, the patterns whose first `m` bytes end on the key are compared. Keys keep five bits of each byte, so both cases of a letter share a key (other bytes
/// may share one too, which costs a comparison, never a match).
struct ShiftSearch {
    /// Lower-cased.
    pats: Vec<Box<[u8]>>,
    /// The shortest pattern's length, at most [`MAX_WINDOW`].
    m: usize,
    /// Per key: the shift (below [`CANDIDATE`]), or [`CANDIDATE`] plus the key's index in
    /// `groups`.
    shift: Box<[u8]>,
    /// Per key of a block ending some pattern's first `m` bytes: those patterns' ids.
    groups: Vec<Vec<u32>>,
}

/// Marks a [`ShiftSearch`] key where a window may hold a match.
const CANDIDATE: u8 = 0x80;

/// Bytes per key of [`ShiftSearch`].
const BLOCK: usize = 3;
/// The window's longest length: its shifts stay below [`CANDIDATE`].
const MAX_WINDOW: usize = 100;

#[inline(always)]
fn block_key(b: &[u8]) -> usize {
    (b[0] as usize & 31) << 10 | (b[1] as usize & 31) << 5 | (b[2] as usize & 31)
}

impl ShiftSearch {
    /// `None` when a pattern is shorter than three bytes, or when the patterns end their first
    /// `m` bytes in more than 127 distinct keys.
    fn new<'a>(pats: impl IntoIterator<Item = &'a str>) -> Option<ShiftSearch> {
        let pats: Vec<Box<[u8]>> = pats
            .into_iter()
            .map(|p| p.to_ascii_lowercase().into_bytes().into_boxed_slice())
            .collect();
        let m = pats.iter().map(|p| p.len()).min()?.min(MAX_WINDOW);
        if m < BLOCK {
            return None;
        }
        let mut shift = vec![(m - BLOCK + 1) as u8; 1 << (5 * BLOCK)].into_boxed_slice();
        for p in &pats {
            for j in 0..=m - BLOCK {
                let k = block_key(&p[j..]);
                shift[k] = shift[k].min((m - BLOCK - j) as u8);
            }
        }
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for (id, p) in pats.iter().enumerate() {
            let k = block_key(&p[m - BLOCK..]);
            if shift[k] == 0 {
                if groups.len() >= usize::from(CANDIDATE) - 1 {
                    return None;
                }
                shift[k] = CANDIDATE | groups.len() as u8;
                groups.push(Vec::new());
            }
            groups[usize::from(shift[k] & !CANDIDATE)].push(id as u32);
        }
        Some(ShiftSearch {
            pats,
            m,
            shift,
            groups,
        })
    }

    /// Calls `f(start, end, pattern id)` for every occurrence in `hay`, by start, then by id.
    fn for_each(&self, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let m = self.m;
        let Some(last) = hay.len().checked_sub(BLOCK) else {
            return;
        };
        // A fixed-size table, so that a key (below its size) needs no bounds check.
        let shift: &[u8; 1 << (5 * BLOCK)] = (&*self.shift).try_into().expect("the key space");
        // The window's last block starts at `e`; the window at `e + BLOCK - m`.
        let mut e = m - BLOCK;
        while e <= last {
            let d = shift[block_key(&hay[e..e + BLOCK])];
            if d < CANDIDATE {
                e += d as usize;
                continue;
            }
            let s = e + BLOCK - m;
            for &id in &self.groups[usize::from(d & !CANDIDATE)] {
                let p = &self.pats[id as usize];
                if hay
                    .get(s..s + p.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(p))
                {
                    f(s, s + p.len(), id as usize);
                }
            }
            e += 1;
        }
    }
}

/// The weak phrases (pattern ids `0..n`) and the [`LITERALS`] (after them), one search, ASCII
/// case-insensitive, for [`phrase_counts`].
struct Phrases {
    search: ShiftSearch,
    n: usize,
    /// "ſ" and the Kelvin sign, which the regex's case folding matches as "s" and "k".
    fold: memmem::Finder<'static>,
    kelvin: memmem::Finder<'static>,
}

static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
    let rows = phrase_rows();
    let n = rows.len();
    let search = ShiftSearch::new(rows.iter().chain(LITERALS).copied())
        .expect("score phrases of three bytes or more");
    Phrases {
        search,
        n,
        fold: memmem::Finder::new("\u{17F}".as_bytes()).into_owned(),
        kelvin: memmem::Finder::new("\u{212A}".as_bytes()).into_owned(),
    }
});

/// Words that start names or sentences even after a comma ("In 2020, The Beatles"): not signals.
const NOT_SIGNAL: &[&str] = &["I", "The", "A", "An"];

/// Signals per 100 words of `text`.
///
/// ```
/// use textmend::rules::score::artifact_score;
/// assert_eq!(artifact_score("Japan's exports rose 5% in May, the ministry said."), 0.0);
/// assert!(artifact_score("Shanghai 5 month 3 , The company has 91 Employees") > 5.0);
/// ```
///
/// The value is the one the plain regex formulation gives (kept as `reference_artifact_score` in
/// the tests, which compare the two): the frequent signals are found by one byte scan
/// ([`scan_bytes`]), the literal renderings and the weak phrases by one automaton pass
/// ([`phrase_counts`]), and the rare signals only run their regex when their literal occurs.
pub fn artifact_score(text: &str) -> f64 {
    let b = text.as_bytes();
    let scan = scan_bytes(text);
    let words = if scan.unicode_space {
        text.split_whitespace().count()
    } else {
        count_ascii_words(b)
    }
    .max(1);
    let rare: usize = RARE_SIGNALS
        .iter()
        .filter(|(lit, _)| lit.find(b).is_some())
        .map(|(_, re)| re.find_iter(text).count())
        .sum();
    let (literal, weak) = phrase_counts(text);
    let strong = scan.strong
        + rare
        // The second and third word signals are counted by the byte scan.
        + count_words(&WORD_SIGNAL, text)
        + literal;
    // A short text cannot pass the gate on weak signals alone: they count per 100 words of at
    // least 200.
    (strong + scan.caps) as f64 * 100.0 / words as f64 + weak as f64 * 50.0 / words.max(200) as f64
}

/// The regex signals whose matches all contain a literal: run only where it occurs.
static RARE_SIGNALS: LazyLock<Vec<(memmem::Finder<'static>, Regex)>> = LazyLock::new(|| {
    [
        // "(Reuters)" on a Chinese agency dateline; "Reporter | Name"; "( The reporter"
        (
            "(Reuters)",
            r"(?i:xinhua|china news service|people's daily)[^\n]{0,40}\((?:Reuters)\)",
        ),
        ("Reporter", r"(?m)^[ \t]*Reporter[ \t]*[|｜]"),
        ("The reporter", r"[(（] ?The reporter"),
    ]
    .into_iter()
    .map(|(lit, p)| {
        (
            memmem::Finder::new(lit).into_owned(),
            Regex::new(p).expect("signal pattern"),
        )
    })
    .collect()
});

/// What [`scan_bytes`] counts.
struct ByteScan {
    /// Matches of the frequent strong signals (see [`scan_bytes`]).
    strong: usize,
    /// Capitalized common words after a comma or a number: `(?:[,、;]|\d) ?([A-Z][a-z]+) [a-z]`
    /// whose word is common and not in [`NOT_SIGNAL`].
    caps: usize,
    /// Whether the text holds a non-ASCII white-space character (then words are counted the
    /// slow way).
    unicode_space: bool,
}

/// Byte classes of [`scan_bytes`]: 0 = nothing starts here.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b',' | b';' | b'.' | b':' | b'!' | b'?' => 1,
            b'0'..=b'9' => 2,
            0xC0..=0xFF => 3,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// One pass over the bytes for the frequent signals, each with the count its regex gives
/// (non-overlapping, leftmost-first; none of these patterns can have two matches that overlap,
/// except the spaced quotes, whose consumption is followed):
///
/// - `\w [,、.;:!?] ` (spaced punctuation), found at the punctuation mark;
/// - `[A-Za-z] ?[、，。：；《》（）]` (CJK punctuation after a Latin letter), at the mark;
/// - `[a-z] ?\. ?,` (a full stop before a comma), at the full stop;
/// - `“ | ”` (spaced curly quotes), at the quote;
/// - the second of [`WORD_SIGNAL_PATTERNS`] ("91 The"), at the first digit of a run of `\d`: the regex's
///   ASCII `\b` plus [`count_words`]' Unicode boundaries leave exactly the runs that start with an
///   ASCII digit after a non-word character (or the start), followed by a space, one of the words
///   and a non-word character (or the end);
/// - the third of [`WORD_SIGNAL_PATTERNS`] ("said. then"), at the full stop
///   ([`stop_between_words`]), with the regex's consumption followed and [`count_words`]'
///   Unicode boundaries;
/// - a capitalized common word after a comma or a number (`ByteScan::caps`), at the comma, "、",
///   ";" or `\d`.
fn scan_bytes(text: &str) -> ByteScan {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = ByteScan {
        strong: 0,
        caps: 0,
        unicode_space: false,
    };
    // End of the last spaced-quote match: a quote match may not start before it.
    let mut quote_end = 0;
    // End of the last match of the third word signal ("said. then").
    let mut stop_end = 0;
    let mut i = 0;
    while i < n {
        // Eight bytes with no byte of a class: all are passed over.
        if let Some(w) = b.get(i..i + 8) {
            let m = maybe_classed(u64::from_le_bytes(w.try_into().expect("8 bytes")));
            if m == 0 {
                i += 8;
                continue;
            }
            i += (m.trailing_zeros() / 8) as usize;
        }
        let class = CLASS[b[i] as usize];
        if class == 0 {
            i += 1;
            continue;
        }
        match class {
            1 => {
                out.strong += spaced_mark(text, i, 1) as usize;
                match b[i] {
                    b',' | b';' => out.caps += cap_after(text, i + 1) as usize,
                    b'.' => {
                        out.strong += stop_before_comma(b, i) as usize;
                        if let Some((s, e)) = stop_between_words(b, i) {
                            // The regex's matches do not overlap; one it takes counts only
                            // on Unicode word boundaries.
                            if s >= stop_end {
                                stop_end = e;
                                out.strong += (!scan::word_char_before(text, s)
                                    && !scan::word_char_at(text, e))
                                    as usize;
                            }
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            2 => {
                out.caps += cap_after(text, i + 1) as usize;
                if (i == 0 || !b[i - 1].is_ascii_digit()) && !scan::word_char_before(text, i) {
                    out.strong += number_then_word(text, i) as usize;
                }
                i += 1;
            }
            _ => {
                let len = match b[i] {
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                };
                if len == 3 {
                    match [b[i], b[i + 1], b[i + 2]] {
                        // 、
                        [0xE3, 0x80, 0x81] => {
                            out.strong += spaced_mark(text, i, 3) as usize;
                            out.strong += letter_before(b, i) as usize;
                            out.caps += cap_after(text, i + 3) as usize;
                        }
                        // 。《》 ，：；（）
                        [0xE3, 0x80, 0x82 | 0x8A | 0x8B]
                        | [0xEF, 0xBC, 0x8C | 0x9A | 0x9B | 0x88 | 0x89] => {
                            out.strong += letter_before(b, i) as usize;
                        }
                        // “
                        [0xE2, 0x80, 0x9C] if i >= quote_end && b.get(i + 3) == Some(&b' ') => {
                            out.strong += 1;
                            quote_end = i + 4;
                        }
                        // ”
                        [0xE2, 0x80, 0x9D] if i >= 1 && b[i - 1] == b' ' && i > quote_end => {
                            out.strong += 1;
                            quote_end = i + 3;
                        }
                        _ => {}
                    }
                }
                let c = || text[i..].chars().next().unwrap_or('\0');
                if matches!(b[i], 0xC2 | 0xE1 | 0xE2 | 0xE3) && c().is_whitespace() {
                    out.unicode_space = true;
                }
                // A non-ASCII `\d` before "( ?)Capital".
                if matches!(b.get(i + len), Some(b' ' | b'A'..=b'Z')) && is_digit(c()) {
                    out.caps += cap_after(text, i + len) as usize;
                }
                i += len;
            }
        }
    }
    out
}

/// The high bit of each byte lane of `x` set where the byte may have a [`CLASS`]: 0x21..=0x3F
/// (the marks and digits among them) or 0xC0 and above; never clear where the class is not 0.
#[inline(always)]
fn maybe_classed(x: u64) -> u64 {
    let low = x & LANE_LO7;
    (at_least(low, 0x21) & !at_least(low, 0x40) & !x & LANE_HI) | (x & (x << 1) & LANE_HI)
}

/// `\w [mark] `: the mark at `p` (`len` bytes) has a space on each side and a word character
/// before the first space.
#[inline]
fn spaced_mark(text: &str, p: usize, len: usize) -> bool {
    let b = text.as_bytes();
    p >= 2
        && b[p - 1] == b' '
        && b.get(p + len) == Some(&b' ')
        && scan::word_char_before(text, p - 1)
}

/// `[A-Za-z] ?` ends right before `p`.
#[inline]
fn letter_before(b: &[u8], p: usize) -> bool {
    (p >= 1 && b[p - 1].is_ascii_alphabetic())
        || (p >= 2 && b[p - 1] == b' ' && b[p - 2].is_ascii_alphabetic())
}

/// `[a-z] ?\. ?,` around the full stop at `p`.
#[inline]
fn stop_before_comma(b: &[u8], p: usize) -> bool {
    let after = match b.get(p + 1) {
        Some(b',') => true,
        Some(b' ') => b.get(p + 2) == Some(&b','),
        _ => false,
    };
    after
        && ((p >= 1 && b[p - 1].is_ascii_lowercase())
            || (p >= 2 && b[p - 1] == b' ' && b[p - 2].is_ascii_lowercase()))
}

/// The match of `(?-u:\b)[a-z]{3,}\. [a-z]{3,}(?-u:\b)` (the third of
/// [`WORD_SIGNAL_PATTERNS`]) around the full stop at `p`, as (start, end), if the regex has one
/// there when it searches from before its start: a match holds one full stop, and ASCII `\b`
/// between two word characters fails, so its words are the whole runs of `[a-z]` on either side.
#[inline]
fn stop_between_words(b: &[u8], p: usize) -> Option<(usize, usize)> {
    let ascii_word = |x: &u8| x.is_ascii_alphanumeric() || *x == b'_';
    if b.get(p + 1) != Some(&b' ') {
        return None;
    }
    let mut s = p;
    while s > 0 && b[s - 1].is_ascii_lowercase() {
        s -= 1;
    }
    if p - s < 3 || (s > 0 && ascii_word(&b[s - 1])) {
        return None;
    }
    let mut e = p + 2;
    while e < b.len() && b[e].is_ascii_lowercase() {
        e += 1;
    }
    if e - (p + 2) < 3 || b.get(e).is_some_and(ascii_word) {
        return None;
    }
    Some((s, e))
}

/// `(?:[,、;]|\d) ?([A-Z][a-z]+) [a-z]` after its first character (which ends at `j`), and the
/// captured word is a signal.
#[inline]
fn cap_after(text: &str, j: usize) -> bool {
    let b = text.as_bytes();
    let mut k = j;
    if b.get(k) == Some(&b' ') {
        k += 1;
    }
    if !b.get(k).is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let start = k;
    k += 1;
    while k < b.len() && b[k].is_ascii_lowercase() {
        k += 1;
    }
    if k == start + 1
        || b.get(k) != Some(&b' ')
        || !b.get(k + 1).is_some_and(u8::is_ascii_lowercase)
    {
        return false;
    }
    let w = &text[start..k];
    !NOT_SIGNAL.contains(&w) && COMMON.contains(w)
}

/// The words of the second of [`WORD_SIGNAL_PATTERNS`], in its alternation order.
const AFTER_NUMBER: &[&str] = &[
    "The",
    "All",
    "A",
    "An",
    "Home",
    "Individual",
    "Left and right",
    "Thousands",
    "Ten thousand",
    "One hundred million",
];

/// A counted match of `\d+ (?:The|All|...)` whose run of digits starts at `s` (an ASCII digit
/// after a non-word character).
fn number_then_word(text: &str, s: usize) -> bool {
    let b = text.as_bytes();
    let mut k = s;
    while k < b.len() {
        if b[k].is_ascii_digit() {
            k += 1;
        } else if b[k] >= 0x80 {
            match text[k..].chars().next() {
                Some(c) if is_digit(c) => k += c.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    if b.get(k) != Some(&b' ') {
        return false;
    }
    let rest = &b[k + 1..];
    for w in AFTER_NUMBER {
        if rest.starts_with(w.as_bytes()) {
            let end = k + 1 + w.len();
            let ascii_word = |x: &u8| x.is_ascii_alphanumeric() || *x == b'_';
            if !b.get(end).is_some_and(ascii_word) {
                // The regex takes this alternative; the Unicode boundary decides.
                return !scan::word_char_at(text, end);
            }
        }
    }
    false
}

/// The regex crate's Unicode `\d` (general category Nd).
fn is_digit(c: char) -> bool {
    static ND: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
        let hir = regex_syntax::Parser::new().parse(r"\d").expect("\\d");
        match hir.kind() {
            regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => {
                c.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            _ => unreachable!("\\d is a Unicode class"),
        }
    });
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    ND.binary_search_by(|&(lo, hi)| {
        if hi < c {
            std::cmp::Ordering::Less
        } else if lo > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    })
    .is_ok()
}

/// `text.split_whitespace().count()` for a text whose only white space is ASCII: the bytes that
/// start a run of non-space bytes, eight bytes at a time ([`space_lanes`]).
fn count_ascii_words(b: &[u8]) -> usize {
    // The high bit of lane 0 says whether the byte before the word is a space (the text start
    // counts as one).
    let mut prev: u64 = 0x80;
    let mut n = 0;
    let mut chunks = b.chunks_exact(8);
    for w in &mut chunks {
        let sp = space_lanes(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        n += ((sp << 8 | prev) & !sp & LANE_HI).count_ones() as usize;
        prev = sp >> 56;
    }
    let mut before = prev != 0;
    for &x in chunks.remainder() {
        let s = is_ascii_space(x);
        n += usize::from(before && !s);
        before = s;
    }
    n
}

/// The white space of `split_whitespace` among ASCII bytes: space, tab, line feed, vertical tab,
/// form feed, carriage return.
#[inline(always)]
fn is_ascii_space(x: u8) -> bool {
    x == b' ' || (b'\t'..=b'\r').contains(&x)
}

/// The high bit of each byte lane of `x` set exactly where the byte [`is_ascii_space`]. Each lane
/// is computed from its low seven bits plus a constant below 0x80, so no carry crosses lanes;
/// bytes of 0x80 and above are masked out at the end.
#[inline(always)]
fn space_lanes(x: u64) -> u64 {
    let low = x & LANE_LO7;
    // Not 0x20: the xor is non-zero in its low seven bits (0x20 has no high bit).
    let t = (x ^ (LANE_LO * 0x20)) & LANE_LO7;
    let not_space = t.wrapping_add(LANE_LO7);
    (!not_space | (at_least(low, 9) & !at_least(low, 14))) & !x & LANE_HI
}

/// One automaton pass for the literal renderings ([`LITERAL_SIGNALS`]) and the weak phrases:
/// every occurrence of either list (ASCII case-insensitive), from which both counts are rebuilt
/// with their own semantics: the regex's leftmost-first non-overlapping matches on Unicode word
/// boundaries, and the phrases' leftmost-longest non-overlapping matches of which the whole-word
/// ones count (at most two per phrase). Returns (literal matches, weak signals).
fn phrase_counts(text: &str) -> (usize, usize) {
    PHRASE_BUFS.with(|bufs| {
        let (lit, phr) = &mut *bufs.borrow_mut();
        lit.clear();
        phr.clear();
        phrase_counts_in(text, lit, phr)
    })
}

thread_local! {
    /// [`phrase_counts`]'s lists of occurrences, kept per thread so that a call does not grow
    /// them from empty (they hold nothing between calls).
    #[allow(clippy::type_complexity)]
    static PHRASE_BUFS: std::cell::RefCell<(Vec<(usize, usize)>, Vec<(usize, usize, usize)>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// [`phrase_counts`] with its (empty) lists of occurrences given.
fn phrase_counts_in(
    text: &str,
    lit: &mut Vec<(usize, usize)>,
    phr: &mut Vec<(usize, usize, usize)>,
) -> (usize, usize) {
    let p = &*PHRASES;
    let b = text.as_bytes();
    p.search.for_each(b, |start, end, id| {
        if id < p.n {
            phr.push((start, usize::MAX - end, id));
        } else if !scan::word_char_before(text, start) && !scan::word_char_at(text, end) {
            lit.push((start, end));
        }
    });
    // The regex's case folding also matches "ſ" for "s" and the Kelvin sign for "k": with either
    // in the text, count the literal renderings with the regex itself.
    let literal = if p.fold.find(b).is_some() || p.kelvin.find(b).is_some() {
        count_by_lines(&LITERAL_SIGNALS, text)
    } else {
        lit.sort_unstable();
        let mut pos = 0;
        let mut n = 0;
        for &(s, e) in lit.iter() {
            if s >= pos {
                n += 1;
                pos = e;
            }
        }
        n
    };
    phr.sort_unstable();
    let mut per = vec![0u8; p.n];
    let mut pos = 0;
    for &(s, rev_end, id) in phr.iter() {
        if s < pos {
            continue;
        }
        let e = usize::MAX - rev_end;
        pos = e;
        let whole = (s == 0 || !b[s - 1].is_ascii_alphanumeric())
            && (e == b.len() || !b[e].is_ascii_alphanumeric());
        if whole {
            let c = &mut per[id];
            *c = (*c + 1).min(2);
        }
    }
    (literal, per.iter().map(|&c| c as usize).sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

    /// All three of [`WORD_SIGNAL_PATTERNS`], compiled.
    static ALL_WORD_SIGNALS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        WORD_SIGNAL_PATTERNS
            .iter()
            .map(|p| Regex::new(p).unwrap())
            .collect()
    });

    /// `lanes` sets exactly the high bits of the byte lanes where `want` holds: every byte in
    /// every lane, the other lanes filled with each of `fills`.
    fn assert_lanes(lanes: fn(u64) -> u64, want: fn(u8) -> bool, fills: [u8; 8]) {
        for c in 0u8..=255 {
            for k in 0..8 {
                for fill in fills {
                    let mut w = [fill; 8];
                    w[k] = c;
                    let got = lanes(u64::from_le_bytes(w));
                    assert_eq!(got & !0x8080_8080_8080_8080, 0);
                    for (j, &x) in w.iter().enumerate() {
                        assert_eq!(got >> (8 * j + 7) & 1 == 1, want(x), "{w:?} lane {j}");
                    }
                }
            }
        }
    }

    #[test]
    fn space_lanes_flag_exactly_the_ascii_spaces() {
        let fills = [b'a', b' ', b'\n', 0xE2, 0x89, 0x8D, 0xA0, 0x7F];
        assert_lanes(space_lanes, is_ascii_space, fills);
    }

    /// Every occurrence, by start then id, as an overlapping automaton search reports them.
    fn automaton_occurrences(pats: &[String], hay: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(pats)
            .unwrap();
        let mut v: Vec<_> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        v.sort_unstable();
        v
    }

    fn shift_occurrences(pats: &[String], hay: &str) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        ShiftSearch::new(pats.iter().map(String::as_str))
            .unwrap()
            .for_each(hay.as_bytes(), |s, e, id| v.push((s, e, id)));
        v
    }

    #[test]
    fn shift_search_finds_what_the_automaton_finds_on_the_fixtures() {
        let rows = phrase_rows();
        let pats: Vec<String> = rows.iter().chain(LITERALS).map(|p| p.to_string()).collect();
        for t in corpus() {
            assert_eq!(
                shift_occurrences(&pats, &t),
                automaton_occurrences(&pats, &t)
            );
            let upper = t.to_uppercase();
            assert_eq!(
                shift_occurrences(&pats, &upper),
                automaton_occurrences(&pats, &upper)
            );
        }
    }

    #[test]
    fn shift_search_refuses_short_patterns_and_too_many_end_keys() {
        assert!(ShiftSearch::new(["ab", "abcdef"]).is_none());
        assert!(ShiftSearch::new(["abc"]).is_some());
        // 26 * 26 patterns of four bytes, each ending on its own key.
        let many: Vec<String> = (b'a'..=b'z')
            .flat_map(|x| (b'a'..=b'z').map(move |y| format!("q{}{}", x as char, y as char)))
            .collect();
        assert!(ShiftSearch::new(many.iter().map(String::as_str)).is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn shift_search_finds_what_the_automaton_finds(
            pats in proptest::collection::vec("[abAB ,'\\x01!AaÉé]{3,9}", 1..8),
            hay in "[abAB ,'\\x01!AaÉé]{0,60}",
        ) {
            proptest::prop_assert_eq!(shift_occurrences(&pats, &hay), automaton_occurrences(&pats, &hay));
        }
    }

    #[test]
    fn maybe_classed_flags_every_classed_byte_and_no_other_outside_the_marks() {
        let fills = [b'a', b' ', b'\n', 0xE2, 0x89, 0x20, 0x40, 0x7F];
        assert_lanes(
            maybe_classed,
            |x| (0x21..=0x3F).contains(&x) || x >= 0xC0,
            fills,
        );
        for x in 0u8..=255 {
            assert!(CLASS[x as usize] == 0 || (0x21..=0x3F).contains(&x) || x >= 0xC0);
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_word_count_is_split_whitespace_count(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', b'.', 0x1F, 0x21]),
                0..40,
            )
        ) {
            let text = String::from_utf8(bytes).unwrap();
            proptest::prop_assert_eq!(count_ascii_words(text.as_bytes()), text.split_whitespace().count());
        }
    }

    #[test]
    fn ascii_word_count_on_the_fixtures() {
        for t in crate::rules::testing::fixture_texts() {
            if !t.chars().any(|c| c.is_whitespace() && !c.is_ascii()) {
                assert_eq!(
                    count_ascii_words(t.as_bytes()),
                    t.split_whitespace().count()
                );
            }
        }
    }

    static SIGNALS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"\w [,、.;:!?] ",
            r"[A-Za-z] ?[、，。：；《》（）]",
            r"[a-z] ?\. ?,",
            r"(?i:xinhua|china news service|people's daily)[^\n]{0,40}\((?:Reuters)\)",
            r"(?m)^[ \t]*Reporter[ \t]*[|｜]",
            r"[(（] ?The reporter",
            r"“ | ”",
        ]
        .iter()
        .map(|p| Regex::new(p).unwrap())
        .collect()
    });

    static CAP_AFTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:[,、;]|\d) ?([A-Z][a-z]+) [a-z]").unwrap());

    static REF_PHRASES: LazyLock<(AhoCorasick, usize)> = LazyLock::new(|| {
        let rows = phrase_rows();
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(&rows)
            .unwrap();
        (ac, rows.len())
    });

    /// The score as first written: one regex or automaton scan per signal.
    fn reference_artifact_score(text: &str) -> f64 {
        let words = text.split_whitespace().count().max(1);
        let strong: usize = SIGNALS
            .iter()
            .map(|r| r.find_iter(text).count())
            .sum::<usize>()
            + ALL_WORD_SIGNALS
                .iter()
                .map(|r| count_words(r, text))
                .sum::<usize>()
            + count_by_lines(&LITERAL_SIGNALS, text);
        let caps = CAP_AFTER
            .captures_iter(text)
            .filter(|c| {
                let w = c.get(1).unwrap().as_str();
                !NOT_SIGNAL.contains(&w) && COMMON.contains(w)
            })
            .count();
        let (ac, n) = &*REF_PHRASES;
        let mut per = vec![0u8; *n];
        let b = text.as_bytes();
        for m in ac.find_iter(text) {
            let whole = (m.start() == 0 || !b[m.start() - 1].is_ascii_alphanumeric())
                && (m.end() == b.len() || !b[m.end()].is_ascii_alphanumeric());
            if whole {
                let c = &mut per[m.pattern().as_usize()];
                *c = (*c + 1).min(2);
            }
        }
        let weak: usize = per.iter().map(|&c| c as usize).sum();
        (strong + caps) as f64 * 100.0 / words as f64 + weak as f64 * 50.0 / words.max(200) as f64
    }

    /// Every fixture text and the tests' clean texts.
    fn corpus() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut all: Vec<String> = CLEAN.iter().map(|t| t.to_string()).collect();
        for sub in ["seeds", "holdout/raw", "clean", "lang"] {
            for e in std::fs::read_dir(format!("{dir}/{sub}")).unwrap().flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    all.push(t);
                }
            }
        }
        all
    }

    fn same(t: &str) {
        let (a, r) = (artifact_score(t), reference_artifact_score(t));
        assert_eq!(a.to_bits(), r.to_bits(), "{a} vs {r} on {t:?}");
    }

    #[test]
    fn same_score_as_the_reference_on_the_fixtures() {
        let all = corpus();
        assert!(all.len() > 20, "{}", all.len());
        for t in &all {
            same(t);
            // Each line alone, and the text with CRLF line ends.
            for l in t.lines() {
                same(l);
            }
            same(&t.replace('\n', "\r\n"));
        }
    }

    #[test]
    fn same_score_as_the_reference_on_edge_inputs() {
        let texts = [
            "",
            " ",
            "     ",
            "\n\n\n",
            "\r\n\r\n",
            "、",
            "、\n、\n、、、\n",
            " 、 ",
            "a 、 b 、 c",
            "é 、 é , x . y ; z : w ! v ? u ",
            "a , , b . . c",
            "a ., b., c . , d.,",
            "“ ” “ ” “ ”“ x ”",
            "x “ ” y\n“ a ”",
            "5 The 5The 5 Theé é5 The ５ The x５5 The 5５5 The 12 The",
            "12 An apple, 3 Allé, 4 All, 5 A, 6 Anx, 7 Left and right, 8 Ten thousand, 9 One hundred million",
            "٣ The, ٣5 The, 5٣ The",
            "In 2020, The Beatles and 91 Employees return , Carrying bags 、 Dragging luggage",
            "a５ Company is here, ５Company is here",
            "xinhua news agency XINHUA NEWS AGENCY Xinhua Newſ Agency in my country's in my country",
            "left and right left and rightx éleft and right KELVIN",
            "Xinhua News Agency (Reuters) Reporter | Li\n  Reporter｜Wang\n(The reporter （ The reporter",
            "it is necessary to do a good job at present so as to ensure at presently xat present",
            "resumption of work and production resume work and productions work and production",
            "said. then said. then. more éabc. def. ghi",
            "abc. defG xabc. def_ Xabc. def 5abc. def abc. def5 ab. cde abcd. efg. hij. klm. nop",
            "_abc. def é. abc. déf abc.  def abc. defé abc. def\nabc. def",
            "2022 year 5 month 12 day, 5 month 3é",
            "中文，English。Text：中（English）《Book》",
            "A\u{3000}B\u{a0}C\u{2003}D\u{85}E\u{1680}F",
            "\u{3000}\u{3000}",
            "word\u{202F}word\u{205F}word\u{2028}\u{2029}x",
        ];
        for t in texts {
            same(t);
        }
    }

    fn check_pieces(
        pieces: &[&str],
        parts: &[usize],
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let t: String = parts.iter().map(|&i| pieces[i % pieces.len()]).collect();
        let (a, r) = (artifact_score(&t), reference_artifact_score(&t));
        proptest::prop_assert_eq!(a.to_bits(), r.to_bits(), "{} vs {} on {:?}", a, r, t);
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn same_score_as_the_reference_on_generated_text(
            parts in proptest::collection::vec(0usize..1000, 0..40)
        ) {
            check_pieces(PIECES, &parts)?;
        }

        #[test]
        fn same_score_as_the_reference_on_generated_marks(
            parts in proptest::collection::vec(0usize..1000, 0..30)
        ) {
            check_pieces(MARKS, &parts)?;
        }
    }

    /// A small alphabet of single marks and their neighbours, so that short runs of them (" “ ",
    /// "a . ,", "5 The") come up often.
    const MARKS: &[&str] = &[
        " ", " ", " ", "a", "é", "5", "５", "The", "Company", "x", ",", ".", "、", "，", "“", "”",
        "\n", "A",
    ];

    /// The pieces the generated texts are made of: the signals' parts and their neighbours.
    const PIECES: &[&str] = &[
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "\u{3000}",
        "\u{a0}",
        "a",
        "x",
        "é",
        "ß",
        "_",
        "中",
        "5",
        "12",
        "2022",
        "５",
        "٣",
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        "、",
        "，",
        "。",
        "《",
        "》",
        "（",
        "）",
        "(",
        ")",
        "“",
        "”",
        "|",
        "｜",
        "'",
        "-",
        "The",
        "A",
        "An",
        "All",
        "Home",
        "Individual",
        "Left and right",
        "Thousands",
        "Ten thousand",
        "One hundred million",
        "Company",
        "Employees",
        "Carrying",
        "Some",
        "Bring",
        "I",
        "year",
        "month",
        "said",
        "then",
        "xinhua",
        "Xinhua",
        " news agency",
        "in my country",
        "my country's",
        "ſ",
        "K",
        "left and right",
        "changjiang delta",
        "people's daily client",
        "news agency client",
        "(Reuters)",
        "Reporter",
        "The reporter",
        "at present",
        "so as to",
        "work and production",
        "resumption of work and production",
        "prevention and control",
        "all-round",
        "strive to",
    ];

    #[test]
    fn literal_folding_needs_only_two_non_ascii_letters() {
        // The fast path of `phrase_counts` assumes the regex's `(?i)` matches no non-ASCII
        // character for an ASCII letter other than "ſ" and the Kelvin sign.
        let re = Regex::new(r"(?i)^[a-z]$").unwrap();
        let odd: Vec<char> = (0x80..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| re.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(odd, ['\u{17F}', '\u{212A}']);
    }

    #[test]
    fn digit_class_is_the_regex_one() {
        let re = Regex::new(r"^\d$").unwrap();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                is_digit(c),
                re.is_match(c.encode_utf8(&mut [0; 4])),
                "{c:?}"
            );
        }
    }

    /// Clean English news in several styles: none of it may reach the default gate.
    pub const CLEAN: &[&str] = &[
        "Japan's exports rose 5% in May, the ministry said on Tuesday.",
        "LONDON, May 3 (Reuters) - British shares fell on Tuesday as investors weighed the outlook for interest rates. \
         The FTSE 100 index closed 0.4% lower, with miners among the biggest losers. In 2020, The Beatles' catalogue \
         sold well, and 3 Doors Down toured. Analysts said the market was likely to stay volatile at present, \
         though some expected a rebound in the second half of the year.",
        "The city council approved the budget on Monday. Under the plan, spending on schools will rise by 3 percent, \
         while road repairs get an extra $2 million. \"We have to do a good job for the people who live here,\" the \
         mayor said. Critics argued that the plan did not go far enough, and said they would press for more changes \
         so as to protect local libraries. The vote was 7 to 2.",
        "Scientists in Shanghai and Beijing reported on Wednesday that a new battery design could double the range of \
         electric cars. The team, led by Professor Li Wei, said the cells were cheaper to make than current designs. \
         Several Chinese carmakers, including BYD and Nio, have shown interest. The findings were published in the \
         journal Nature. Production could start within three years, the researchers said, if tests go well.",
        "My country is my home, she wrote in her memoir. In it she recalls 12 Chinese cities she visited as a young \
         reporter, and the people she met along the way. The book, published by Penguin, runs to 400 pages.",
    ];

    /// The word signals as first written, with Unicode `\b`.
    fn unicode_word_signals() -> Vec<Regex> {
        [
            r"\b\d{1,4} (?:year|month) \d{1,2}\b",
            r"\b\d+ (?:The|All|A|An|Home|Individual|Left and right|Thousands|Ten thousand|One hundred million)\b",
            r"\b[a-z]{3,}\. [a-z]{3,}\b",
        ]
        .iter()
        .map(|p| Regex::new(p).unwrap())
        .collect()
    }

    #[test]
    fn ascii_boundaries_count_like_unicode_ones() {
        let texts = [
            "",
            "5 month 3, 2022 year 5 month 12 The x",
            "é5 month 3 5 month 3é, said. then, 91 Employees 3 Home",
            "Ünited said. thenß abc. déf 300 Home enterprises",
            "中5 month 3中 12 The 中文 said. then",
            "x_5 month 3 _said. then 7 Thousands",
        ];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut all: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        for sub in ["seeds", "clean", "lang"] {
            for e in std::fs::read_dir(format!("{dir}/{sub}")).unwrap().flatten() {
                all.push(std::fs::read_to_string(e.path()).unwrap());
            }
        }
        for t in &all {
            for (a, u) in ALL_WORD_SIGNALS.iter().zip(unicode_word_signals()) {
                assert_eq!(count_words(a, t), u.find_iter(t).count(), "{t:.80} {u}");
            }
        }
    }

    #[test]
    fn counting_by_lines_is_counting() {
        let texts = [
            "",
            "\n",
            "5 month 3\n",
            "“5 month 3”\n\n12 The x\nabc. def\n",
            "in my country\nIn My Country 中\nxinhua news agency\n5 year 6",
            "é5 month 3 ５ month ３ 5 month 3é\nsaid. then\n\n",
        ];
        for t in texts {
            let r = &*LITERAL_SIGNALS;
            assert_eq!(count_by_lines(r, t), r.find_iter(t).count(), "{t:?} {r}");
        }
    }

    #[test]
    fn clean_english_stays_below_the_gate() {
        for t in CLEAN {
            let s = artifact_score(t);
            assert!(
                s <= crate::Config::default().zh_en_min_score / 2.0,
                "{s}: {t}"
            );
        }
        assert_eq!(
            artifact_score("Japan's exports rose 5% in May, the ministry said on Tuesday."),
            0.0
        );
    }

    #[test]
    fn machine_translation_scores_high() {
        let s = "Shanghai 5 month 3 , The company has 91 Employees return to work , Carrying a schoolbag 、 Dragging luggage";
        assert!(artifact_score(s) > 5.0, "{}", artifact_score(s));
        let s = "Xin Guobin said that the regions are the most developed in my country, and the resumption of work and \
                 production is the top priority. It is necessary to do a good job in epidemic prevention and control, \
                 and has achieved results so far. effectiveness.";
        assert!(artifact_score(s) > 5.0, "{}", artifact_score(s));
    }

    #[test]
    fn seeds_score_well_above_the_gate() {
        let gate = crate::Config::default().zh_en_min_score;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let s = artifact_score(&text);
            eprintln!("{}: {s:.2}", e.path().display());
            assert!(s >= 1.5 * gate, "{}: {s}", e.path().display());
        }
    }
}
