//! Line helpers shared by the `structure` rules (not a rule): line lists, the span that removes a
//! whole line, punctuation-insensitive phrase matching at a line's start or end, and the word
//! overlap used to recognize a second copy of the title.

use crate::text::chars::{is_cjk_letter, line_ranges};
use crate::text::Span;

/// Lines longer than this (bytes) are article paragraphs, never page chrome: the cheap prefilter
/// every chrome rule applies first.
pub const MAX_CHROME_LINE: usize = 400;

/// Byte ranges of all lines (blank ones included), without their `\n`.
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    line_ranges(text).collect()
}

/// True when the line holds only whitespace.
pub fn is_blank(text: &str, l: (usize, usize)) -> bool {
    let s = &text[l.0..l.1];
    // Most lines start with a printable ASCII char: no Unicode trimming needed to see them filled.
    if s.as_bytes().first().is_some_and(|&b| solid(b)) {
        return false;
    }
    s.trim().is_empty()
}

/// Whether byte `b` is an ASCII char that is not whitespace (so [`str::trim`] stops at it).
#[inline]
fn solid(b: u8) -> bool {
    b < 0x80 && !matches!(b, b' ' | b'\t'..=b'\r')
}

/// Whether `s` starts and ends with an ASCII char that is not whitespace: then it is its own
/// trim, seen without decoding chars (as for most lines).
#[inline]
fn solid_ends(s: &str) -> bool {
    let b = s.as_bytes();
    matches!((b.first(), b.last()), (Some(&f), Some(&l)) if solid(f) && solid(l))
}

/// `s.trim()`, with [`solid_ends`]' fast path.
#[inline]
pub fn trim_line(s: &str) -> &str {
    if solid_ends(s) {
        s
    } else {
        s.trim()
    }
}

/// The trimmed text of a line and the byte offset where the trimmed text starts.
pub fn trimmed(text: &str, l: (usize, usize)) -> (&str, usize) {
    let s = &text[l.0..l.1];
    if solid_ends(s) {
        return (s, l.0);
    }
    let t = s.trim_start();
    let off = l.0 + (s.len() - t.len());
    (t.trim_end(), off)
}

/// Index (into `lines`) of the first non-blank line at or after `from`.
pub fn next_content(text: &str, lines: &[(usize, usize)], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !is_blank(text, lines[j]))
}

/// The span that removes line `i` whole, keeping one paragraph break between its neighbours: the
/// line and the blank lines after it; for the last non-blank line, the blank lines before it and
/// everything to the end of the text (so the text still ends with the previous line's newline).
/// `None` when the line is the only non-blank line (a document is never emptied).
pub fn removal_span(text: &str, lines: &[(usize, usize)], i: usize) -> Option<Span> {
    if let Some(j) = next_content(text, lines, i + 1) {
        return Some(Span::new(lines[i].0, lines[j].0));
    }
    let k = (0..i).rev().find(|&k| !is_blank(text, lines[k]))?;
    let start = (lines[k].1 + 1).min(text.len());
    Some(Span::new(start, text.len()))
}

/// A matching key: lower case, every run of non-alphanumeric characters one space, trimmed.
pub fn norm_key(s: &str) -> String {
    let mut out = String::new();
    norm_key_into(s, &mut out);
    out
}

/// [`norm_key`] written into `out` (cleared first), so a caller can reuse one buffer.
///
/// ASCII bytes and CJK ideographs (U+4E00..=U+9FFF: all letters that lower-case to themselves)
/// are handled without the Unicode tables; everything else goes the general way.
pub fn norm_key_into(s: &str, out: &mut String) {
    norm_key_prefix(s, out, usize::MAX);
}

/// [`norm_key`] of `s` into `out` (cleared first), stopping as soon as the key is longer than
/// `cap` bytes. True when `out` holds the whole key; false when it holds a prefix of the key
/// longer than `cap` (so no phrase of at most `cap` bytes equals the key, and `starts_with` tests
/// of such phrases against the prefix answer as they would against the whole key).
pub fn norm_key_prefix(s: &str, out: &mut String, cap: usize) -> bool {
    norm_key_within(s, out, cap, None)
}

/// Key lengths (bytes) at which [`norm_key_within`] asks whether the key can still begin a
/// phrase: one check soon, one later.
const KNOWN_CHECKS: [usize; 2] = [4, 16];

/// Sorted, distinct phrase keys: whether a key's prefix begins one of them.
#[derive(Debug, Default)]
pub struct Phrases {
    keys: Vec<String>,
    /// The first 4 bytes of each key of 4 bytes or more (see [`head4`]), sorted and distinct: a
    /// prefix of 4 bytes or more begins a key only if its own first 4 bytes are here.
    heads: Vec<u32>,
}

/// The first 4 bytes of `s` as one number (`None` when `s` is shorter).
fn head4(s: &str) -> Option<u32> {
    Some(u32::from_le_bytes(s.as_bytes().get(..4)?.try_into().ok()?))
}

impl Phrases {
    /// The set of `keys` (empty ones dropped).
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a String>) -> Phrases {
        let mut v: Vec<String> = keys
            .into_iter()
            .filter(|k| !k.is_empty())
            .cloned()
            .collect();
        v.sort_unstable();
        v.dedup();
        let mut heads: Vec<u32> = v.iter().filter_map(|k| head4(k)).collect();
        heads.sort_unstable();
        heads.dedup();
        Phrases { keys: v, heads }
    }

    /// True when some phrase starts with `p`.
    pub fn begun_by(&self, p: &str) -> bool {
        if let Some(h) = head4(p) {
            if self.heads.binary_search(&h).is_err() {
                return false;
            }
            if p.len() == 4 {
                return true;
            }
        }
        // The phrases starting with `p` come first among those not below `p`.
        let i = self.keys.partition_point(|x| x.as_str() < p);
        self.keys.get(i).is_some_and(|x| x.starts_with(p))
    }
}

/// [`norm_key_prefix`] that also stops (false) as soon as the key's prefix in `out` begins none
/// of `known` (checked at a few lengths, see [`KNOWN_CHECKS`]). Such a prefix answers every
/// `starts_with` test against a phrase of `known` as the whole key would (a phrase no longer
/// than it is its prefix or not; a longer one cannot be the key's start), and the key equals none
/// of them: callers that only test `known` phrases against the key's start (and look up the
/// whole key only when true is returned) get the same answers with less work.
pub fn norm_key_within(s: &str, out: &mut String, cap: usize, known: Option<&Phrases>) -> bool {
    let mut checks = if known.is_some() {
        &KNOWN_CHECKS[..]
    } else {
        &[][..]
    };
    // The next length to check `out` at (`usize::MAX`: none left); a check past `cap` is never
    // reached, so one comparison per char stands for both tests while no check is due.
    let mut next_check = checks.first().copied().unwrap_or(usize::MAX);
    let mut stop_at = next_check.min(cap.saturating_add(1));
    out.clear();
    out.reserve(s.len());
    let mut space = false;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            i += 1;
            if x.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(x.to_ascii_lowercase() as char);
            } else {
                space = true;
                continue;
            }
        } else {
            let c = s[i..].chars().next().expect("char boundary");
            i += c.len_utf8();
            let ideograph = ('\u{4E00}'..='\u{9FFF}').contains(&c);
            if ideograph || c.is_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                if ideograph {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
            } else {
                space = true;
                continue;
            }
        }
        if out.len() >= stop_at {
            if out.len() > cap {
                return false;
            }
            // A check is due: `out` reached `next_check`.
            checks = &checks[1..];
            next_check = checks.first().copied().unwrap_or(usize::MAX);
            stop_at = next_check.min(cap.saturating_add(1));
            if known.is_some_and(|k| !k.begun_by(out)) {
                return false;
            }
        }
    }
    true
}

/// Whether [`norm_key`] of `s` ends with `piece`, found walking back from the end of `s` without
/// building the key: runs of other chars between letters and digits stand for one space.
pub fn key_ends_with(s: &str, piece: &str) -> bool {
    let mut want = piece.chars().rev().peekable();
    // A run of non-alphanumeric chars after (in text order) a letter or digit already seen.
    let mut gap = false;
    let mut started = false;
    for c in s.chars().rev() {
        if want.peek().is_none() {
            return true;
        }
        if !c.is_alphanumeric() {
            gap = started;
            continue;
        }
        if gap {
            if want.next() != Some(' ') {
                return false;
            }
            gap = false;
        }
        started = true;
        for lc in c.to_lowercase().rev() {
            match want.next() {
                None => return true,
                Some(w) if w == lc => {}
                Some(_) => return false,
            }
        }
    }
    want.peek().is_none()
}

/// [`norm_key`] char by char (any text): the plain rules the fast path is tested against.
#[cfg(test)]
fn norm_key_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// [`norm_key`] of ASCII text, byte by byte.
#[cfg(test)]
fn norm_key_ascii(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut space = false;
    for &b in s {
        if b.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            out.push(b.to_ascii_lowercase());
        } else {
            space = true;
        }
    }
    String::from_utf8(out).expect("ASCII")
}

/// Matches the normalized phrase `want` (see [`norm_key`], as chars in stream order) against the
/// start of `chars` (a raw line's characters with their byte offsets, forwards or backwards).
/// Returns the byte offset just past the matched text (forwards: after its last char; backwards:
/// at its first char). The match must end on a word boundary unless CJK letters meet there.
fn match_stream<I, W>(
    mut chars: std::iter::Peekable<I>,
    mut want: std::iter::Peekable<W>,
    backwards: bool,
) -> Option<usize>
where
    I: Iterator<Item = (usize, char)>,
    W: Iterator<Item = char>,
{
    want.peek()?;
    let mut space = false;
    let mut started = false;
    while let Some((i, c)) = chars.next() {
        if !c.is_alphanumeric() {
            space = started;
            continue;
        }
        if space {
            if want.next() != Some(' ') {
                return None;
            }
            space = false;
        }
        started = true;
        let ok = if backwards {
            c.to_lowercase().rev().all(|lc| want.next() == Some(lc))
        } else {
            c.to_lowercase().all(|lc| want.next() == Some(lc))
        };
        if !ok {
            return None;
        }
        if want.peek().is_none() {
            let boundary = match chars.peek() {
                None => true,
                Some(&(_, n)) => !n.is_alphanumeric() || is_cjk_letter(n) || is_cjk_letter(c),
            };
            if !boundary {
                return None;
            }
            return Some(if backwards { i } else { i + c.len_utf8() });
        }
    }
    None
}

/// If `line` opens with the phrase `key` (normalized), the byte offset just after it.
pub fn match_start(line: &str, key: &str) -> Option<usize> {
    match_stream(
        line.char_indices().peekable(),
        key.chars().peekable(),
        false,
    )
}

/// If `line` closes with the phrase `key` (normalized), the byte offset where it starts.
pub fn match_end(line: &str, key: &str) -> Option<usize> {
    match_stream(
        line.char_indices().rev().peekable(),
        key.chars().rev().peekable(),
        true,
    )
}

/// Separators that make a phrase at the start of a line a label ("Image source: ...").
pub fn is_label_sep(c: char) -> bool {
    matches!(
        c,
        ':' | '：'
            | '|'
            | '｜'
            | '丨'
            | '['
            | '【'
            | '('
            | '（'
            | '>'
            | '＞'
            | '»'
            | '›'
            | '©'
            | '/'
            | '／'
    )
}

/// Breadcrumb path separators.
pub fn is_crumb_sep(c: char) -> bool {
    matches!(c, '>' | '＞' | '»' | '›' | '→' | '〉')
}

/// True when `s` holds a breadcrumb separator ([`is_crumb_sep`]) or a colon (`:`, `：`).
pub fn has_crumb_mark(s: &str) -> bool {
    // '»' C2, '›' '→' E2, '＞' '：' EF, '〉' E3.
    has_mark(s, [b'>', b':', b':'], &[0xC2, 0xE2, 0xEF, 0xE3], |c| {
        is_crumb_sep(c) || c == '：'
    })
}

/// True when `s` holds a separator that may follow a kept label: `:` `：` `|` `｜` `丨` `/` `／`.
pub fn has_label_mark(s: &str) -> bool {
    // '：' '｜' '／' EF, '丨' E4.
    has_mark(s, [b':', b'|', b'/'], &[0xE4, 0xEF], |c| {
        matches!(c, '：' | '｜' | '丨' | '／')
    })
}

/// True when `s` holds one of the marks: the ASCII ones `ascii` by a byte search, the others
/// (`is_mark`, each starting with one of the bytes `leads`) by a byte search for those lead bytes
/// (three at a time) and a look at the char each one starts.
#[inline(always)]
fn has_mark(s: &str, ascii: [u8; 3], leads: &[u8], is_mark: impl Fn(char) -> bool) -> bool {
    let b = s.as_bytes();
    if memchr::memchr3(ascii[0], ascii[1], ascii[2], b).is_some() {
        return true;
    }
    if s.is_ascii() {
        return false;
    }
    leads.chunks(3).any(|g| {
        let at = |k: usize| g.get(k).copied().unwrap_or(g[0]);
        // A lead byte (at least 0xC0) starts a char, so `i` is a char boundary.
        memchr::memchr3_iter(at(0), at(1), at(2), b)
            .any(|i| s[i..].chars().next().is_some_and(&is_mark))
    })
}

/// The text after a label ending at `at`: `Some(rest)` when a label separator (or the end of the
/// line) follows; the rest is trimmed of spaces and separators.
pub fn after_label(line: &str, at: usize, seps: fn(char) -> bool) -> Option<&str> {
    let rest = line[at..].trim_start();
    match rest.chars().next() {
        None => Some(""),
        Some(c) if seps(c) => Some(
            rest.trim_start_matches(|c: char| seps(c) || c.is_whitespace())
                .trim_end(),
        ),
        _ => None,
    }
}

/// A set of [`sim_tokens`].
pub type Tokens = crate::text::scan::FxHashSet<String>;

/// Tokens for comparing a line with the title: Latin words of 3+ letters (lower case), digits, and
/// CJK character bigrams (a lone CJK letter is a token by itself).
pub fn sim_tokens(s: &str) -> Tokens {
    let mut scratch = Scratch::default();
    scratch.tokenize(s);
    scratch.tokens().map(str::to_string).collect()
}

/// Reusable buffers for [`sim_tokens`]-style tokens: every token's text in one string, so a line
/// is compared with the title without allocating per token.
#[derive(Default)]
pub struct Scratch {
    buf: String,
    toks: Vec<Tok>,
    /// Hashes of a line's tokens the title lacks (in [`Scratch::copy_of_distinct`]).
    misses: Vec<u64>,
}

/// One token: its hash and where its text lies in [`Scratch::buf`].
#[derive(Clone, Copy)]
struct Tok {
    hash: u64,
    start: usize,
    end: usize,
}

/// The hash of a token, for telling tokens apart quickly (equal hashes need not mean equal
/// tokens).
fn token_hash(tok: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::text::scan::FxHasher::default();
    h.write(tok.as_bytes());
    h.finish()
}

/// The order [`Scratch::distinct`] sorts tokens in: by hash, then by text (`a` from `buf_a`, `b`
/// from `buf_b`).
fn tok_cmp(buf_a: &str, a: &Tok, buf_b: &str, b: &Tok) -> std::cmp::Ordering {
    a.hash
        .cmp(&b.hash)
        .then_with(|| buf_a[a.start..a.end].cmp(&buf_b[b.start..b.end]))
}

impl Scratch {
    /// Tokenizes `s` (replacing what was there): the tokens of [`sim_tokens`], possibly repeated.
    pub fn tokenize(&mut self, s: &str) {
        self.tokenize_while(s, |_, _| true);
    }

    /// [`Scratch::tokenize`] that asks `go_on` after each token (given the buffer and the
    /// tokens so far, the new one last) whether to go on; false stops it there and returns false.
    /// True: every token was taken.
    fn tokenize_while(&mut self, s: &str, mut go_on: impl FnMut(&str, &[Tok]) -> bool) -> bool {
        self.buf.clear();
        self.toks.clear();
        if s.is_ascii() {
            return self.tokenize_ascii(s, go_on);
        }
        let mut word = 0; // start of the current Latin word in buf, when `in_word`
        let mut in_word = false;
        let mut run: [char; 2] = ['\0'; 2]; // the last CJK letters of the current run
        let mut run_len = 0usize;
        for c in s.chars().chain(std::iter::once(' ')) {
            if !c.is_ascii() && is_cjk_letter(c) {
                if in_word {
                    if self.end_word(word) && !go_on(&self.buf, &self.toks) {
                        return false;
                    }
                    in_word = false;
                }
                if run_len >= 1 {
                    let a = self.buf.len();
                    self.buf.push(run[1]);
                    self.buf.push(c);
                    self.push_token(a);
                    if !go_on(&self.buf, &self.toks) {
                        return false;
                    }
                }
                run = [run[1], c];
                run_len += 1;
            } else {
                if run_len == 1 {
                    let a = self.buf.len();
                    self.buf.push(run[1]);
                    self.push_token(a);
                    if !go_on(&self.buf, &self.toks) {
                        return false;
                    }
                }
                run_len = 0;
                if c.is_alphanumeric() {
                    if !in_word {
                        word = self.buf.len();
                        in_word = true;
                    }
                    if c.is_ascii() {
                        self.buf.push(c.to_ascii_lowercase());
                    } else {
                        self.buf.extend(c.to_lowercase());
                    }
                } else if in_word {
                    if self.end_word(word) && !go_on(&self.buf, &self.toks) {
                        return false;
                    }
                    in_word = false;
                }
            }
        }
        true
    }

    /// [`Scratch::tokenize_while`] of ASCII text: words of 3+ letters or digits, lower-cased.
    fn tokenize_ascii(&mut self, text: &str, mut go_on: impl FnMut(&str, &[Tok]) -> bool) -> bool {
        let s = text.as_bytes();
        let mut i = 0;
        while i < s.len() {
            if !s[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let a = i;
            while i < s.len() && s[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let w = &s[a..i];
            if w.len() >= 3 || w.iter().all(u8::is_ascii_digit) {
                let start = self.buf.len();
                // ASCII: the word's bytes, lower-cased in place.
                self.buf.push_str(&text[a..i]);
                self.buf[start..].make_ascii_lowercase();
                self.push_token(start);
                if !go_on(&self.buf, &self.toks) {
                    return false;
                }
            }
        }
        true
    }

    /// Records `buf[start..]` as a token.
    fn push_token(&mut self, start: usize) {
        let end = self.buf.len();
        self.toks.push(Tok {
            hash: token_hash(&self.buf[start..end]),
            start,
            end,
        });
    }

    /// Keeps the word at `buf[start..]` as a token when it counts (3+ letters, or digits); true
    /// when it does.
    fn end_word(&mut self, start: usize) -> bool {
        let w = &self.buf[start..];
        if w.chars().count() >= 3 || (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())) {
            self.push_token(start);
            true
        } else {
            self.buf.truncate(start);
            false
        }
    }

    /// [`Scratch::tokenize`] of `line` and [`Scratch::same_as_distinct`] with `title`, stopping
    /// early once the line holds more distinct tokens the title lacks than a copy may: a copy
    /// has at least 80% of its distinct tokens in common with the title, so at most a quarter as
    /// many others as common ones, and no more common ones than the title has. Tokens are told
    /// apart by their hashes there: two that share one count once, and a token whose hash is
    /// the title's counts as common, so the early stop comes no sooner than exact counts allow.
    pub fn copy_of_distinct(&mut self, line: &str, title: &Scratch) -> bool {
        let allowed = title.len() / 4;
        let mut misses = std::mem::take(&mut self.misses);
        misses.clear();
        let whole = self.tokenize_while(line, |_, toks| {
            let h = toks.last().expect("a token was just added").hash;
            if title.toks.binary_search_by(|t| t.hash.cmp(&h)).is_ok() || misses.contains(&h) {
                return true;
            }
            misses.push(h);
            misses.len() <= allowed
        });
        self.misses = misses;
        whole && self.same_as_distinct(title)
    }

    /// The tokens found, in order, repeats included (after [`Scratch::distinct`]: the distinct
    /// ones, in its order).
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.toks.iter().map(|t| &self.buf[t.start..t.end])
    }

    /// Sorts the tokens (by hash, then by text: see [`tok_cmp`]) and drops repeats: what is left
    /// is the set of [`sim_tokens`].
    pub fn distinct(&mut self) {
        let buf = &self.buf;
        self.toks.sort_unstable_by(|x, y| tok_cmp(buf, x, buf, y));
        self.toks
            .dedup_by(|x, y| x.hash == y.hash && buf[x.start..x.end] == buf[y.start..y.end]);
    }

    /// How many tokens there are (after [`Scratch::distinct`]: distinct tokens).
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// [`same_as_title`] for the tokens of the last [`Scratch::tokenize`] and the title's tokens
    /// made [`Scratch::distinct`]: both sorted, the tokens in common are counted in one walk.
    pub fn same_as_distinct(&mut self, title: &Scratch) -> bool {
        if title.len() < 3 || self.toks.is_empty() {
            return false;
        }
        self.distinct();
        let (mut i, mut j) = (0, 0);
        let mut common = 0usize;
        while let (Some(x), Some(y)) = (self.toks.get(i), title.toks.get(j)) {
            match tok_cmp(&self.buf, x, &title.buf, y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let (common, distinct) = (common as f64, self.toks.len() as f64);
        common / distinct >= 0.8 && common / title.len() as f64 >= 0.8
    }

    /// [`same_as_title`] for the tokens of the last [`Scratch::tokenize`].
    pub fn same_as_title(&mut self, title: &Tokens) -> bool {
        if title.len() < 3 || self.toks.is_empty() {
            return false;
        }
        self.distinct();
        let distinct = self.toks.len();
        let common = self.tokens().filter(|t| title.contains(*t)).count() as f64;
        common / distinct as f64 >= 0.8 && common / title.len() as f64 >= 0.8
    }
}

/// True when `line` reads as a copy of `title`: at least 80% of each one's tokens occur in the
/// other, and the title has at least 3 tokens.
pub fn same_as_title(line: &Tokens, title: &Tokens) -> bool {
    if title.len() < 3 || line.is_empty() {
        return false;
    }
    let common = line.intersection(title).count() as f64;
    common / line.len() as f64 >= 0.8 && common / title.len() as f64 >= 0.8
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The fast paths of `is_blank`, `trim_line` and `trimmed` answer what `str::trim` does.
    #[test]
    fn trims_agree_with_str_trim() {
        let mut lines: Vec<String> = crate::rules::testing::fixture_texts()
            .iter()
            .flat_map(|t| t.split('\n').map(str::to_string).collect::<Vec<_>>())
            .collect();
        for l in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{85}a",
            "a\u{a0}",
            "\u{3000}x\u{3000}",
            "\x0bx\x0c",
            "\x1cx\x1f",
            "\x00a\x7f",
            "é",
            "aé",
            "éa",
            "\r",
            "a\r",
            "\ta\t",
        ] {
            lines.push(l.to_string());
        }
        for l in &lines {
            let t = l.trim();
            assert_eq!(trim_line(l), t, "{l:?}");
            assert_eq!(is_blank(l, (0, l.len())), t.is_empty(), "{l:?}");
            let (got, off) = trimmed(l, (0, l.len()));
            assert_eq!((got, off), (t, l.len() - l.trim_start().len()), "{l:?}");
        }
    }

    #[test]
    fn keys_and_matching() {
        assert_eq!(norm_key("  Leave a Reply: "), "leave a reply");
        assert_eq!(norm_key("您的位置：首页 > 新闻"), "您的位置 首页 新闻");
        // The ASCII path and the general one agree.
        for s in [
            "",
            " ",
            "--A--b c--",
            "Leave a Reply: ",
            "x1_Y2  z",
            "...",
            "Ab Cd",
        ] {
            assert_eq!(norm_key_ascii(s.as_bytes()), norm_key_chars(s), "{s:?}");
        }
        // The buffered fast path agrees with the plain char-by-char rules.
        for s in [
            "",
            "  Leave a Reply: ",
            "您的位置：首页 > 新闻",
            "上海松江 加快复工复产！ ÀÉÎ İstanbul ΣΑΣ straße Ⱥ x",
            "— “Quoted” 、 12中3 de 中 々〇〆 ｆｕｌｌ ＡＢ ①",
            "鿿一丁 㐀 𠀀 Ab",
        ] {
            let mut buf = String::from("stale");
            norm_key_into(s, &mut buf);
            assert_eq!(buf, norm_key_chars(s), "{s:?}");
        }
        // A capped key is the whole key when short enough, else a prefix longer than the cap.
        for s in [
            "  Leave a Reply: ",
            "您的位置：首页 > 新闻",
            "a, b",
            "İİİ x",
            "",
        ] {
            let full = norm_key(s);
            for cap in 0..full.len() + 2 {
                let mut buf = String::new();
                let whole = norm_key_prefix(s, &mut buf, cap);
                assert!(full.starts_with(&buf), "{s:?} {cap}");
                if whole {
                    assert_eq!(buf, full);
                } else {
                    assert!(buf.len() > cap, "{s:?} {cap}");
                }
                assert_eq!(whole, full.len() <= cap, "{s:?} {cap}");
            }
        }
        // Every CJK ideograph of the fast path is a letter that lower-cases to itself.
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert!(c.is_alphanumeric(), "{c:?}");
            assert!(c.to_lowercase().eq(std::iter::once(c)), "{c:?}");
        }
        assert_eq!(match_start("Image source: X", "image source"), Some(12));
        assert_eq!(match_start("Images sourced", "image source"), None);
        assert_eq!(match_start("您的位置：首页", "您的位置"), Some(12));
        let l = "author[X],Please bring the original link to reprint, thank you.";
        assert_eq!(
            match_end(l, "please bring the original link to reprint thank you"),
            Some(10)
        );
        assert_eq!(
            match_end("not all rights reserved", "rights reserved"),
            Some(8)
        );
        assert_eq!(match_end("copyrights reserved", "rights reserved"), None);
    }

    #[test]
    fn begun_by_answers_as_a_scan() {
        let keys: Vec<String> = [
            "leave a reply",
            "leave",
            "lea",
            "相关阅读",
            "the post",
            "the",
            "share this",
            "您的位置",
            "ab",
            "abcd",
            "abcdef",
        ]
        .map(String::from)
        .to_vec();
        let set = Phrases::new(&keys);
        let mut probes: Vec<String> = crate::rules::testing::fixture_texts()
            .iter()
            .flat_map(|t| t.lines().map(norm_key).collect::<Vec<_>>())
            .collect();
        probes.extend(keys.iter().cloned());
        probes.extend(["leave a", "abcde", "abce", "您的", "the p"].map(String::from));
        for k in &probes {
            for (i, _) in k.char_indices().skip(1).chain([(k.len(), ' ')]) {
                let p = &k[..i];
                assert_eq!(
                    set.begun_by(p),
                    keys.iter().any(|x| x.starts_with(p)),
                    "{p:?}"
                );
            }
        }
    }

    /// `fast` answers as `reference` on each text and on each of its lines.
    fn assert_like_reference(
        fast: fn(&str) -> bool,
        reference: impl Fn(&str) -> bool,
        texts: &[String],
    ) {
        for t in texts {
            assert_eq!(fast(t), reference(t), "{t:?}");
            for l in t.lines() {
                assert_eq!(fast(l), reference(l), "{l:?}");
            }
        }
    }

    #[test]
    fn crumb_marks_bytewise() {
        let reference = |s: &str| s.contains(|c| is_crumb_sep(c) || c == ':' || c == '：');
        let mut texts = crate::rules::testing::fixture_texts();
        texts.extend(
            [
                "",
                "a",
                "a>b",
                "x：y",
                "首页 » 新闻",
                "a › b",
                "a → b",
                "〈a〉",
                "Ａ＞Ｂ",
                "«é»",
                "中文，（）！",
                "ÀÂ",
                "‹a",
                "←",
                "〈",
                "…",
            ]
            .map(String::from),
        );
        assert_like_reference(has_crumb_mark, reference, &texts);
    }

    #[test]
    fn label_marks_bytewise() {
        let reference = |s: &str| s.contains([':', '：', '|', '｜', '丨', '/', '／']);
        let mut texts = crate::rules::testing::fixture_texts();
        texts.extend(
            [
                "",
                "a",
                "a|b",
                "x：y",
                "来源丨新华",
                "a／b",
                "a｜b",
                "1/2",
                "中文，（）！",
                "ÀÂ",
                "一丁",
                "丩",
                "＞",
            ]
            .map(String::from),
        );
        assert_like_reference(has_label_mark, reference, &texts);
    }

    #[test]
    fn key_ends_as_the_key_does() {
        let pieces = [
            "",
            "comments",
            "12 comments",
            "s",
            "appeared first on",
            "on",
            "新闻",
            "版权所有",
            "i̇",
            "x",
            "reserved",
            "thank you",
            "a b",
        ];
        let mut lines: Vec<String> = crate::rules::testing::fixture_texts()
            .iter()
            .flat_map(|t| t.lines().map(String::from).collect::<Vec<_>>())
            .collect();
        lines.extend(
            [
                "",
                " ",
                "12 Comments",
                "12 comments.",
                "comments",
                "nocomments",
                "- comments -",
                "İ",
                "Xİ",
                "x   İ!",
                "您的位置：新闻",
                "A,b",
                "a  b",
                "ab",
                "版权所有©",
            ]
            .map(String::from),
        );
        for l in &lines {
            let key = norm_key(l);
            for p in pieces {
                assert_eq!(key_ends_with(l, p), key.ends_with(p), "{l:?} {p:?}");
            }
        }
    }

    #[test]
    fn removal_spans() {
        let t = "T\n\nchrome\n\nbody\n\nend1\nend2";
        let ls = lines(t);
        assert_eq!(removal_span(t, &ls, 2), Some(Span::new(3, 11)));
        // The last line: from after the previous line's newline to the end.
        assert_eq!(
            removal_span(t, &ls, 7),
            Some(Span::new(t.find("end2").unwrap(), t.len()))
        );
        assert_eq!(removal_span("only\n", &lines("only\n"), 0), None);
    }

    /// The token rules written out plainly, to check [`Scratch`] against.
    fn reference_tokens(s: &str) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut word = String::new();
        let mut run: Vec<char> = Vec::new();
        let flush_word = |w: &mut String, out: &mut HashSet<String>| {
            if w.chars().count() >= 3 || (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit())) {
                out.insert(std::mem::take(w));
            }
            w.clear();
        };
        let flush_run = |r: &mut Vec<char>, out: &mut HashSet<String>| {
            if r.len() == 1 {
                out.insert(r[0].to_string());
            }
            for w in r.windows(2) {
                out.insert(w.iter().collect());
            }
            r.clear();
        };
        for c in s.chars() {
            if is_cjk_letter(c) {
                flush_word(&mut word, &mut out);
                run.push(c);
            } else if c.is_alphanumeric() {
                flush_run(&mut run, &mut out);
                word.extend(c.to_lowercase());
            } else {
                flush_word(&mut word, &mut out);
                flush_run(&mut run, &mut out);
            }
        }
        flush_word(&mut word, &mut out);
        flush_run(&mut run, &mut out);
        out
    }

    #[test]
    fn scratch_tokens_are_the_reference_tokens() {
        for s in [
            "",
            "a",
            "As the machine turns, 12 Shanghai İstanbul ÀÉÎ",
            "上海松江加快复工复产！",
            "中 x 上海abc松江 12中3 de 中",
            "ab2c 7 x1 ΣΑΣ straße",
            "Exports of 12 machine-tools, rose: 5% in MAY x1 ab 12ab",
        ] {
            let mut sc = Scratch::default();
            sc.tokenize(s);
            let got: HashSet<String> = sc.tokens().map(str::to_string).collect();
            assert_eq!(got, reference_tokens(s), "{s:?}");
            assert_eq!(sim_tokens(s).into_iter().collect::<HashSet<_>>(), got);
        }
    }

    #[test]
    fn distinct_tokens_compare_as_sets() {
        let lines = [
            "As the machine turns and the service runs, Shanghai Songjiang accelerates",
            " The machine turns 、 Service runs , Shanghai Songjiang accelerates the the",
            "Shanghai Songjiang accelerates the machine turns",
            "上海松江加快复工复产！",
            "机器转起来 上海松江加快复工复产",
            "上海松江加快复工复产",
            "Various types of enterprises have resumed work and production",
            "12 34 56 abc",
            "abc 12 34",
            "",
        ];
        for t in lines {
            let mut title = Scratch::default();
            title.tokenize(t);
            title.distinct();
            let set = sim_tokens(t);
            assert_eq!(title.len(), set.len(), "{t:?}");
            for l in lines {
                let mut a = Scratch::default();
                a.tokenize(l);
                let mut b = Scratch::default();
                b.tokenize(l);
                let same = a.same_as_distinct(&title);
                assert_eq!(same, b.same_as_title(&set), "{l:?} {t:?}");
                assert_eq!(
                    Scratch::default().copy_of_distinct(l, &title),
                    same,
                    "{l:?} {t:?}"
                );
            }
        }
    }

    #[test]
    fn early_stop_answers_as_the_full_comparison() {
        let texts = crate::rules::testing::fixture_texts();
        let mut copies = 0;
        for t in &texts {
            let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
            // Each of the first lines as the title; every line, and the title with a word
            // dropped, added or repeated, as a candidate copy.
            for title_text in lines.iter().take(3) {
                let mut title = Scratch::default();
                title.tokenize(title_text);
                title.distinct();
                let words: Vec<&str> = title_text.split_whitespace().collect();
                let mut cands: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                for k in 0..words.len() {
                    let mut w = words.clone();
                    w.remove(k);
                    cands.push(w.join(" "));
                    let mut w = words.clone();
                    w.insert(k, "extra");
                    cands.push(w.join(" "));
                    let mut w = words.clone();
                    w.insert(k, words[k]);
                    cands.push(w.join(" "));
                }
                for c in &cands {
                    let mut full = Scratch::default();
                    full.tokenize(c);
                    let same = full.same_as_distinct(&title);
                    assert_eq!(
                        Scratch::default().copy_of_distinct(c, &title),
                        same,
                        "{c:?} {title_text:?}"
                    );
                    copies += usize::from(same);
                }
            }
        }
        assert!(copies > 100, "{copies}");
    }

    #[test]
    fn title_similarity() {
        let t = sim_tokens("As the machine turns and the service runs, Shanghai Songjiang accelerates the resumption of work and production");
        let l = sim_tokens(" The machine turns 、 Service runs , Shanghai Songjiang accelerates the resumption of work and production");
        assert!(same_as_title(&l, &t));
        let h = sim_tokens("Various types of enterprises have resumed work and production");
        assert!(!same_as_title(&h, &t));
        assert!(!same_as_title(
            &sim_tokens("上海松江加快复工复产"),
            &sim_tokens("机器转起来 上海松江加快复工复产")
        ));
        assert!(same_as_title(
            &sim_tokens("上海松江加快复工复产！"),
            &sim_tokens("上海松江加快复工复产")
        ));
    }
}
