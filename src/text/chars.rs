//! Character classes used by many rules.

/// Han ideographs (CJK Unified Ideographs and their extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// Hiragana and katakana (including the halfwidth forms and the prolonged sound mark).
pub fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Hangul syllables and jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF)
}

/// Any CJK letter: Han, kana or Hangul.
pub fn is_cjk_letter(c: char) -> bool {
    // Below U+1100 (Latin, Greek, Cyrillic...) none is: one compare for the common case.
    c >= '\u{1100}' && (is_han(c) || is_kana(c) || is_hangul(c))
}

/// Whether `c` is alphabetic: `char::is_alphabetic` with the common Han block answered first
/// (every character of U+4E00..=U+9FFF is a letter; a test checks it against the tables).
#[inline(always)]
fn is_letter(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || c.is_alphabetic()
}

/// The nearest alphabetic character before `pos` in `s` (skipping spaces, digits, punctuation),
/// looking back at most `limit` characters.
pub fn letter_before(s: &str, pos: usize, limit: usize) -> Option<char> {
    let b = s.as_bytes();
    let mut i = pos;
    for _ in 0..limit {
        // An ASCII byte is a character of its own: no decoding.
        let x = *b[..i].last()?;
        if x < 0x80 {
            if x.is_ascii_alphabetic() {
                return Some(char::from(x));
            }
            i -= 1;
        } else {
            let c = s[..i].chars().next_back()?;
            if is_letter(c) {
                return Some(c);
            }
            i -= c.len_utf8();
        }
    }
    None
}

/// The nearest alphabetic character at or after `pos` in `s`, looking ahead at most `limit` chars.
pub fn letter_after(s: &str, pos: usize, limit: usize) -> Option<char> {
    let b = s.as_bytes();
    let mut i = pos;
    for _ in 0..limit {
        let x = *b.get(i)?;
        if x < 0x80 {
            if x.is_ascii_alphabetic() {
                return Some(char::from(x));
            }
            i += 1;
        } else {
            let c = s[i..].chars().next()?;
            if is_letter(c) {
                return Some(c);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// True when `pos` sits in a CJK context: the nearest letter on either side is a CJK letter.
pub fn in_cjk_context(s: &str, start: usize, end: usize) -> bool {
    letter_before(s, start, 40).is_some_and(is_cjk_letter)
        || letter_after(s, end, 40).is_some_and(is_cjk_letter)
}

/// Byte ranges of the lines of `s` (without their `\n`); a final `\n` ends the last line.
pub fn line_ranges(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let body = s.strip_suffix('\n').unwrap_or(s).as_bytes();
    // Where the next line starts; `None` once the last one is out (at once for "").
    let mut start = (!s.is_empty()).then_some(0);
    std::iter::from_fn(move || {
        let ls = start?;
        let le = memchr::memchr(b'\n', &body[ls..]).map_or(body.len(), |k| ls + k);
        start = (le < body.len()).then_some(le + 1);
        Some((ls, le))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let v: Vec<_> = line_ranges("a\nbc\n").collect();
        assert_eq!(v, vec![(0, 1), (2, 4)]);
        let v: Vec<_> = line_ranges("a\n\nb").collect();
        assert_eq!(v, vec![(0, 1), (2, 2), (3, 4)]);
        assert_eq!(line_ranges("").count(), 0);
        let v: Vec<_> = line_ranges("\n").collect();
        assert_eq!(v, vec![(0, 0)]);
        let v: Vec<_> = line_ranges("\n\na\n\n").collect();
        assert_eq!(v, vec![(0, 0), (1, 1), (2, 3), (4, 4)]);
    }

    #[test]
    fn han_block_is_alphabetic_and_letter_scans_match_chars() {
        for u in 0x4E00..=0x9FFFu32 {
            let c = char::from_u32(u).unwrap();
            assert!(c.is_alphabetic(), "{u:X}");
        }
        let s = "a, 中文 1.5 é — b\n“好” x";
        let old_before = |pos: usize, limit: usize| {
            s[..pos]
                .chars()
                .rev()
                .take(limit)
                .find(|c| c.is_alphabetic())
        };
        let old_after =
            |pos: usize, limit: usize| s[pos..].chars().take(limit).find(|c| c.is_alphabetic());
        for pos in (0..=s.len()).filter(|&p| s.is_char_boundary(p)) {
            for limit in 0..6 {
                assert_eq!(
                    letter_before(s, pos, limit),
                    old_before(pos, limit),
                    "{pos} {limit}"
                );
                assert_eq!(
                    letter_after(s, pos, limit),
                    old_after(pos, limit),
                    "{pos} {limit}"
                );
            }
        }
    }

    #[test]
    fn contexts() {
        let s = "他说、好 and then 、 more";
        let i = s.find('、').unwrap();
        assert!(in_cjk_context(s, i, i + 3));
        let j = s.rfind('、').unwrap();
        assert!(!in_cjk_context(s, j, j + 3));
    }
}
