//! `generic/mojibake`: UTF-8 text that was decoded as Windows-1252 or Latin-1.
//!
//! **What it fixes.** Runs like "â€™" (’), "Ã©" (é), "â€œ" (“), "Ã¼" (ü), "Ð¿Ñ€Ð¸" (при),
//! "ðŸ˜€" (😀): the characters are read back as the bytes they were decoded from, and the run is
//! replaced by what those bytes say in UTF-8. A bare "â€" (the 0x9D byte of ” lost, as 1252 has no
//! character for it) becomes ” when an opening quote precedes it on the line. A lone C1 control
//! character (U+0080..U+009F) is read as the Windows-1252 character it stands for (U+0092 -> ’).
//!
//! **Why.** Pages served or scraped with the wrong charset are common in crawled news.
//!
//! **Example.** "The firmâ€™s cafÃ© said" -> "The firm’s café said".
//!
//! **Not touched.** Correct accented text (French, German, Spanish...): a repair needs a lead
//! character followed by the exact continuation characters of a valid UTF-8 sequence, and a
//! two-byte sequence whose second character is a letter is only repaired after "Ã" or in a run of
//! several sequences. Sequences that would decode to control or private-use characters.

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::context::char_at;
use crate::text::cp1252::{byte_of, char_of_high, is_continuation};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Mojibake;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Mojibake)
}

const ID: &str = "generic/mojibake";

/// One mojibake sequence: its byte range in the text, what it decodes to, and whether its second
/// character is a letter (weaker evidence).
struct Seq {
    start: usize,
    end: usize,
    ch: char,
    lead: u8,
    nbytes: usize,
    letter_cont: bool,
}

/// Reads a sequence starting at `i` (a char boundary), if the characters there are the
/// Windows-1252 reading of one valid UTF-8 character.
fn read_seq(t: &str, i: usize) -> Option<Seq> {
    let mut it = t[i..].chars();
    let lead_c = it.next()?;
    let lead = byte_of(lead_c)?;
    if !(0xC2..=0xF4).contains(&lead) || (lead_c as u32) < 0x80 {
        return None;
    }
    let n = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let mut bytes = vec![lead];
    let mut end = i + lead_c.len_utf8();
    let mut letter_cont = false;
    for _ in 1..n {
        let c = it.next()?;
        if !is_continuation(c) {
            return None;
        }
        letter_cont |= c.is_alphanumeric();
        bytes.push(byte_of(c)?);
        end += c.len_utf8();
    }
    let s = std::str::from_utf8(&bytes).ok()?;
    let ch = s.chars().next()?;
    let u = ch as u32;
    let bad = ch.is_control()
        || (0xE000..=0xF8FF).contains(&u)
        || (0xF0000..).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE;
    if bad {
        return None;
    }
    Some(Seq {
        start: i,
        end,
        ch,
        lead,
        nbytes: n,
        letter_cont,
    })
}

impl Rule for Mojibake {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Encoding
    }
    fn describe(&self) -> &'static str {
        "Restores UTF-8 text that was decoded as Windows-1252 or Latin-1 (â€™ -> ’, Ã© -> é)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("The firmâ€™s cafÃ© said", "The firm’s café said")
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        20
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let b = t.as_bytes();
        // Every lead character (U+00C2..U+00F4) is encoded C3 xx; C1 controls are C2 80..9F.
        if memchr::memchr2(0xC3, 0xC2, b).is_none() {
            return;
        }
        let mut i = 0;
        while i < b.len() {
            let Some(off) = memchr::memchr2(0xC3, 0xC2, &b[i..]) else {
                break;
            };
            i += off;
            // Collect a run of consecutive sequences.
            let mut run: Vec<Seq> = Vec::new();
            let mut j = i;
            while let Some(s) = read_seq(t, j) {
                j = s.end;
                run.push(s);
            }
            if !run.is_empty() {
                let several = run.len() >= 2;
                for s in &run {
                    let strong = s.nbytes >= 3
                        || s.lead == 0xC3
                        || s.lead == 0xC2
                        || !s.letter_cont
                        || several;
                    if strong {
                        out.push(Finding::fix(
                            ID,
                            ArtifactKind::Encoding,
                            Span::new(s.start, s.end),
                            s.ch.to_string(),
                            Confidence::Certain,
                            "UTF-8 read as Windows-1252",
                        ));
                    }
                }
                i = j;
                continue;
            }
            let c = char_at(t, i).unwrap_or(' ');
            let end = i + c.len_utf8();
            if c == 'â' && t[end..].starts_with('€') {
                // "â€" with its third byte lost: ” when an opening quote precedes on the line.
                let after = end + '€'.len_utf8();
                let line_start = t[..i].rfind('\n').map_or(0, |p| p + 1);
                let before = &t[line_start..i];
                let open = before
                    .rfind(['“'])
                    .map(|p| p + 3)
                    .or_else(|| before.rfind("â€œ").map(|p| p + 8));
                let close = before
                    .rfind('”')
                    .map(|p| p + 3)
                    .or_else(|| before.rfind("â€\u{9D}").map(|p| p + 7));
                if open.is_some_and(|o| close.map_or(true, |c| o > c))
                    && !char_at(t, after).is_some_and(is_continuation)
                {
                    out.push(Finding::fix(
                        ID,
                        ArtifactKind::Encoding,
                        Span::new(i, after),
                        "”",
                        Confidence::Likely,
                        "UTF-8 closing quote read as Windows-1252, last byte lost",
                    ));
                }
            } else if (0x80..=0x9F).contains(&(c as u32)) {
                let rep = char_of_high(c as u8).map(String::from).unwrap_or_default();
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Encoding,
                    Span::new(i, end),
                    rep,
                    Confidence::Likely,
                    "C1 control character read as Windows-1252",
                ));
            }
            i = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["generic/mojibake"];

    #[test]
    fn fixes() {
        assert_fixes(R, "The firmâ€™s cafÃ© said", "The firm’s café said");
        assert_fixes(R, "He said â€œyesâ€\u{9D} today", "He said “yes” today");
        assert_fixes(R, "He said â€œyesâ€ today", "He said “yes” today");
        assert_fixes(
            R,
            "MÃ¼nchen, GrÃ¶ÃŸe, seÃ±or, Ãªtre",
            "München, Größe, señor, être",
        );
        assert_fixes(R, "costs Â£5 and Â©2022", "costs £5 and ©2022");
        assert_fixes(R, "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет");
        assert_fixes(R, "smile ðŸ˜€ ok", "smile 😀 ok");
        assert_fixes(R, "wait â€¦ and â€“ dash", "wait … and – dash");
        assert_fixes(R, "double ÃƒÂ© case", "double é case");
        assert_fixes(R, "it\u{92}s", "it’s");
        assert_fixes(R, "ZaÅ¼Ã³Å‚Ä‡", "Zażółć");
    }

    #[test]
    fn leaves_alone() {
        assert_clean(R, "Le café est à côté de l'hôtel, déjà très connu.");
        assert_clean(R, "Größe, Übermaß, Äpfel und Öl für ihn.");
        assert_clean(R, "¿Qué pasó? ¡Año nuevo! El niño está aquí.");
        assert_clean(R, "São Paulo, AÇÃO, Ã sozinho");
        assert_clean(R, "price: 5 â€ then");
        assert_clean(R, "“quoted” text with a closing quote”");
        assert_clean(R, "Ça va, Ñandú ±5 °C, Å ngström");
    }
}
