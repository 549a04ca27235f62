//! Hand-written scanners for the hottest word patterns, with the exact semantics of the regexes
//! they replace (Unicode `\b`, leftmost-first, non-overlapping) but without the regex engine's
//! fallback from its DFA to slower engines on non-ASCII text. Each scanner's doc names its regex;
//! the tests compare them with the regex on tricky inputs.
//!
//! Also a small fast hasher for per-document sets of words (the standard SipHash is built for
//! untrusted keys at a cost the hot rules do not need to pay; the sets are only queried, never
//! iterated, so the order of a set is never observable).

use std::hash::{BuildHasherDefault, Hasher};

#[cfg(target_arch = "x86_64")]
use super::lanes::first_in_blocks16;
use super::lanes::{at_least, LANE_HI, LANE_LO7};

/// The first byte at or after `i` that is not ASCII, or `b.len()`; eight bytes at a time, and on
/// x86-64 thirty-two and then sixteen first, with the SSE2 that every such processor has (the
/// high bits of the bytes are the mask).
#[inline]
pub fn next_non_ascii(b: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128};
        // SAFETY: the bytes loaded at `i` lie in `b` (unaligned loads); SSE2 is part of x86-64.
        while i + 32 <= b.len() {
            let any = unsafe {
                let p = b.as_ptr().add(i);
                let x = _mm_or_si128(_mm_loadu_si128(p.cast()), _mm_loadu_si128(p.add(16).cast()));
                _mm_movemask_epi8(x)
            };
            if any != 0 {
                break;
            }
            i += 32;
        }
        // SAFETY: SSE2 is part of x86-64.
        match first_in_blocks16(b, i, |x| unsafe { _mm_movemask_epi8(x) }) {
            Ok(p) => return p,
            Err(rest) => i = rest,
        }
    }
    while let Some(w) = b.get(i..i + 8) {
        let m = u64::from_le_bytes(w.try_into().expect("8 bytes")) & LANE_HI;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] < 0x80 {
        i += 1;
    }
    i
}

/// Whether `c` is a word character as the regex crate's Unicode `\w` and `\b` see it.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// Whether the character before byte `pos` of `s` is a word character (false at the start).
#[inline]
pub fn word_char_before(s: &str, pos: usize) -> bool {
    match s.as_bytes()[..pos].last() {
        None => false,
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric() || b == b'_',
        _ => s[..pos].chars().next_back().is_some_and(is_word_char),
    }
}

/// Whether the character at byte `pos` of `s` is a word character (false at the end).
#[inline]
pub fn word_char_at(s: &str, pos: usize) -> bool {
    match s.as_bytes().get(pos) {
        None => false,
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric() || b == b'_',
        _ => s[pos..].chars().next().is_some_and(is_word_char),
    }
}

#[inline]
fn lower_run(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_lowercase() {
        i += 1;
    }
    i
}

/// The matches of `\b[A-Z][a-z]*(?:['’-][a-z]+)*\b` in `s`, as byte ranges, in order.
pub fn cap_words(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    // About one word in eight is capitalized in running English.
    let mut out = Vec::with_capacity(s.len() / 48);
    let mut i = 0;
    while let Some(p) = next_upper(b, i) {
        i = p + 1;
        if word_char_before(s, p) {
            continue;
        }
        // The greedy repetition ends at e_K; if `\b` fails there it backs off to e_(K-1), where
        // a separator follows (not a word character), so `\b` holds.
        let mut cur = lower_run(b, p + 1);
        let mut prev = None;
        loop {
            let sep = match b.get(cur) {
                Some(b'\'' | b'-') => 1,
                Some(0xE2) if s[cur..].starts_with('’') => 3,
                _ => 0,
            };
            if sep > 0 && b.get(cur + sep).is_some_and(u8::is_ascii_lowercase) {
                prev = Some(cur);
                cur = lower_run(b, cur + sep);
            } else {
                break;
            }
        }
        let end = if word_char_at(s, cur) {
            prev
        } else {
            Some(cur)
        };
        if let Some(e) = end {
            out.push((p, e));
            i = e;
        }
    }
    out
}

/// The matches of `\b[a-z]{min,}\b` in `s`, as byte ranges, in order.
pub fn lower_words(s: &str, min: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(k) = b[i..].iter().position(u8::is_ascii_lowercase) {
            let p = i + k;
            let e = lower_run(b, p);
            i = e;
            if e - p >= min && !word_char_before(s, p) && !word_char_at(s, e) {
                return Some((p, e));
            }
        }
        None
    })
}

/// Whether `word` (ASCII lower case, at least `min` letters) is one of the [`lower_words`] of `s`:
/// an occurrence with no word character on either side. One substring search instead of
/// collecting every word of the text.
pub fn has_lower_word(s: &str, word: &str, min: usize) -> bool {
    if word.len() < min || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    memchr::memmem::find_iter(s.as_bytes(), word.as_bytes())
        .any(|p| !word_char_before(s, p) && !word_char_at(s, p + word.len()))
}

/// The first ASCII upper-case letter at or after `i`. Eight bytes at a time: the high bit of
/// each byte of `m` says whether that byte is in `A..=Z` (its low seven bits plus 0x3F reach
/// 0x80 from `A` on, plus 0x25 from the byte after `Z` on; no sum carries into the next byte,
/// and bytes with the high bit set are no letters).
///
/// On x86-64, sixteen bytes at a time first, with the SSE2 that every such processor has.
#[inline]
fn next_upper(b: &[u8], mut i: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_add_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_set1_epi8};
        // SAFETY: SSE2 is part of x86-64. Adding 0x3F takes `A..=Z` to the signed bytes
        // -128..=-103 (wrapping) and no other byte there, so the signed comparison with -102
        // picks out the capitals.
        let hits = |x| unsafe {
            let t = _mm_add_epi8(x, _mm_set1_epi8(0x80u8.wrapping_sub(b'A') as i8));
            _mm_movemask_epi8(_mm_cmplt_epi8(t, _mm_set1_epi8(-128 + 26)))
        };
        match first_in_blocks16(b, i, hits) {
            Ok(p) => return Some(p),
            Err(rest) => i = rest,
        }
    }
    while i + 8 <= b.len() {
        let x = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let low = x & LANE_LO7;
        let m = at_least(low, b'A') & !at_least(low, b'Z' + 1) & !x & LANE_HI;
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(u8::is_ascii_uppercase)
        .map(|k| i + k)
}

/// The matches of `\b([a-z]{min,}) ([A-Z][A-Za-z]*\.?)` in `s`: the byte ranges of both groups,
/// in order.
///
/// Found from the capitals: each match's second group starts at an upper-case letter after a
/// space after a lower-case letter, and its first group is the whole run of lower-case letters
/// before that space (a run that starts inside the previous match's second group, or before its
/// end, is no match: the regex resumes after that group, where no run can start mid-way).
pub fn lower_then_cap(
    s: &str,
    min: usize,
) -> impl Iterator<Item = ((usize, usize), (usize, usize))> + '_ {
    let b = s.as_bytes();
    // Where the search for the next capital resumes, and the end of the last match.
    let mut i = 0;
    let mut last = 0;
    std::iter::from_fn(move || {
        while let Some(u) = next_upper(b, i) {
            i = u + 1;
            if u < 2 || b[u - 1] != b' ' || !b[u - 2].is_ascii_lowercase() {
                continue;
            }
            let e = u - 1;
            let mut p = e - 1;
            while p > 0 && b[p - 1].is_ascii_lowercase() {
                p -= 1;
            }
            if p < last || e - p < min || word_char_before(s, p) {
                continue;
            }
            let mut r = u + 1;
            while r < b.len() && b[r].is_ascii_alphabetic() {
                r += 1;
            }
            if b.get(r) == Some(&b'.') {
                r += 1;
            }
            last = r;
            i = r;
            return Some(((p, e), (u, r)));
        }
        None
    })
}

/// FxHash (the rustc hasher): fast, not DoS-resistant; for per-document word sets.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut c = bytes.chunks_exact(8);
        for w in &mut c {
            self.add(u64::from_le_bytes(w.try_into().unwrap()));
        }
        let r = c.remainder();
        if !r.is_empty() {
            let mut buf = [0u8; 8];
            buf[..r.len()].copy_from_slice(r);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashSet<T> = std::collections::HashSet<T, FxBuild>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

#[cfg(test)]
mod tests {
    #[test]
    fn next_non_ascii_stops_at_the_first_non_ascii_byte() {
        let s = "abcdefghijklmnop\u{e9}xyz中";
        let b = s.as_bytes();
        for k in 0..=b.len() {
            let want = b[k..]
                .iter()
                .position(|&x| x >= 0x80)
                .map_or(b.len(), |p| k + p);
            assert_eq!(super::next_non_ascii(b, k), want, "{k}");
        }
        for v in [0x00, 0x7F, 0x80, 0xBF, 0xC2, 0xE4, 0xFF] {
            for at in 0..80 {
                let mut b = [b'a'; 80];
                b[at] = v;
                for from in 0..=80 {
                    let want = b[from..]
                        .iter()
                        .position(|&x| x >= 0x80)
                        .map_or(b.len(), |p| from + p);
                    assert_eq!(super::next_non_ascii(&b, from), want, "{v} {at} {from}");
                }
            }
        }
    }

    #[test]
    fn next_upper_sees_every_byte_value_at_every_offset() {
        for v in 0..=255u8 {
            for at in 0..40 {
                let mut b = [b'a'; 40];
                b[at] = v;
                for from in [0, 3, 9, 17, 25, 33] {
                    let want = b[from..]
                        .iter()
                        .position(u8::is_ascii_uppercase)
                        .map(|k| from + k);
                    assert_eq!(next_upper(&b, from), want, "{v} {at} {from}");
                }
            }
        }
    }

    #[test]
    fn has_lower_word_is_membership_in_lower_words() {
        let texts = [
            "the said, The team said élan_said said2 xsaid saidx",
            "état team; teams, TEAM team\nend",
            "",
            "a ab abc",
        ];
        let probes = [
            "said", "team", "teams", "end", "abc", "ab", "élan", "xsaid", "Team", "tat",
        ];
        for t in texts {
            let set: std::collections::HashSet<&str> =
                lower_words(t, 3).map(|(a, b)| &t[a..b]).collect();
            for w in probes {
                assert_eq!(has_lower_word(t, w, 3), set.contains(w), "{t:?} {w:?}");
            }
        }
    }

    use super::*;
    use regex::Regex;

    const TRICKY: &[&str] = &[
        "",
        "A",
        "a",
        "Abc def Ghi-jkl Mno’pqr Stu'v Wx-Yz McDonald Abc5 _Abc Abc_ éAbc Abcé Abc- Abc-d-e-F",
        "O'Neil's it’s Xi’ An’ Bo'' Co-op-5 Co-op- 5Abc 中Abc Abc中 Ab’c’d’E Ab’",
        "the cat sat on a mat; ünder über abc_def abcd1 abc, xyz.\nLine two Has Words",
        "Ωmega Ωabc abcΩ Άλφα naïve résumé café Zürich Caf\u{e9} ab\u{301}cd",
        "THE Cat's-eye ’Tis 'Twas x-Ray X-ray U.S. e-mail E-Mail",
        "Ab-cd-ef-gh9 Ab-cd-ef-gh Ab-cd-ef-gH Ab-cd’ef’gh’",
    ];

    fn regex_matches(re: &str, s: &str) -> Vec<(usize, usize)> {
        Regex::new(re)
            .unwrap()
            .find_iter(s)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn cap_words_match_the_regex() {
        for s in TRICKY {
            assert_eq!(
                cap_words(s),
                regex_matches(r"\b[A-Z][a-z]*(?:['’-][a-z]+)*\b", s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn lower_words_match_the_regex() {
        for s in TRICKY {
            for min in [1, 3, 4] {
                assert_eq!(
                    lower_words(s, min).collect::<Vec<_>>(),
                    regex_matches(&format!(r"\b[a-z]{{{min},}}\b"), s),
                    "{s:?} {min}"
                );
            }
        }
    }

    #[test]
    fn lower_then_cap_matches_the_regex() {
        let re = Regex::new(r"\b([a-z]{4,}) ([A-Z][A-Za-z]*\.?)").unwrap();
        for s in TRICKY.iter().copied().chain([
            "of feidiao Electric Appliance Group Co., Ltd. the head of feidiao electric",
            "abcd Efg.hijk Lmn. abcd E5 abcd Ωx éabcd Efg abcd  Efg abcdé Efg abc Def xabcd Q.",
            "abcd Efgh ijkl Mno abcd Ef.ghij Klm abcd Efghijkl Mno abcd Ef ghij Kl xyzw A bcde F",
            "Q abcd Ef.ab Cd abcd EfGh.abcd Xy abcd E.F abcd Ef..abcd Gh",
        ]) {
            let want: Vec<_> = re
                .captures_iter(s)
                .map(|c| {
                    let (a, b) = (c.get(1).unwrap(), c.get(2).unwrap());
                    ((a.start(), a.end()), (b.start(), b.end()))
                })
                .collect();
            assert_eq!(lower_then_cap(s, 4).collect::<Vec<_>>(), want, "{s:?}");
        }
    }

    /// The fixture texts, for the scanners' comparisons on real text (long runs without
    /// capitals, capitals at every offset of a block).
    fn fixture_texts() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut all = Vec::new();
        for sub in ["seeds", "holdout/raw", "clean", "lang"] {
            for e in std::fs::read_dir(format!("{dir}/{sub}")).unwrap().flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    all.push(t);
                }
            }
        }
        all
    }

    #[test]
    fn scanners_match_the_regexes_on_the_fixtures() {
        let caps = Regex::new(r"\b[A-Z][a-z]*(?:['’-][a-z]+)*\b").unwrap();
        let ltc = Regex::new(r"\b([a-z]{4,}) ([A-Z][A-Za-z]*\.?)").unwrap();
        let all = fixture_texts();
        assert!(all.len() > 20);
        for t in &all {
            let want: Vec<_> = caps.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(cap_words(t), want);
            let want: Vec<_> = ltc
                .captures_iter(t)
                .map(|c| {
                    let (a, b) = (c.get(1).unwrap(), c.get(2).unwrap());
                    ((a.start(), a.end()), (b.start(), b.end()))
                })
                .collect();
            assert_eq!(lower_then_cap(t, 4).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn fx_sets_work() {
        let mut set: FxHashSet<&str> = FxHashSet::default();
        set.insert("abc");
        set.insert("abcdefghijk");
        assert!(set.contains("abc") && set.contains("abcdefghijk") && !set.contains("abd"));
    }
}
