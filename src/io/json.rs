//! JSON output for the hot paths (change-log lines, output records): the bytes serde_json's
//! compact writer produces, written without its per-value formatter calls.
//!
//! A string is copied in runs between the bytes that need an escape (`"`, `\`, and controls
//! below U+0020); everything else, non-ASCII included, is copied as is.

/// Bytes that need an escape inside a JSON string.
const fn escapes() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
}
static ESCAPE: [bool; 256] = escapes();

/// The bytes of `x` that need an escape, as the high bit of each byte; the lowest one set is the
/// first such byte. A byte below 0x20 borrows when 0x20 is subtracted from it; a `"` or `\\`
/// becomes zero under the xor and borrows when 1 is subtracted. A borrow can flag a later byte
/// wrongly, but only after a byte that is flagged rightly, so the lowest flag is exact.
#[inline(always)]
fn escape_bits8(x: u64) -> u64 {
    use crate::text::lanes::{LANE_HI, LANE_LO};
    let below = x.wrapping_sub(LANE_LO * 0x20);
    let q = x ^ (LANE_LO * b'"' as u64);
    let bs = x ^ (LANE_LO * b'\\' as u64);
    (below | q.wrapping_sub(LANE_LO) | bs.wrapping_sub(LANE_LO)) & !x & LANE_HI
}

/// The first byte at or after `i` that needs an escape, or `b.len()`. On x86-64 sixteen bytes at
/// a time with SSE2 (part of every such processor), then eight at a time, then bytewise.
#[inline]
fn next_escape(b: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64. A byte is at most 0x1F exactly when its unsigned
        // minimum with 0x1F is itself.
        let hits = |x| unsafe {
            let control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
            let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
            _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash)))
        };
        match crate::text::lanes::first_in_blocks16(b, i, hits) {
            Ok(p) => return p,
            Err(rest) => i = rest,
        }
    }
    while let Some(w) = b.get(i..i + 8) {
        let m = escape_bits8(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| ESCAPE[c as usize])
        .map_or(b.len(), |k| i + k)
}

/// Appends `s` as a JSON string, quotes included.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut i = 0;
    loop {
        let j = next_escape(b, i);
        out.extend_from_slice(&b[i..j]);
        let Some(&c) = b.get(j) else { break };
        i = j + 1;
        let short: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 0xf) as usize]);
                continue;
            }
        };
        out.extend_from_slice(short);
    }
    out.push(b'"');
}

/// Appends `n` in decimal.
pub fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `"key":` (for keys that need no escape: the writers' own field names).
pub fn write_key(out: &mut Vec<u8>, key: &str) {
    debug_assert!(!key.bytes().any(|c| ESCAPE[c as usize]));
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let all_controls: String = (0u8..0x20).map(char::from).collect();
        for s in [
            "",
            "plain",
            "quote \" and backslash \\ ",
            "line\nbreak\r\ttab",
            &all_controls,
            "\u{7f} DEL, é, 中文, 😀, \u{2028}",
            "\"",
        ] {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 99, 100, 12345, u64::MAX] {
            let mut out = Vec::new();
            write_u64(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    #[test]
    fn the_word_test_flags_exactly_the_words_with_an_escape() {
        for c in 0u8..=255 {
            for k in 0..8 {
                for fill in [b'a', b' ', 0xE2, 0x7F, b'!', b'#', b'[', b']'] {
                    let mut w = [fill; 8];
                    w[k] = c;
                    let want = w.iter().position(|&x| super::ESCAPE[x as usize]);
                    let m = super::escape_bits8(u64::from_le_bytes(w));
                    let got = (m != 0).then(|| (m.trailing_zeros() / 8) as usize);
                    assert_eq!(got, want, "{w:?}");
                }
            }
        }
    }

    /// The block-wise search finds the first byte that needs an escape wherever it lies: in a
    /// sixteen-byte block, an eight-byte word or the bytewise tail, from any start.
    #[test]
    fn next_escape_finds_the_first_escape_from_any_start() {
        for len in 0..48 {
            for at in (0..len).map(Some).chain([None]) {
                for c in [b'"', b'\\', 0x00, 0x1F, b'\n'] {
                    for fill in [b'a', 0x20, 0x7F, 0x80, 0xFF, 0xE4] {
                        let mut b = vec![fill; len];
                        if let Some(k) = at {
                            b[k] = c;
                        }
                        for start in 0..=len {
                            let want = b[start..]
                                .iter()
                                .position(|&x| super::ESCAPE[x as usize])
                                .map_or(len, |k| start + k);
                            assert_eq!(super::next_escape(&b, start), want, "{b:?} from {start}");
                        }
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_matches_serde_json(
            chars in prop::collection::vec(
                prop_oneof![any::<char>(), (0u8..0x80).prop_map(char::from)],
                0..64,
            )
        ) {
            let s: String = chars.into_iter().collect();
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn any_number_matches(n: u64) {
            let mut out = Vec::new();
            write_u64(&mut out, n);
            prop_assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
