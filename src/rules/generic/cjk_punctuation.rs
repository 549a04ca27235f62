//! `generic/cjk-punctuation`: Chinese and Japanese punctuation left in Latin-script text.
//!
//! **What it fixes.** In Latin-script context, decided per occurrence from the nearest letter on
//! each side: `、` and `，` -> ", "; `。` -> ". "; `：` -> ": "; `；` -> "; "; `！` -> "! ";
//! `？` -> "? "; `（X）` -> " (X)"; `《X》` -> "“X”"; `【X】` -> "[X]". Spaces around the mark are
//! absorbed so the result is spaced like English ("schoolbag 、 Dragging" -> "schoolbag, Dragging";
//! "《 Guidance 》" -> "“Guidance”"). No space is added before a closing mark or at a line end.
//!
//! **Why.** Machine translation of Chinese often leaves the source punctuation behind.
//!
//! **Example.** "Carrying a schoolbag 、 Dragging luggage" -> "Carrying a schoolbag, Dragging
//! luggage".
//!
//! **Not touched.** Chinese and Japanese text ("他说、好", "《红楼梦》"): a mark with a CJK letter
//! as its nearest letter on either side, or with no letter nearby at all, stays. Case after the
//! mark is another rule's job.

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::context::{char_at, char_before, in_latin_context};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct CjkPunctuation;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(CjkPunctuation)
}

const ID: &str = "generic/cjk-punctuation";

#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// Separator followed by a space: the ASCII mark.
    Sep(char),
    /// Opening bracket or quote.
    Open(char),
    /// Closing bracket or quote.
    Close(char),
}

fn role(c: char) -> Option<Role> {
    Some(match c {
        '、' | '，' => Role::Sep(','),
        '。' => Role::Sep('.'),
        '：' => Role::Sep(':'),
        '；' => Role::Sep(';'),
        '！' => Role::Sep('!'),
        '？' => Role::Sep('?'),
        '（' => Role::Open('('),
        '）' => Role::Close(')'),
        '《' => Role::Open('“'),
        '》' => Role::Close('”'),
        '【' => Role::Open('['),
        '】' => Role::Close(']'),
        _ => return None,
    })
}

/// Characters after which no space is wanted before them (closing marks, separators).
fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '”' | '’' | '"' | '\'' | ',' | '.' | ';' | ':' | '!' | '?' | '…'
    ) || matches!(role(c), Some(Role::Close(_) | Role::Sep(_)))
}

fn is_opening(c: char) -> bool {
    matches!(c, '(' | '[' | '“' | '‘' | '"' | '\'' | '/' | '-')
        || matches!(role(c), Some(Role::Open(_)))
}

/// Spaces (ASCII or ideographic) before `pos` on the same line.
fn spaces_before(t: &str, mut pos: usize) -> usize {
    loop {
        match char_before(t, pos) {
            Some(c @ (' ' | '\u{3000}')) => pos -= c.len_utf8(),
            _ => return pos,
        }
    }
}

fn spaces_after(t: &str, mut pos: usize) -> usize {
    loop {
        match char_at(t, pos) {
            Some(c @ (' ' | '\u{3000}')) => pos += c.len_utf8(),
            _ => return pos,
        }
    }
}

/// The partner of a bracket pair on the same line must be in Latin-script context too, so a pair
/// is converted whole or not at all.
fn partner_ok(t: &str, at: usize, end: usize, c: char) -> bool {
    let (open, close) = match c {
        '（' | '）' => ('（', '）'),
        '《' | '》' => ('《', '》'),
        '【' | '】' => ('【', '】'),
        _ => return true,
    };
    if c == open {
        let line_end = t[end..].find('\n').map_or(t.len(), |p| end + p);
        match t[end..line_end].find(close) {
            Some(p) => in_latin_context(t, end + p, end + p + close.len_utf8()),
            None => true,
        }
    } else {
        let line_start = t[..at].rfind('\n').map_or(0, |p| p + 1);
        match t[line_start..at].rfind(open) {
            Some(p) => in_latin_context(t, line_start + p, line_start + p + open.len_utf8()),
            None => true,
        }
    }
}

impl Rule for CjkPunctuation {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Punctuation
    }
    fn describe(&self) -> &'static str {
        "Replaces Chinese/Japanese punctuation in Latin-script text with its English form"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Carrying a schoolbag 、 Dragging luggage",
            "Carrying a schoolbag, Dragging luggage",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        50
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let b = t.as_bytes();
        let mut i = 0;
        while let Some(off) = memchr::memchr2(0xE3, 0xEF, &b[i..]) {
            let at = i + off;
            let Some(c) = char_at(t, at) else { break };
            let end = at + c.len_utf8();
            i = end;
            let Some(r) = role(c) else { continue };
            if !in_latin_context(t, at, end) || !partner_ok(t, at, end, c) {
                continue;
            }
            let before = char_before(t, spaces_before(t, at));
            let (span, rep) = match r {
                Role::Sep(p) => {
                    let a = spaces_before(t, at);
                    let z = spaces_after(t, end);
                    let next = char_at(t, z);
                    let digits = char_before(t, at).is_some_and(|c| c.is_ascii_digit())
                        && char_at(t, end).is_some_and(|c| c.is_ascii_digit());
                    let space = match next {
                        None | Some('\n') => false,
                        Some(n) if is_closing(n) => false,
                        _ if p == ':' && digits => false,
                        _ => true,
                    };
                    // A mark opening a line keeps the line's start; only its trailing space goes.
                    let a = if a > 0 && b[a - 1] == b'\n' || a == 0 {
                        at
                    } else {
                        a
                    };
                    (
                        Span::new(a, z),
                        if space {
                            format!("{p} ")
                        } else {
                            p.to_string()
                        },
                    )
                }
                Role::Open(p) => {
                    let z = spaces_after(t, end);
                    let lead = before
                        .is_some_and(|c| c != '\n' && !c.is_whitespace() && !is_opening(c))
                        && spaces_before(t, at) == at;
                    (
                        Span::new(at, z),
                        if lead { format!(" {p}") } else { p.to_string() },
                    )
                }
                Role::Close(p) => {
                    let a = spaces_before(t, at);
                    let a = if a > 0 && b[a - 1] == b'\n' || a == 0 {
                        at
                    } else {
                        a
                    };
                    let next = char_at(t, end);
                    let trail = next.is_some_and(|n| n.is_alphanumeric() || matches!(n, '“' | '('));
                    (
                        Span::new(a, end),
                        if trail {
                            format!("{p} ")
                        } else {
                            p.to_string()
                        },
                    )
                }
            };
            out.push(Finding::fix(
                ID,
                ArtifactKind::Punctuation,
                span,
                rep,
                Confidence::Certain,
                "CJK punctuation in Latin-script text",
            ));
            i = i.max(span.end);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["generic/cjk-punctuation"];

    #[test]
    fn fixes() {
        assert_fixes(
            R,
            "Carrying a schoolbag 、 Dragging luggage",
            "Carrying a schoolbag, Dragging luggage",
        );
        assert_fixes(R, "A、B，C", "A, B, C");
        assert_fixes(R, "It ended。Then it rained", "It ended. Then it rained");
        assert_fixes(R, "It ended。\nNext", "It ended.\nNext");
        assert_fixes(R, "Caption：Lin said", "Caption: Lin said");
        assert_fixes(R, "at 10：30 today", "at 10:30 today");
        assert_fixes(
            R,
            "first；second！Really？Yes",
            "first; second! Really? Yes",
        );
        assert_fixes(R, "the city（Shanghai）said", "the city (Shanghai) said");
        assert_fixes(
            R,
            "the city （ Shanghai ） said",
            "the city (Shanghai) said",
        );
        assert_fixes(R, "read 《 Guidance 》 now", "read “Guidance” now");
        assert_fixes(R, "read《Guidance》now", "read “Guidance” now");
        assert_fixes(R, "【Notice】 all staff", "[Notice] all staff");
        assert_fixes(
            R,
            "( The reporter Yao Yujie 、 Gong Wen 、 Sun Qing )",
            "( The reporter Yao Yujie, Gong Wen, Sun Qing )",
        );
        assert_fixes(R, "“Hello，”he said", "“Hello,”he said");
    }

    #[test]
    fn leaves_alone() {
        assert_clean(R, "他说、好。");
        assert_clean(R, "《红楼梦》是一部小说。");
        assert_clean(R, "東京（とうきょう）は日本の首都です。");
        assert_clean(R, "Xinhua 上海、 Beijing");
        assert_clean(R, "1、2、3");
        assert_clean(
            R,
            "Plain English, with (ASCII) punctuation: fine; really! ok?",
        );
        assert_clean(R, "The novel 红楼梦《Dream》 was");
    }
}
