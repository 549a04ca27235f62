//! Windows-1252 (and Latin-1) byte values of characters, for undoing mojibake: UTF-8 bytes that
//! were decoded one byte per character.

/// The characters Windows-1252 puts at bytes 0x80..=0x9F (`None` where it defines none).
const HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The byte a character stands for when text was decoded as Windows-1252 (falling back to
/// Latin-1 for U+0080..=U+009F, which is what decoders leave for bytes 1252 leaves undefined).
pub fn byte_of(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 {
        return Some(u as u8);
    }
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    HIGH.iter()
        .position(|h| *h == Some(c))
        .map(|i| 0x80 + i as u8)
}

/// The Windows-1252 character for a byte in 0x80..=0x9F, if it defines one.
pub fn char_of_high(b: u8) -> Option<char> {
    if (0x80..=0x9F).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        None
    }
}

/// True for characters that stand for a UTF-8 continuation byte (0x80..=0xBF).
pub fn is_continuation(c: char) -> bool {
    byte_of(c).is_some_and(|b| (0x80..=0xBF).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes() {
        assert_eq!(byte_of('€'), Some(0x80));
        assert_eq!(byte_of('™'), Some(0x99));
        assert_eq!(byte_of('©'), Some(0xA9));
        assert_eq!(byte_of('Ã'), Some(0xC3));
        assert_eq!(byte_of('\u{9D}'), Some(0x9D));
        assert_eq!(byte_of('中'), None);
        assert!(is_continuation('€') && is_continuation('¿') && !is_continuation('À'));
        assert_eq!(char_of_high(0x92), Some('’'));
        assert_eq!(char_of_high(0x81), None);
    }
}
