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
    is_han(c) || is_kana(c) || is_hangul(c)
}

/// The nearest alphabetic character before `pos` in `s` (skipping spaces, digits, punctuation),
/// looking back at most `limit` characters.
pub fn letter_before(s: &str, pos: usize, limit: usize) -> Option<char> {
    s[..pos]
        .chars()
        .rev()
        .take(limit)
        .find(|c| c.is_alphabetic())
}

/// The nearest alphabetic character at or after `pos` in `s`, looking ahead at most `limit` chars.
pub fn letter_after(s: &str, pos: usize, limit: usize) -> Option<char> {
    s[pos..].chars().take(limit).find(|c| c.is_alphabetic())
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
    fn contexts() {
        let s = "他说、好 and then 、 more";
        let i = s.find('、').unwrap();
        assert!(in_cjk_context(s, i, i + 3));
        let j = s.rfind('、').unwrap();
        assert!(!in_cjk_context(s, j, j + 3));
    }
}
