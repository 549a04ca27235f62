//! What a text file really holds, told from its first bytes: UTF-16 with a byte-order mark
//! (decoded to UTF-8 here), binary data (rejected), or text (cleaned as it is).
//!
//! * A file opening with `FF FE` or `FE FF` is UTF-16 (little or big endian). It is transcoded to
//!   UTF-8 *keeping the BOM* as U+FEFF, so the cleaner's `generic/bom` edit removes it and the
//!   change log shows it; the change log's byte spans for such a document are against the UTF-8
//!   transcoding, and the report counts the document under `transcoded`.
//! * A file whose first 64 KiB are more than 3% control bytes (NUL and the other C0 controls
//!   except tab, LF, CR, form feed and escape, plus DEL; 10% for a file under 256 bytes) is
//!   binary. A text with a few stray NULs
//!   stays text: the cleaner removes them as control characters. Invalid UTF-8 alone does not
//!   make a file binary (a GBK or Latin-1 file is still text, repaired or rejected under
//!   `strict`).

/// How many leading bytes are looked at.
pub const SAMPLE: usize = 64 * 1024;

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// UTF-8 (or some other 8-bit text): cleaned as it is.
    Text,
    /// UTF-16 with a BOM, transcoded to UTF-8 (starting with U+FEFF); `invalid` counts unpaired
    /// surrogates (and an odd trailing byte) replaced with U+FFFD.
    Utf16 {
        encoding: &'static str,
        text: String,
        invalid: usize,
    },
    /// Not text: the reason to reject it.
    Binary(&'static str),
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f
}

/// Looks at `bytes` (a whole document).
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let le = bytes.starts_with(&[0xFF, 0xFE]);
    if le || bytes.starts_with(&[0xFE, 0xFF]) {
        let body = &bytes[2..];
        let units = body.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        let mut text = String::with_capacity(body.len() + 3);
        text.push('\u{FEFF}');
        let mut invalid = 0;
        for c in char::decode_utf16(units) {
            text.push(c.unwrap_or_else(|_| {
                invalid += 1;
                '\u{FFFD}'
            }));
        }
        if body.len() % 2 == 1 {
            text.push('\u{FFFD}');
            invalid += 1;
        }
        return Sniffed::Utf16 {
            encoding: if le { "utf-16le" } else { "utf-16be" },
            text,
            invalid,
        };
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.is_empty() {
        return Sniffed::Text;
    }
    let controls = sample.iter().filter(|&&b| is_control(b)).count();
    // Random bytes are about 11% control bytes; text has next to none. A short text gets more
    // room, as one or two stray NULs are a large share of it.
    let percent = if sample.len() >= 256 { 3 } else { 10 };
    if controls * 100 <= sample.len() * percent {
        return Sniffed::Text;
    }
    // Mostly NULs at every other byte: UTF-16 without a BOM.
    let nul_at = |parity: usize| {
        sample
            .iter()
            .enumerate()
            .filter(|&(i, &b)| i % 2 == parity && b == 0)
            .count()
    };
    let half = sample.len() / 2;
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 10 >= half * 9;
    let few = |n: usize| n * 10 <= half;
    if half >= 2 && ((mostly(even) && few(odd)) || (mostly(odd) && few(even))) {
        return Sniffed::Binary("binary file (looks like UTF-16 without a byte-order mark)");
    }
    Sniffed::Binary("binary file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "Héllo 中文 😀\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        for (bytes, enc) in [(le, "utf-16le"), (be, "utf-16be")] {
            assert_eq!(
                sniff(&bytes),
                Sniffed::Utf16 {
                    encoding: enc,
                    text: "\u{FEFF}Héllo 中文 😀\n".into(),
                    invalid: 0
                }
            );
        }
        // An unpaired surrogate and an odd trailing byte.
        let bad = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0, b'c'];
        assert_eq!(
            sniff(&bad),
            Sniffed::Utf16 {
                encoding: "utf-16le",
                text: "\u{FEFF}a\u{FFFD}b\u{FFFD}".into(),
                invalid: 2
            }
        );
    }

    #[test]
    fn binary_and_text() {
        assert_eq!(sniff(b""), Sniffed::Text);
        assert_eq!(sniff(b"plain text\r\n\twith tabs\x0c"), Sniffed::Text);
        assert_eq!(
            sniff(b"a few \0 stray NULs \0 in a longer line of text"),
            Sniffed::Text
        );
        assert_eq!(sniff(b"a\0b\0c rose , it said .\n"), Sniffed::Text);
        let mut long = b"Sales rose , the company said .\n".repeat(20);
        long[5] = 0;
        assert_eq!(sniff(&long), Sniffed::Text);
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(sniff(&noise), Sniffed::Binary("binary file"));
        assert_eq!(sniff("GBK bytes \u{00e9}".as_bytes()), Sniffed::Text);
        assert_eq!(
            sniff(&[0xB9, 0xFA, 0xBC, 0xD2, 0xD6, 0xD0, 0xCE, 0xC4]),
            Sniffed::Text
        );
        assert_eq!(sniff(&[0u8; 100]), Sniffed::Binary("binary file"));
        assert_eq!(
            sniff(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"),
            Sniffed::Binary("binary file")
        );
        let utf16_no_bom: Vec<u8> = "Hello world"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(matches!(sniff(&utf16_no_bom), Sniffed::Binary(r) if r.contains("UTF-16")));
    }
}
