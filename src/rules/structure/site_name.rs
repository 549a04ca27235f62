//! `structure/site-name`: a site name standing alone at the end of the page.
//!
//! **What it fixes.** A short line in the closing chrome of a page that says a name twice in a
//! row ("Titanium Media Titanium Media Interface", "钛媒体钛媒体"): a logo's text and its link
//! text, scraped together. Removed when every line after it is chrome too (or it is the last).
//!
//! **Why.** It is the site's name, not a line of the article.
//!
//! **Not touched.** Lines with sentence punctuation or more than 8 words; lines followed by
//! article text; the title; lines that do not repeat a phrase.

use super::chrome::Chrome;
use super::lines::{is_blank, trimmed};
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::chars::is_cjk_letter;
use crate::text::{ArtifactKind, Confidence};

pub struct SiteName {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(SiteName {
        chrome: Chrome::shared(d),
    })
}

/// True when the line says a phrase twice in a row: Latin words (the phrase capitalized, 4+
/// letters in all) or CJK characters (2+).
pub fn repeats_a_phrase(line: &str) -> bool {
    if line.len() > 80
        || line.contains(['.', ',', '!', '?', '。', '，', '！', '？', ':', '：', ';'])
    {
        return false;
    }
    if line.chars().any(is_cjk_letter) {
        let cs: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        if cs.len() > 30 {
            return false;
        }
        for k in 2..=cs.len() / 2 {
            for i in 0..=cs.len() - 2 * k {
                if cs[i..i + k] == cs[i + k..i + 2 * k]
                    && cs[i..i + k].iter().all(|c| is_cjk_letter(*c))
                {
                    return true;
                }
            }
        }
        return false;
    }
    let ws: Vec<&str> = line.split_whitespace().collect();
    if ws.len() > 8 || ws.len() < 2 {
        return false;
    }
    for k in 1..=ws.len() / 2 {
        for i in 0..=ws.len() - 2 * k {
            let a = &ws[i..i + k];
            let letters: usize = a
                .iter()
                .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
                .sum();
            if letters >= 4
                && a[0].chars().next().is_some_and(char::is_uppercase)
                && a.iter()
                    .zip(&ws[i + k..i + 2 * k])
                    .all(|(x, y)| x.eq_ignore_ascii_case(y))
            {
                return true;
            }
        }
    }
    false
}

impl Rule for SiteName {
    fn id(&self) -> &'static str {
        "structure/site-name"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes a site name standing alone in the closing chrome (\"Titanium Media Titanium Media Interface\")"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\nBody.\n\nTitanium Media Titanium Media Interface\n",
            "Title\n\nBody.\n",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let ls = shared::lines(doc);
        let Some(ti) = shared::title_index(doc, &self.chrome) else {
            return;
        };
        // Walk back from the end over the closing chrome.
        for i in (ti + 1..ls.len()).rev() {
            if is_blank(t, ls[i]) {
                continue;
            }
            let line = trimmed(t, ls[i]).0;
            if repeats_a_phrase(line) {
                out.extend(remove_line(
                    self.id(),
                    t,
                    ls,
                    i,
                    Confidence::Likely,
                    "site name in the page footer",
                ));
            } else if !self.chrome.is_chrome(line) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::repeats_a_phrase;
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["structure/site-name"];

    #[test]
    fn phrase_repeats() {
        assert!(repeats_a_phrase("Titanium Media Titanium Media Interface"));
        assert!(repeats_a_phrase("钛媒体钛媒体"));
        assert!(!repeats_a_phrase(
            "People's Daily Client Shanghai Channel Jiang Hongbing"
        ));
        assert!(!repeats_a_phrase("that that is"));
        assert!(!repeats_a_phrase("人人都说好"));
    }

    #[test]
    fn removes_footer_site_names() {
        assert_fixes(
            R,
            "Title\n\nBody.\n\nmedia coverage\n\nTitanium Media Titanium Media Interface\nRelated events\n",
            "Title\n\nBody.\n\nmedia coverage\n\nRelated events\n",
        );
        assert_fixes(R, "标题\n\n正文。\n\n钛媒体钛媒体\n", "标题\n\n正文。\n");
    }

    #[test]
    fn keeps_names_in_the_article() {
        assert_clean(
            R,
            "Title\n\nBody.\n\nNew York New York\n\nThe song was played at the end of the night.\n",
        );
        assert_clean(
            R,
            "Title\n\nBody.\n\nPeople's Daily Client Shanghai Channel Jiang Hongbing\n",
        );
    }
}
