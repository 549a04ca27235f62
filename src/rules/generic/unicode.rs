//! `generic/unicode`: Unicode normalization and invisible or odd characters.
//!
//! **What it fixes.**
//! - text not in NFC ("e" + combining acute -> "é");
//! - control characters other than newline and tab (NUL, vertical tab, form feed, DEL...);
//! - zero-width characters: ZWSP, word joiner, a BOM inside the text, soft hyphens, and ZWNJ/ZWJ
//!   between characters of scripts that do not use them;
//! - no-break and other odd spaces (U+00A0, U+2000..U+200A, U+202F, U+205F; U+3000 in
//!   Latin-script context) become a plain space;
//! - fullwidth ASCII letters and digits ("ＧＤＰ", "２０２２") become ASCII in Latin-script context.
//!
//! **Why.** Scraped pages carry layout characters that break search, tokenization and the other
//! rules (a no-break space before a comma is invisible to the spacing rule).
//!
//! **Example.** "GDP\u{A0}rose\u{200B} ２% in\u{00AD}deed" -> "GDP rose 2% indeed".
//!
//! **Not touched.** Zero-width joiners and spaces next to scripts that need them (Arabic, Indic,
//! Thai, emoji sequences); no-break spaces in French typographic positions (before `; : ! ? »`,
//! after `«`) and between digits (thousands separators); U+3000 and fullwidth letters in CJK text;
//! CJK compatibility ideographs (NFC would replace them with their unified forms); C1 control
//! characters, which `generic/mojibake` reads as the Windows-1252 characters they stand for.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::context::{char_at, char_before, in_latin_context, uses_joiners};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Unicode;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Unicode)
}

const ID: &str = "generic/unicode";

fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

fn is_odd_space(c: char) -> bool {
    matches!(c as u32, 0xA0 | 0x2000..=0x200A | 0x202F | 0x205F)
}

fn is_compat_ideograph(c: char) -> bool {
    matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// Bytes that can start a character this rule handles (besides NFC).
/// True when every byte of `x` is in 0x20..=0x7E (none of them [`interesting`]).
fn all_printable_ascii(x: u64) -> bool {
    use crate::text::lanes::{LANE_HI as HI, LANE_LO as LO};
    // A byte below 0x20 borrows when 0x20 is subtracted; a byte of 0x7F or more reaches 0x80
    // when 1 is added (bytes of 0x80 or more have the high bit already).
    let below = x.wrapping_sub(LO * 0x20) & !x & HI;
    let high = (x | x.wrapping_add(LO)) & HI;
    below == 0 && high == 0
}

fn interesting(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t')
        || b == 0x7F
        || b == 0xC2
        || b == 0xE2
        || b == 0xE3
        || b == 0xEF
}

/// The [`interesting`] test on a vector of bytes, one bit per byte, written once for the SSE2
/// and the AVX2 loops of [`next_interesting`] (they differ only in the intrinsics, passed in): a
/// byte is at most 0x1F when its unsigned maximum with 0x1F is 0x1F (tab and line feed are let
/// through), and 0xE2 and 0xE3 are the bytes that equal 0xE2 once their lowest bit is cleared.
#[cfg(target_arch = "x86_64")]
macro_rules! interesting_mask {
    ($x:expr; $set1:ident, $cmpeq:ident, $max:ident, $and:ident, $or:ident, $andnot:ident,
     $movemask:ident) => {{
        let x = $x;
        let x1f = $set1(0x1F);
        let kept = $or($cmpeq(x, $set1(b'\t' as i8)), $cmpeq(x, $set1(b'\n' as i8)));
        let ctrl = $andnot(kept, $cmpeq($max(x, x1f), x1f));
        let lead = $or(
            $or(
                $cmpeq(x, $set1(0xC2u8 as i8)),
                $cmpeq(x, $set1(0xEFu8 as i8)),
            ),
            $cmpeq($and(x, $set1(0xFEu8 as i8)), $set1(0xE2u8 as i8)),
        );
        $movemask($or($or(ctrl, $cmpeq(x, $set1(0x7F))), lead))
    }};
}

/// The first [`interesting`] byte at or after `i`. Every such byte starts a character (the
/// control characters are ASCII, the others lead bytes), so the bytes skipped are exactly those
/// a byte-by-byte walk would step over.
///
/// On x86-64, thirty-two bytes at a time first where the processor has AVX2, then sixteen with
/// the SSE2 that every such processor has; then eight bytes of printable ASCII at a time, then
/// byte by byte.
#[inline]
fn next_interesting(b: &[u8], mut i: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2.
            match unsafe { next_interesting_avx2(b, i) } {
                Ok(p) => return Some(p),
                Err(rest) => i = rest,
            }
        }
        use std::arch::x86_64::{
            _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64.
        let hits = |x| unsafe {
            interesting_mask!(x; _mm_set1_epi8, _mm_cmpeq_epi8, _mm_max_epu8, _mm_and_si128,
                _mm_or_si128, _mm_andnot_si128, _mm_movemask_epi8)
        };
        match crate::text::lanes::first_in_blocks16(b, i, hits) {
            Ok(p) => return Some(p),
            Err(rest) => i = rest,
        }
    }
    while i < b.len() {
        // Eight bytes of printable ASCII at a time (the common case) are skipped whole.
        if let Some(w) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            if all_printable_ascii(x) {
                i += 8;
                continue;
            }
        }
        if interesting(b[i]) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// [`next_interesting`] thirty-two bytes at a time, with the same tests as its SSE2 loop:
/// `Ok` with the first interesting byte at or after `i` in the blocks it looked at, or `Err` with
/// where it stopped (fewer than thirty-two bytes before the end).
///
/// # Safety
/// The processor must have AVX2 (an `unsafe fn`: a safe one with `target_feature` needs Rust
/// 1.86, above this crate's 1.80).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn next_interesting_avx2(b: &[u8], mut i: usize) -> Result<usize, usize> {
    use std::arch::x86_64::{
        _mm256_and_si256, _mm256_andnot_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256,
        _mm256_max_epu8, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };
    while i + 32 <= b.len() {
        // The thirty-two bytes at `i` lie in `b` (an unaligned load).
        let x = _mm256_loadu_si256(b.as_ptr().add(i).cast());
        let m = interesting_mask!(x; _mm256_set1_epi8, _mm256_cmpeq_epi8, _mm256_max_epu8,
            _mm256_and_si256, _mm256_or_si256, _mm256_andnot_si256, _mm256_movemask_epi8)
            as u32;
        if m != 0 {
            return Ok(i + m.trailing_zeros() as usize);
        }
        i += 32;
    }
    Err(i)
}

/// `is_nfc_quick(t.chars()) == IsNormalized::Yes`, reading only the non-ASCII stretches. The
/// quick check passes ASCII characters without a look-up and resets its state on them (they are
/// starters, allowed in NFC), so the whole text answers Yes exactly when every stretch between
/// ASCII characters does.
fn nfc_quick_yes(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    loop {
        i = crate::text::scan::next_non_ascii(b, i);
        if i == b.len() {
            return true;
        }
        let end = b[i..]
            .iter()
            .position(|&x| x < 0x80)
            .map_or(b.len(), |k| i + k);
        // Stretches start and end next to ASCII bytes, so on character boundaries.
        if is_nfc_quick(t[i..end].chars()) != IsNormalized::Yes {
            return false;
        }
        i = end;
    }
}

impl Unicode {
    fn nfc(&self, t: &str, out: &mut Vec<Finding>) {
        if nfc_quick_yes(t) {
            return;
        }
        // Whitespace never composes with its neighbours, so tokens normalize independently.
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            let tok = &t[start..i];
            if tok.is_ascii() || is_nfc_quick(tok.chars()) == IsNormalized::Yes {
                continue;
            }
            if tok.chars().any(is_compat_ideograph) {
                continue;
            }
            let n: String = tok.nfc().collect();
            if n != tok {
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Unicode,
                    Span::new(start, i),
                    n,
                    Confidence::Certain,
                    "text not in NFC",
                ));
            }
        }
    }
}

impl Rule for Unicode {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Unicode
    }
    fn describe(&self) -> &'static str {
        "Normalizes to NFC; removes control and zero-width characters; plain spaces for odd spaces; ASCII for fullwidth letters in Latin text"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "GDP\u{A0}rose\u{200B} ２% in\u{AD}deed",
            "GDP rose 2% indeed",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        20
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        self.nfc(t, out);
        let b = t.as_bytes();
        let mut i = 0;
        while let Some(p) = next_interesting(b, i) {
            i = p;
            let c = char_at(t, i).unwrap_or(' ');
            let end = i + c.len_utf8();
            let u = c as u32;
            // The character at `i` becomes `with`.
            let replace = |with: &str, msg: &'static str, out: &mut Vec<Finding>| {
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Unicode,
                    Span::new(i, end),
                    with,
                    Confidence::Certain,
                    msg,
                ));
            };
            let remove = |msg: &'static str, out: &mut Vec<Finding>| replace("", msg, out);
            match u {
                0x00..=0x1F | 0x7F => remove("control character", out),
                0xAD => remove("soft hyphen", out),
                0xFEFF | 0x2060 => remove("zero-width character", out),
                0x200B..=0x200D => {
                    let before = char_before(t, i);
                    let after = char_at(t, end);
                    if !before.is_some_and(uses_joiners) && !after.is_some_and(uses_joiners) {
                        remove("zero-width character", out);
                    }
                }
                _ if is_odd_space(c) => {
                    let before = char_before(t, i);
                    let after = char_at(t, end);
                    let french = after.is_some_and(|a| matches!(a, ';' | ':' | '!' | '?' | '»'))
                        || before == Some('«');
                    let digits = before.is_some_and(|c| c.is_ascii_digit())
                        && after.is_some_and(|c| c.is_ascii_digit());
                    // "Â" + NBSP is mojibake for a no-break space; generic/mojibake repairs it.
                    let mojibake = matches!(before, Some('Â' | 'Ã'));
                    if !french && !digits && !mojibake {
                        replace(" ", "odd space", out);
                    }
                }
                0x3000 if in_latin_context(t, i, end) => {
                    replace(" ", "ideographic space in Latin text", out);
                }
                _ if is_fullwidth_alnum(c) => {
                    let mut z = end;
                    let mut ascii = String::new();
                    ascii.push(char::from_u32(u - 0xFEE0).unwrap_or(c));
                    for d in t[end..].chars() {
                        if !is_fullwidth_alnum(d) {
                            break;
                        }
                        ascii.push(char::from_u32(d as u32 - 0xFEE0).unwrap_or(d));
                        z += d.len_utf8();
                    }
                    if in_latin_context(t, i, z) {
                        out.push(Finding::fix(
                            ID,
                            ArtifactKind::Unicode,
                            Span::new(i, z),
                            ascii,
                            Confidence::Certain,
                            "fullwidth letters in Latin text",
                        ));
                    }
                    i = z;
                    continue;
                }
                _ => {}
            }
            i = end;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn printable_words_are_exactly_the_printable_ascii_ones() {
        let mut bytes: Vec<u8> = (0u8..=255).collect();
        bytes.extend_from_slice(b"plain text here!");
        for w in bytes.windows(8) {
            let x = u64::from_le_bytes(w.try_into().unwrap());
            let want = w.iter().all(|&b| (0x20..=0x7E).contains(&b));
            assert_eq!(super::all_printable_ascii(x), want, "{w:?}");
        }
        for b in 0u8..=255 {
            let w = *b"abcdefgh";
            for k in 0..8 {
                let mut v = w;
                v[k] = b;
                let x = u64::from_le_bytes(v);
                assert_eq!(
                    super::all_printable_ascii(x),
                    (0x20..=0x7E).contains(&b),
                    "{v:?}"
                );
            }
        }
    }

    /// The first interesting byte at or after `from`, one byte at a time.
    fn slow_next(b: &[u8], from: usize) -> Option<usize> {
        (from..b.len()).find(|&k| super::interesting(b[k]))
    }

    #[test]
    fn next_interesting_sees_every_byte_value_at_every_offset() {
        for v in 0u8..=255 {
            for at in 0..80 {
                let mut b = vec![b'a'; 80];
                b[at] = v;
                // Bytes that must be skipped nearby: a newline and a lead byte of no interest.
                b[(at + 7) % 80] = b'\n';
                b[(at + 13) % 80] = 0xE4;
                for from in 0..=80 {
                    let want = slow_next(&b, from);
                    assert_eq!(super::next_interesting(&b, from), want, "{v} {at} {from}");
                    #[cfg(target_arch = "x86_64")]
                    if std::arch::is_x86_feature_detected!("avx2") {
                        // SAFETY: the processor has AVX2.
                        let got = unsafe { super::next_interesting_avx2(&b, from) };
                        match got {
                            Ok(p) => assert_eq!(Some(p), want, "{v} {at} {from}"),
                            Err(rest) => assert!(
                                rest + 32 > b.len() && want.map_or(true, |p| p >= rest),
                                "{v} {at} {from}"
                            ),
                        }
                    }
                }
            }
        }
        for t in crate::rules::testing::fixture_texts() {
            let b = t.as_bytes();
            let mut i = 0;
            while let Some(p) = super::next_interesting(b, i) {
                assert_eq!(Some(p), slow_next(b, i));
                i = p + 1;
            }
            assert_eq!(slow_next(b, i), None);
        }
    }

    #[test]
    fn the_stretch_wise_quick_check_answers_as_the_whole_text_one() {
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        let cases = [
            "",
            "plain",
            "caf\u{e9}",
            "cafe\u{301}",
            "e\u{301}\u{316} x",
            "a\u{316}\u{301}b",
            "\u{301}",
            "x \u{301}",
            "\u{1100}\u{1161}",
            "\u{F900} and \u{2F800}",
            "Ω and \u{2126}",
            "“quoted” — text, 東京 and ＧＤＰ",
        ];
        for t in cases {
            let want = is_nfc_quick(t.chars()) == IsNormalized::Yes;
            assert_eq!(super::nfc_quick_yes(t), want, "{t:?}");
        }
        for t in crate::rules::testing::fixture_texts() {
            let want = is_nfc_quick(t.chars()) == IsNormalized::Yes;
            assert_eq!(super::nfc_quick_yes(&t), want);
        }
    }

    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["generic/unicode"];

    #[test]
    fn fixes() {
        assert_fixes(R, "cafe\u{301} au lait", "café au lait");
        assert_fixes(R, "a\u{0}b\u{B}c\u{7F}d\te", "abcd\te");
        assert_fixes(R, "zero\u{200B}width and\u{FEFF} bom", "zerowidth and bom");
        assert_fixes(R, "co\u{AD}operate", "cooperate");
        assert_fixes(R, "a\u{200D}b", "ab");
        assert_fixes(
            R,
            "GDP\u{A0}rose\u{2009}5%\u{202F}in May",
            "GDP rose 5% in May",
        );
        assert_fixes(R, "word\u{3000}word", "word word");
        assert_fixes(
            R,
            "the ｉＰｈｏｎｅ sold ２０２２ units",
            "the iPhone sold 2022 units",
        );
        let (i, o) = crate::rules::Rule::example(&super::Unicode);
        assert_fixes(R, i, o);
    }

    #[test]
    fn leaves_alone() {
        assert_clean(R, "Plain ASCII text, with tabs\tand lines\n");
        assert_clean(R, "Crème brûlée à la française, Ärger, niño.");
        assert_clean(R, "Bonjour\u{A0}! Il a dit\u{A0}: «\u{A0}oui\u{A0}».");
        assert_clean(R, "Population: 10\u{202F}000 people.");
        assert_clean(R, "میخواهم\u{200C}رفتن");
        assert_clean(R, "क्\u{200D}ष");
        assert_clean(R, "family 👨\u{200D}👩\u{200D}👧 emoji");
        assert_clean(R, "　　他说，使用ｉＰｈｏｎｅ手机２０２２年。");
        assert_clean(R, "東京は２０２２年に");
        assert_clean(R, "豈 compat \u{F900} ideograph");
        assert_clean(R, "cost \u{92}C1 left to mojibake");
    }
}
