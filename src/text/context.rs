//! Context tests shared by the generic rules: which script surrounds a position, whether a
//! position sits inside a URL or an e-mail address, and small character classes.

use super::chars::{is_cjk_letter, letter_after, letter_before};

/// How far (in characters) the context tests look on each side.
pub const CONTEXT_CHARS: usize = 40;

/// True when the text around `start..end` is Latin-script (or any non-CJK alphabet): the nearest
/// letter on each side, where there is one, is not a CJK letter, and at least one side has a
/// letter. A position with no letter nearby at all is not a Latin context (nothing to decide by).
pub fn in_latin_context(s: &str, start: usize, end: usize) -> bool {
    let before = letter_before(s, start, CONTEXT_CHARS);
    let after = letter_after(s, end, CONTEXT_CHARS);
    if before.is_none() && after.is_none() {
        return false;
    }
    !before.is_some_and(is_cjk_letter) && !after.is_some_and(is_cjk_letter)
}

/// The whitespace-delimited token around byte `pos` (a char boundary), as a byte range.
pub fn token_around(s: &str, pos: usize) -> (usize, usize) {
    let b = s.as_bytes();
    let mut a = pos.min(b.len());
    while a > 0 && !b[a - 1].is_ascii_whitespace() {
        a -= 1;
    }
    let mut z = pos.min(b.len());
    while z < b.len() && !b[z].is_ascii_whitespace() {
        z += 1;
    }
    (a, z)
}

/// True when byte `pos` lies in a token that looks like a URL, an e-mail address, a domain or a
/// piece of markup/code, where punctuation spacing rules must not apply.
pub fn in_url_like(s: &str, pos: usize) -> bool {
    let (a, z) = token_around(s, pos);
    let tok = &s[a..z];
    if tok.contains("://")
        || tok.contains('@')
        || tok.contains("::")
        || tok.contains('=')
        || tok.contains('&')
    {
        return true;
    }
    let body = tok.trim_start_matches(|c: char| !c.is_alphanumeric());
    [
        "www.", "mailto:", "doi:", "urn:", "tel:", "isbn:", "arxiv:", "file:",
    ]
    .iter()
    .any(|p| {
        body.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    })
}

/// The character ending at byte `pos` (the one just before it).
pub fn char_before(s: &str, pos: usize) -> Option<char> {
    s[..pos].chars().next_back()
}

/// The character starting at byte `pos`.
pub fn char_at(s: &str, pos: usize) -> Option<char> {
    s[pos..].chars().next()
}

/// Scripts that use zero-width joiners and spaces as part of correct text (Arabic, Indic, Thai,
/// emoji sequences...): anything that is not Latin, Greek, Cyrillic, CJK, ASCII or common
/// punctuation.
pub fn uses_joiners(c: char) -> bool {
    let u = c as u32;
    !(c.is_ascii()
        || (0x00A0..=0x024F).contains(&u)
        || (0x1E00..=0x1EFF).contains(&u)
        || (0x0370..=0x052F).contains(&u)
        || (0x2000..=0x206F).contains(&u)
        || (0x3000..=0x303F).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
        || is_cjk_letter(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_context() {
        let s = "schoolbag 、 Dragging";
        let i = s.find('、').unwrap();
        assert!(in_latin_context(s, i, i + 3));
        let s = "他说、好";
        let i = s.find('、').unwrap();
        assert!(!in_latin_context(s, i, i + 3));
        let s = "Xinhua 上海、 Beijing";
        let i = s.find('、').unwrap();
        assert!(!in_latin_context(s, i, i + 3));
        assert!(!in_latin_context("12、34", 2, 5));
    }

    #[test]
    fn url_like() {
        let s = "see https://x.y/a?b=c,d now";
        assert!(in_url_like(s, s.find(',').unwrap()));
        let s = "mail ann@example.com,bob";
        assert!(in_url_like(s, s.find(',').unwrap()));
        let s = "visit www.example.com.Then";
        assert!(in_url_like(s, s.find(".Then").unwrap()));
        let s = "(doi:10.1000/182)";
        assert!(in_url_like(s, s.find(':').unwrap()));
        let s = "rose,and fell";
        assert!(!in_url_like(s, 4));
    }

    #[test]
    fn joiners() {
        assert!(uses_joiners('ب'));
        assert!(uses_joiners('क'));
        assert!(uses_joiners('😀'));
        assert!(!uses_joiners('a'));
        assert!(!uses_joiners('é'));
        assert!(!uses_joiners('中'));
    }
}
