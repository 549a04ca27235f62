//! `generic/spacing`: spaces around punctuation, and layout whitespace.
//!
//! **What it fixes.**
//! - no space before `, . ) ”` (and a closing `’` that ends a `‘...’` quote) in Latin-script text,
//!   nor before `; : ! ?` in English (French puts a space there);
//! - no space after an opening `( “ ‘`;
//! - one space after `, ; :` and after a sentence-final `. ! ?` when a word follows
//!   ("moment ,“ go" -> "moment, “go"; "said ,5 month" -> "said, 5 month"; "ended.The" ->
//!   "ended. The"; "busy .( Photo )" -> "busy. (Photo)");
//! - punctuation debris: ". ," -> ","; ", ," -> ","; ". ." -> ".";
//! - layout: no leading spaces on a line, no doubled spaces inside a line, no trailing spaces, at
//!   most one blank line in a row, and a text that ends with newlines ends with exactly one.
//!
//! **Why.** Machine translation and scraping leave token-separated punctuation behind.
//!
//! **Example.** "Sales rose , the firm said ." -> "Sales rose, the firm said."
//!
//! **Not touched.** CJK text (nothing inserted after CJK punctuation, no space removed next to CJK
//! letters); numbers and times ("3.5", "1,200", "15:53:58", "3:1", " .5"); abbreviations ("e.g.",
//! "U.S.", "Co., Ltd.", "a.m."); URLs and e-mail addresses; ellipses (" ...", ". . ."); "!!" and
//! "?!"; German and Polish quotes („...“); a space before `; : ! ?` outside English.

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::chars::{in_cjk_context, line_ranges};
use crate::text::context::{char_at, char_before, in_url_like};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Spacing;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Spacing)
}

const ID: &str = "generic/spacing";

fn fix(out: &mut Vec<Finding>, start: usize, end: usize, rep: &str, msg: &'static str) {
    out.push(Finding::fix(
        ID,
        ArtifactKind::Spacing,
        Span::new(start, end),
        rep,
        Confidence::Certain,
        msg,
    ));
}

/// The run of letters ending at `pos`, as a byte offset where it starts.
fn word_start(t: &str, pos: usize) -> usize {
    let mut a = pos;
    while let Some(c) = char_before(t, a) {
        if !c.is_alphabetic() {
            break;
        }
        a -= c.len_utf8();
    }
    a
}

/// The byte at `i`, if any.
fn b_at(t: &str, i: usize) -> Option<u8> {
    t.as_bytes().get(i).copied()
}

/// True when the word before a full stop at `dot` is an abbreviation ("Co.", "etc.", "U.S.").
fn is_abbreviation(t: &str, dot: usize) -> bool {
    const LOWER: &[&str] = &[
        "etc", "inc", "ltd", "co", "corp", "vs", "no", "approx", "dept", "est", "al", "jr", "sr",
    ];
    let a = word_start(t, dot);
    let w = &t[a..dot];
    if w.is_empty() {
        return false;
    }
    let first_upper = w.chars().next().is_some_and(char::is_uppercase);
    (first_upper && w.chars().count() <= 4)
        || LOWER.iter().any(|l| l.eq_ignore_ascii_case(w))
        || char_before(t, a) == Some('.')
}

/// True when the word before `pos` is a lower-case word of two letters or more (so a full stop
/// after it ends a sentence rather than an abbreviation like "U.S." or "e.g.").
fn lower_word_before(t: &str, pos: usize) -> bool {
    let a = word_start(t, pos);
    let w = &t[a..pos];
    w.chars().count() >= 2
        && w.chars().all(char::is_lowercase)
        && !matches!(char_before(t, a), Some('.' | '/' | '@' | '-' | '_'))
}

/// The block size of [`loud_bits`].
const BLOCK: usize = 64;

/// The loud bytes among the `BLOCK` bytes from `i` on, as bits (bit `j` for byte `i + j`): the
/// byte loop of `check` passes over the others without looking at them. A byte is quiet or loud
/// by itself and its two neighbours (a `\n` stands in for one beyond either end of the text).
/// Such a quiet byte is a single space between an ASCII character other than `(` or a space and
/// an ASCII letter or digit, a `, ; : . ! ?` followed by a space or between two digits ("3.5",
/// "1,200", "15:53": `missing_space` finds nothing there), or any other byte. Written without
/// branches so that it compiles to vector instructions.
fn loud_bits(b: &[u8], i: usize, avx2: bool) -> u64 {
    // Byte `i - 1 + q` of the text at `w[q]`.
    let mut padded = [b'\n'; BLOCK + 2];
    let w: &[u8; BLOCK + 2] = match b.get(i.wrapping_sub(1)..i + BLOCK + 1) {
        Some(all) if i > 0 => all.try_into().unwrap(),
        _ => {
            let (from, to) = (i.saturating_sub(1), b.len().min(i + BLOCK + 1));
            if from < to {
                padded[from + 1 - i..to + 1 - i].copy_from_slice(&b[from..to]);
            }
            &padded
        }
    };
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        // SAFETY: the processor has AVX2 (the caller asked it).
        return unsafe { loud_bits_avx2(w) };
    }
    let _ = avx2;
    loud_bits_in(w)
}

/// [`loud_bits_in`] in AVX2 vector instructions: two 32-byte halves, each byte's answer a lane
/// of all ones or all zeros, gathered to bits by `movemask`.
///
/// # Safety
/// The processor must have AVX2 (an `unsafe fn`: a safe one with `target_feature` needs Rust
/// 1.86, above this crate's 1.80).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn loud_bits_avx2(w: &[u8; BLOCK + 2]) -> u64 {
    use std::arch::x86_64::*;
    let mut bits = 0u64;
    for half in 0..2 {
        // The previous, current and next byte of each lane (unaligned loads inside `w`).
        let at = |k: usize| w.as_ptr().add(32 * half + k).cast::<__m256i>();
        let (p, c, n) = (
            _mm256_loadu_si256(at(0)),
            _mm256_loadu_si256(at(1)),
            _mm256_loadu_si256(at(2)),
        );
        macro_rules! splat {
            ($x:expr) => {
                _mm256_set1_epi8($x as i8)
            };
        }
        macro_rules! eq {
            ($a:expr, $x:expr) => {
                _mm256_cmpeq_epi8($a, splat!($x))
            };
        }
        // `lo..=hi` (ASCII bounds) by signed compares: bytes from 0x80 on are negative.
        macro_rules! within {
            ($a:expr, $lo:expr, $hi:expr) => {
                _mm256_and_si256(
                    _mm256_cmpgt_epi8($a, splat!($lo - 1)),
                    _mm256_cmpgt_epi8(splat!($hi + 1), $a),
                )
            };
        }
        let n_digit = within!(n, b'0', b'9');
        let n_alnum = _mm256_or_si256(
            n_digit,
            within!(_mm256_or_si256(n, splat!(0x20)), b'a', b'z'),
        );
        let p_ascii = _mm256_cmpgt_epi8(p, splat!(-1));
        // `(` and a space are the two bytes that read `(` with bit 3 set.
        let p_open = eq!(_mm256_or_si256(p, splat!(8)), b'(');
        let plain_space = _mm256_andnot_si256(p_open, _mm256_and_si256(p_ascii, n_alnum));
        let space = _mm256_andnot_si256(plain_space, eq!(c, b' '));
        // The six marks have six different low nibbles: a byte is a mark when it equals the
        // mark with its low nibble (`shuffle` looks up each lane's low nibble, and gives 0 for
        // a byte from 0x80 on; 0xFF at nibble 0 keeps a 0 byte out).
        let marks = _mm256_broadcastsi128_si256(_mm_setr_epi8(
            -1, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0x3A, 0x3B, 0x2C, 0, 0x2E, 0x3F,
        ));
        let mark = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(marks, c), c);
        let settled = _mm256_or_si256(
            eq!(n, b' '),
            _mm256_and_si256(within!(p, b'0', b'9'), n_digit),
        );
        let loud = _mm256_or_si256(space, _mm256_andnot_si256(settled, mark));
        bits |= u64::from(_mm256_movemask_epi8(loud) as u32) << (32 * half);
    }
    bits
}

/// [`loud_bits`] of the window `w` (the block and a byte on either side).
#[inline(always)]
fn loud_bits_in(w: &[u8; BLOCK + 2]) -> u64 {
    let mut loud = [0u8; BLOCK];
    for j in 0..BLOCK {
        let (p, c, n) = (w[j], w[j + 1], w[j + 2]);
        let plain_space = (p < 0x80) & (p != b'(') & (p != b' ') & n.is_ascii_alphanumeric();
        let space = (c == b' ') & !plain_space;
        // `, .` and `: ;` differ from each other in one bit.
        let mark = ((c | 2) == b'.') | ((c | 1) == b';') | (c == b'!') | (c == b'?');
        let settled = (n == b' ') | (p.is_ascii_digit() & n.is_ascii_digit());
        loud[j] = u8::from(space | (mark & !settled));
    }
    // Eight bytes of 0 or 1 to eight bits: the product gathers them in its top byte.
    let mut bits = 0;
    for (k, eight) in loud.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(eight.try_into().unwrap());
        bits |= (x.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    bits
}

impl Spacing {
    /// The layout findings of the whole text (what `check` finds line by line).
    #[cfg(test)]
    fn layout(&self, t: &str, out: &mut Vec<Finding>) {
        let mut blank_run = None;
        for (ls, le) in line_ranges(t) {
            self.layout_line(t, ls, le, &mut blank_run, out);
        }
        self.layout_end(t, blank_run, out);
    }

    /// The layout of line `ls..le`: trailing and leading spaces, and the end of a run of blank
    /// lines (`blank_run`: the start of its first line and how many there are).
    fn layout_line(
        &self,
        t: &str,
        ls: usize,
        le: usize,
        blank_run: &mut Option<(usize, usize)>,
        out: &mut Vec<Finding>,
    ) {
        let line = &t[ls..le];
        let kept = line.trim_end_matches([' ', '\t']).len();
        if ls + kept < le {
            fix(out, ls + kept, le, "", "trailing space");
        }
        if kept > 0 {
            let lead = line.len() - line.trim_start_matches(' ').len();
            if lead > 0 {
                fix(out, ls, ls + lead, "", "leading space");
            }
        }
        if le == ls {
            *blank_run = Some(match *blank_run {
                Some((s, n)) => (s, n + 1),
                None => (ls, 1),
            });
        } else if let Some((s, n)) = blank_run.take() {
            if n >= 2 {
                // Keep the last blank line: drop the newlines of the others.
                fix(out, s, ls - 1, "", "several blank lines");
            }
        }
    }

    /// The layout at the end of the text: blank lines there.
    fn layout_end(&self, t: &str, blank_run: Option<(usize, usize)>, out: &mut Vec<Finding>) {
        if let Some((s, _)) = blank_run {
            if t.ends_with('\n') {
                let keep_from = if s == 0 { t.len() - 1 } else { t.len() };
                if s < keep_from {
                    fix(out, s, keep_from, "", "blank lines at the end");
                }
            }
        }
    }

    /// A run of spaces `s..e` inside line `ls..le` (not at either end).
    #[allow(clippy::too_many_arguments)]
    fn space_run(
        &self,
        t: &str,
        ls: usize,
        le: usize,
        s: usize,
        e: usize,
        en: bool,
        out: &mut Vec<Finding>,
    ) {
        let (Some(p), Some(c)) = (char_before(t, s), char_at(t, e)) else {
            return;
        };
        let ce = e + c.len_utf8();
        let n = char_at(t, ce);
        let line = &t[ls..le];
        let cjk = || in_cjk_context(t, s, ce);
        // Debris: ". ," ", ," ". ."
        if matches!(p, '.' | ',') && matches!(c, '.' | ',') {
            if cjk() {
                return;
            }
            match (p, c) {
                (',', ',') => fix(out, s, ce, "", "doubled comma"),
                ('.', ',') => {
                    // The last dot of a spaced ellipsis (". . . ,") is left alone like the rest
                    // of it: taking it would expose the next dot, one per pass.
                    if t[..s - 1].ends_with(". ") || t[..s - 1].ends_with('.') {
                        return;
                    }
                    if is_abbreviation(t, s - 1) {
                        fix(out, s, e, "", "space before comma");
                    } else {
                        fix(out, s - 1, e, "", "full stop before comma");
                    }
                }
                ('.', '.') => {
                    let spaced_ellipsis = n == Some(' ') && char_at(t, ce + 1) == Some('.')
                        || n == Some('.')
                        || t[..s - 1].ends_with(". ")
                        || t[..s - 1].ends_with('.');
                    if !spaced_ellipsis {
                        fix(out, s, ce, "", "doubled full stop");
                    }
                }
                _ => {}
            }
            return;
        }
        let before_closer = match c {
            ',' => !(p.is_ascii_digit() && n.is_some_and(|n| n.is_ascii_digit())),
            '.' => {
                !n.is_some_and(|n| n.is_alphanumeric() || n == '.') && !t[ce..].starts_with(" .")
            }
            ';' | ':' => {
                // Not emoticons (" :)", " ;-)") nor spaced ratios ("3 : 1").
                let plain = n.map_or(true, |n| {
                    n.is_whitespace() || n.is_alphanumeric() || matches!(n, '“' | '"')
                });
                let next = t[ce..].trim_start_matches(' ').chars().next();
                en && plain
                    && !(c == ':' && p.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()))
            }
            '!' | '?' => {
                en && n.map_or(true, |n| {
                    n.is_whitespace() || matches!(n, '”' | '’' | '"' | '!' | '?' | ')')
                })
            }
            ')' => {
                let before = &t[ls..s];
                before.matches('(').count() > before.matches(')').count()
            }
            '”' => !n.is_some_and(char::is_alphanumeric) && !line.contains('„'),
            '’' => {
                let before = &t[ls..s];
                let open = before.rfind('‘');
                !n.is_some_and(char::is_alphanumeric)
                    && open.is_some_and(|o| before.rfind('’').map_or(true, |c| o > c))
                    && !line.contains('‚')
            }
            _ => false,
        };
        if before_closer && !cjk() {
            fix(out, s, e, "", "space before punctuation");
            return;
        }
        let pp = char_before(t, s - p.len_utf8());
        let after_opener = match p {
            '(' => t[e..le].contains(')'),
            '“' => !pp.is_some_and(char::is_alphanumeric) && !line.contains('„'),
            '‘' => {
                !pp.is_some_and(char::is_alphanumeric)
                    && !line.contains('‚')
                    && t[e..le].contains('’')
            }
            _ => false,
        };
        if after_opener && !cjk() {
            fix(out, s, e, "", "space after opening punctuation");
            return;
        }
        if e - s >= 2 && !cjk() {
            fix(out, s + 1, e, "", "doubled space");
        }
    }

    /// The byte loop of `check` at `i` in line `ls..le` (not inside a run of spaces): where it
    /// goes on.
    fn step(
        &self,
        t: &str,
        ls: usize,
        le: usize,
        mut i: usize,
        en: bool,
        out: &mut Vec<Finding>,
    ) -> usize {
        let b = t.as_bytes();
        match b[i] {
            b' ' => {
                let s = i;
                while i < le && b[i] == b' ' {
                    i += 1;
                }
                // Fast path: one space between ASCII text and a letter or digit needs nothing
                // (only a space after an opening mark would).
                let plain = || {
                    i - s == 1
                        && b[i].is_ascii_alphanumeric()
                        && b[s - 1] < 0x80
                        && b[s - 1] != b'('
                };
                if s > ls && i < le && !plain() {
                    self.space_run(t, ls, le, s, i, en, out);
                }
                return i;
            }
            q @ (b',' | b';' | b':' | b'.' | b'!' | b'?')
                if i + 1 < le && !b[i + 1].is_ascii_whitespace() =>
            {
                self.missing_space(t, ls, le, i, q, out);
            }
            _ => {}
        }
        i + 1
    }

    /// Punctuation `q` at `k` directly followed by a non-space character: insert a space when a
    /// word follows.
    fn missing_space(
        &self,
        t: &str,
        ls: usize,
        le: usize,
        k: usize,
        q: u8,
        out: &mut Vec<Finding>,
    ) {
        let Some(x) = char_at(t, k + 1) else { return };
        // A full stop after spaces that `space_run` removes in the same pass ("busy .( Photo"):
        // judge it by the word before the spaces, so both fixes land together.
        let k_word = if q == b'.' && b_at(t, k.wrapping_sub(1)) == Some(b' ') {
            let s = t[ls..k].trim_end_matches(' ').len() + ls;
            let removed = s > ls
                && !x.is_alphanumeric()
                && x != '.'
                && !t[k + 1..].starts_with(" .")
                && !in_cjk_context(t, s, k + 1);
            if removed {
                s
            } else {
                k
            }
        } else {
            k
        };
        let p = char_before(t, k_word);
        let y = char_at(t, k + 1 + x.len_utf8());
        let line = &t[ls..le];
        let opener = matches!(x, '“' | '(') || (x == '‘' && !line.contains('‚'));
        let opener = opener && !(x == '“' && line.contains('„'));
        let cap_word = x.is_uppercase() && y.is_some_and(char::is_lowercase);
        // A digit after the mark only counts after a word or a closing mark ("said,5"), never
        // after a digit or a space ("1,200", "5 ,000").
        let word_before = p.is_some_and(|p| p.is_alphabetic() || matches!(p, ')' | '”' | '’'));
        let want = match q {
            b',' => x.is_alphabetic() || opener || (x.is_ascii_digit() && word_before),
            b';' => x.is_alphabetic() || opener,
            b':' => {
                // A label: a word of two letters or more ("Note:this"); before a digit only a
                // capitalized word or one opening the line ("Caption:4", not "localhost:8080").
                let a = word_start(t, k);
                let label = k - a >= 2 && crate::text::context::token_around(t, k).0 == a;
                let digit_ok = x.is_ascii_digit()
                    && label
                    && (t[a..].starts_with(char::is_uppercase) || a == ls);
                (x.is_alphabetic() && label) || opener || digit_ok
            }
            b'.' => {
                let sentence_end = lower_word_before(t, k_word)
                    || (opener
                        && p.is_some_and(|p| p.is_ascii_digit() || matches!(p, ')' | '”' | '%')));
                sentence_end && (cap_word || opener)
            }
            b'!' | b'?' => cap_word || opener,
            _ => false,
        };
        if want && !in_url_like(t, k) && !in_cjk_context(t, k, k + 1) {
            fix(out, k + 1, k + 1, " ", "missing space after punctuation");
        }
    }
}

impl Rule for Spacing {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Spacing
    }
    fn describe(&self) -> &'static str {
        "Fixes spaces around punctuation in Latin-script text, doubled, leading and trailing spaces, and blank-line runs"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("Sales rose , the firm said .", "Sales rose, the firm said.")
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        60
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let b = t.as_bytes();
        let en = doc.profile.lang == "en";
        // The layout findings come first, as if found in a pass of their own: they go to
        // `layout` (rarely any) while the line loop below serves both.
        let start = out.len();
        let mut layout = Vec::new();
        let mut blank_run = None;
        #[cfg(target_arch = "x86_64")]
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        // The loud bits of the block that ends at `bits_end` (bytes only ever go forward).
        let (mut bits, mut bits_end) = (0u64, 0);
        for (ls, le) in line_ranges(t) {
            self.layout_line(t, ls, le, &mut blank_run, &mut layout);
            let mut i = ls;
            while i < le {
                // Jump over quiet bytes. A quiet space is a run of its own, so the first loud
                // byte never continues a run of spaces: the loop goes on there as if it had
                // stepped over the quiet ones. At either end of a line the neighbour is a `\n`,
                // which keeps a space or a mark next to it loud; the step changes nothing at the
                // quiet bytes there either. The block may run on past the line (and serve the
                // next lines).
                if i >= bits_end {
                    bits = loud_bits(b, i, avx2);
                    bits_end = i + BLOCK;
                }
                let rest = bits >> (i + BLOCK - bits_end);
                if rest == 0 {
                    i = bits_end;
                    continue;
                }
                i += rest.trailing_zeros() as usize;
                if i >= le {
                    break;
                }
                i = self.step(t, ls, le, i, en, out);
            }
        }
        self.layout_end(t, blank_run, &mut layout);
        if !layout.is_empty() {
            out.splice(start..start, layout);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{assert_clean, assert_fixes};
    use crate::{Cleaner, Config};

    /// Both builds of the block test (the portable one and, where the processor has it, the
    /// AVX2 one) give each byte's answer as the byte loop works it out.
    #[test]
    fn loud_bits_builds_agree_byte_by_byte() {
        let one = |p: u8, c: u8, n: u8| {
            let plain_space = p < 0x80 && p != b'(' && p != b' ' && n.is_ascii_alphanumeric();
            let mark = matches!(c, b',' | b'.' | b':' | b';' | b'!' | b'?');
            let settled = n == b' ' || (p.is_ascii_digit() && n.is_ascii_digit());
            (c == b' ' && !plain_space) || (mark && !settled)
        };
        let alphabet = b" (,.;:!?-09aZ\n\xC3\xA9";
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut windows: Vec<[u8; super::BLOCK + 2]> = Vec::new();
        for _ in 0..4000 {
            let mut w = [0u8; super::BLOCK + 2];
            for x in &mut w {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *x = alphabet[(seed % alphabet.len() as u64) as usize];
            }
            windows.push(w);
        }
        for t in crate::rules::testing::fixture_texts() {
            for c in t.as_bytes().chunks_exact(super::BLOCK + 2).take(200) {
                windows.push(c.try_into().unwrap());
            }
        }
        for w in &windows {
            let want: u64 = (0..super::BLOCK)
                .map(|j| u64::from(one(w[j], w[j + 1], w[j + 2])) << j)
                .sum();
            assert_eq!(super::loud_bits_in(w), want, "{w:?}");
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2.
                assert_eq!(unsafe { super::loud_bits_avx2(w) }, want, "{w:?}");
            }
        }
    }

    const R: &[&str] = &["generic/spacing"];

    /// A cleaner running this rule alone, with the language forced when `lang` is given.
    fn spacing_only(lang: Option<&str>) -> Cleaner {
        Cleaner::new(Config {
            only: vec!["generic/spacing".into()],
            lang: lang.map(str::to_string),
            ..Config::default()
        })
        .unwrap()
    }

    fn clean_as(lang: &str, input: &str) -> String {
        spacing_only(Some(lang)).clean(input).text
    }

    #[test]
    fn space_before_and_after() {
        assert_fixes(R, "rose , and fell .", "rose, and fell.");
        assert_fixes(R, "Really ?\nYes !", "Really?\nYes!");
        assert_fixes(R, "Note : this ; that", "Note: this; that");
        assert_fixes(R, "( The reporter Yao Yujie )", "(The reporter Yao Yujie)");
        assert_fixes(
            R,
            "in Shanghai “ White list ” The",
            "in Shanghai “White list” The",
        );
        assert_fixes(
            R,
            "cause ‘ No material available ’ delays",
            "cause ‘No material available’ delays",
        );
        assert_fixes(
            R,
            "at the moment ,“ go , Go to work !”",
            "at the moment, “go, Go to work!”",
        );
        assert_fixes(
            R,
            "personnel ,4 month 23 since",
            "personnel, 4 month 23 since",
        );
        assert_fixes(R, "said ,5 month", "said, 5 month");
    }

    #[test]
    fn missing_space() {
        assert_fixes(R, "rose,and fell;then rose", "rose, and fell; then rose");
        assert_fixes(R, "source:Xinhua", "source: Xinhua");
        assert_fixes(R, "Caption:4 month", "Caption: 4 month");
        assert_fixes(R, "caption:4 month", "caption: 4 month");
        assert_fixes(R, "Note:this", "Note: this");
        assert_fixes(R, "it ended.Then it rained", "it ended. Then it rained");
        assert_fixes(R, "Why?Because!Yes", "Why? Because! Yes");
        assert_fixes(R, "Co.,Ltd", "Co., Ltd");
        assert_fixes(
            R,
            "shipment .( Chart of respondents )",
            "shipment. (Chart of respondents)",
        );
        assert_fixes(R, "busy .“ Currently on duty", "busy. “Currently on duty");
    }

    #[test]
    fn spaced_full_stop_and_its_missing_space_land_in_one_pass() {
        let c = spacing_only(None);
        for (input, want) in [
            ("They are busy .( Photo )\n", "They are busy. (Photo)\n"),
            (
                "They are busy .“ Currently on duty”\n",
                "They are busy. “Currently on duty”\n",
            ),
        ] {
            let out = c.clean(input);
            assert_eq!(out.text, want);
            // One pass that fixes, one that finds nothing.
            assert_eq!(out.passes, 2, "{input:?}");
        }
    }

    #[test]
    fn a_spaced_ellipsis_before_a_comma_settles() {
        let c = spacing_only(None);
        // A fuzzer input: one dot per pass used to go, past the pass limit.
        let input = format!("{},\n\n ", ". ".repeat(18));
        let out = c.clean(&input);
        assert!(
            out.flags.iter().all(|f| f.rule != "engine/fix-loop"),
            "{:?}",
            out.flags
        );
        assert!(out.passes <= 3, "{}", out.passes);
        assert_clean(R, "Wait . . . , he said.");
    }

    #[test]
    fn debris() {
        assert_fixes(
            R,
            "management. , to better serve",
            "management, to better serve",
        );
        assert_fixes(R, "In recent days, , Head", "In recent days, Head");
        assert_fixes(R, "entrepreneurship. .\n", "entrepreneurship.\n");
        assert_fixes(R, "Shanghai Co. , Ltd", "Shanghai Co., Ltd");
        assert_fixes(R, "the end.( End )", "the end. (End)");
    }

    #[test]
    fn layout() {
        assert_fixes(R, "  Indented line\nnext  \n", "Indented line\nnext\n");
        assert_fixes(R, "two  spaces   here", "two spaces here");
        assert_fixes(R, "a\n\n\n\nb\n", "a\n\nb\n");
        assert_fixes(R, "a\n   \n\nb\n", "a\n\nb\n");
        assert_fixes(R, "a\n\n\n", "a\n");
        assert_fixes(R, "a \t\n\n  \n", "a\n");
        assert_clean(R, "a\n\nb");
        assert_clean(R, "\n");
        assert_clean(R, "");
    }

    #[test]
    fn leaves_alone() {
        assert_clean(R, "A value of .5 was reported ... later.");
        assert_clean(R, "他说 , 好。");
        assert_clean(R, "中文  文本 。 “ 引号 ”");
        assert_clean(
            R,
            "It grew 3.5% to 1,200 units, e.g. in the U.S. and at Co., Ltd. by 9 a.m. today.",
        );
        assert_clean(
            R,
            "See https://x.y/a?b=c,d and mail ann@example.com,bob or www.example.com.Then.",
        );
        assert_clean(
            R,
            "At 15:53:58 the ratio was 3:1, or 3 : 1, at .5 and ... and . . . too!! Really?!",
        );
        assert_clean(
            R,
            "Wait ... what? He said: “Yes.” (It was late.) The ’90s were ‘great’, she said.",
        );
        assert_clean(
            R,
            "Use .NET and node.js, not ASP.NET; see U.S.A. first; John 3:16.",
        );
        assert_clean(R, "Mr. Smith met Dr. Jones on Jan. 5. The students’ books.");
        assert_clean(R, "Er sagte: „Ja“ und ging. „Nein“, sagte sie.");
        assert_clean(R, "( not closed on this line");
        assert_clean(R, "ratio A:B, localhost:8080, 10:30am, and 5 ,000 tickets");
        assert_clean(R, "A smiley :) and ;) here");
    }

    /// The findings of `check` without its jumps over quiet bytes: the byte loop at every byte.
    fn bytewise(text: &str, en: bool) -> Vec<crate::rules::Finding> {
        let mut out = Vec::new();
        Spacing.layout(text, &mut out);
        for (ls, le) in line_ranges(text) {
            let mut i = ls;
            while i < le {
                i = Spacing.step(text, ls, le, i, en, &mut out);
            }
        }
        out
    }

    /// Pieces that make marks, spaces, digits and scripts meet in every order.
    const PIECES: &[&str] = &[
        " ", " ", " ", " ", "a", "word", "The", "e.g", "5", "12", ",", ".", ":", ";", "!", "?",
        "(", ")", "“", "”", "‘", "’", "„", "\"", "中文", "é", "-", "/", "@", "\t", "\n", "...",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn jumping_over_quiet_bytes_finds_what_the_byte_loop_finds(
            parts in proptest::collection::vec(0usize..PIECES.len(), 0..120),
            en in proptest::bool::ANY,
        ) {
            let text: String = parts.iter().map(|&k| PIECES[k]).collect();
            let config = Config::default();
            let mut profile = crate::Profile::compute(&text, &config);
            profile.lang = if en { "en" } else { "fr" }.into();
            let view = crate::rules::DocView::first_pass(&text, &profile, &config);
            let mut found = Vec::new();
            Spacing.check(&view, &mut found);
            proptest::prop_assert_eq!(found, bytewise(&text, en), "{:?}", text);
        }
    }

    #[test]
    fn french_keeps_its_spaces() {
        let fr = "Bonjour ! Il a dit : « oui ». Pourquoi ? Voilà ; fin.";
        assert_eq!(clean_as("fr", fr), fr);
        assert_eq!(clean_as("fr", "Bonjour , le monde ."), "Bonjour, le monde.");
        assert_eq!(clean_as("en", "Hello ! Why ?"), "Hello! Why?");
    }
}
