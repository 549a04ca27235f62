//! `structure/boilerplate`: page chrome lines from the phrase lists.
//!
//! **What it fixes.** Whole lines that are page chrome, not article text: comment and share
//! blocks ("Leave a Comment", "Your email address will not be published."), reprint and
//! copyright notices ("This article is reprinted from:", "copyright notice", "author[X],Please
//! bring the original link to reprint, thank you."), link labels ("Visit the original URL",
//! "Read on", "Random recommended", "Related events"), image credits ("Image source: X", kept as
//! metadata `image_source`), "The post X appeared first on Y.". The lines are removed, with the
//! blank lines after them, so one paragraph break remains.
//!
//! **Why.** Scrapers keep the page around the article; none of it belongs in the text.
//!
//! **Data.** `dictionaries/boilerplate/<lang>.tsv` (en, zh, es, fr, de, ru, ja): phrase and how
//! it matches (whole line, line start as a label, line end after punctuation). Case, spacing and
//! punctuation are ignored. Every language's list runs on every document.
//!
//! **Not touched.** A sentence that mentions a comment, a copyright or a source in running text
//! ("Readers can leave a comment on the ministry's website."): a phrase must be the whole line, a
//! label followed by `:`-like punctuation, or the tail of a short line after punctuation. Lines
//! over 400 bytes are never looked at.

use super::chrome::Chrome;
use super::lines::{is_blank, trimmed};
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Boilerplate {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Boilerplate {
        chrome: Chrome::shared(d),
    })
}

impl Rule for Boilerplate {
    fn id(&self) -> &'static str {
        "structure/boilerplate"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes page chrome lines: comment/share blocks, reprint and copyright notices, link labels, image credits"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\nBody text.\n\nLeave a Comment\n",
            "Title\n\nBody text.\n",
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
        let mut key = String::new();
        for (i, l) in ls.iter().enumerate() {
            if is_blank(t, *l) {
                continue;
            }
            let line = trimmed(t, *l).0;
            let (heads, hit) = self.chrome.heads_list_and_phrase(line, &mut key);
            if heads && headline_list_follows(t, ls, i) {
                // The heading and its headlines go in one finding: up to the end of the text,
                // from just after the last article line before the heading.
                let Some(prev) = ls[..i].iter().rev().find(|p| !is_blank(t, **p)) else {
                    break;
                };
                let from = (prev.1 + 1).min(t.len());
                let from = if t[prev.1..].starts_with('\n') {
                    from
                } else {
                    prev.1
                };
                out.push(Finding::fix(
                    self.id(),
                    ArtifactKind::Chrome,
                    Span::new(from, t.len()),
                    "",
                    Confidence::Likely,
                    "headline list under a \"related\" heading",
                ));
                break;
            }
            let Some(hit) = hit else {
                continue;
            };
            let msg = format!("page chrome ({})", hit.phrase);
            if let Some(mut f) = remove_line(self.id(), t, ls, i, Confidence::Certain, msg) {
                if let Some((k, v)) = hit.meta {
                    f = f.with_meta(&k, v);
                }
                out.push(f);
            }
        }
    }
}

/// Longest line (bytes) taken for a headline in a list under "Random recommended".
const MAX_HEADLINE: usize = 160;

/// Every non-blank line after line `i` up to the end of the text is a short headline: no
/// sentence punctuation at its end, at most 160 bytes, and at most 8 of them.
fn headline_list_follows(t: &str, ls: &[(usize, usize)], i: usize) -> bool {
    let rest: Vec<&str> = ls[i + 1..]
        .iter()
        .filter(|l| !is_blank(t, **l))
        .map(|l| trimmed(t, *l).0)
        .collect();
    !rest.is_empty()
        && rest.len() <= 8
        && rest.iter().all(|h| {
            h.len() <= MAX_HEADLINE
                && h.split_whitespace().count() >= 3
                && !h.ends_with(['.', '。', '!', '！', '?', '？', ':', '：', ',', '，', ';'])
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes, clean_with};

    const R: &[&str] = &["structure/boilerplate"];

    /// Chrome lines in several languages: each must go.
    const CHROME: &[&str] = &[
        "Visit the original URL",
        "Image source: Figure Worm Creative",
        "media coverage",
        "Related events",
        "This article is reprinted from:",
        "This site is for inclusion only, and the copyright belongs to the original author.",
        "Leave a Comment",
        "Leave a Reply",
        "Your email address will not be published.",
        "Required fields are marked *",
        "copyright notice",
        "author[Moon shadow dune],Please bring the original link to reprint, thank you.",
        "Random recommended",
        "Read on",
        "The post Shanghai reopens appeared first on Daily Wire News.",
        "© 2023 Example Media Group. All rights reserved.",
        "Share this:",
        "Share:",
        "Share to: WeChat Weibo QQ Zone",
        "WeChat",
        "Weibo",
        "QQ Zone",
        "Previous: Metro line 9 starts trial runs",
        "Next: Harbin ice festival opens early",
        "发表评论",
        "本文转载自：新华网",
        "图片来源：视觉中国",
        "版权声明：本文为原创文章，转载请注明出处。",
        "相关阅读",
        "Deja una respuesta",
        "Tu dirección de correo electrónico no será publicada.",
        "Noticias relacionadas",
        "Laisser un commentaire",
        "Votre adresse e-mail ne sera pas publiée.",
        "Lire la suite",
        "Schreibe einen Kommentar",
        "Deine E-Mail-Adresse wird nicht veröffentlicht.",
        "Der Beitrag Neue Regeln erschien zuerst auf Beispiel.de.",
        "Оставить комментарий",
        "Ваш адрес email не будет опубликован.",
        "Похожие статьи",
        "コメントを残す",
        "メールアドレスが公開されることはありません。",
        "関連記事",
    ];

    /// Article sentences that look like chrome: each must stay.
    const ARTICLE: &[&str] = &[
        "The court ruled on the copyright notice last week.",
        "Readers can leave a comment on the ministry's website.",
        "Read on to find out how the plan will work.",
        "The post office reopened on Monday after two months.",
        "Image sources vary, the agency said, and credits are checked.",
        "Related events in Beijing drew large crowds.",
        "Media coverage of the strike has been intense.",
        "The company said all rights reserved by the founders remain in force.",
        "Your email address will be used only to send the newsletter, the bank said.",
        "This article is based on interviews with 12 workers.",
        "读者可以在网站上发表评论，部门会及时回复。",
        "这篇文章的版权声明引发了争议。",
        "相关阅读材料已经发放给学生。",
        "Los lectores pueden dejar un comentario en la web del ministerio.",
        "Leer más libros es bueno, dijo el ministro.",
        "Les lecteurs peuvent laisser un commentaire sur le site.",
        "Der Minister will einen Kommentar schreiben, sagte er.",
        "Читатели могут оставить комментарий на сайте министерства.",
        "関連記事によると、工場は再開した。",
        "Copyright law was changed in 2021.",
        "Next, the ministry will review the rules.",
        "Share prices rose 3% on Monday.",
        "WeChat has more than a billion users, the company said.",
        "The previous plan: build two bridges, was dropped.",
    ];

    #[test]
    fn removes_chrome_lines_in_every_language() {
        for c in CHROME {
            let input = format!("Title of the article\n\nA body paragraph stays here.\n\n{c}\n\nAnother paragraph stays.\n");
            assert_fixes(R, &input, "Title of the article\n\nA body paragraph stays here.\n\nAnother paragraph stays.\n");
        }
    }

    #[test]
    fn removes_trailing_block() {
        assert_fixes(
            R,
            "Title\n\nBody.\n\nRelated events\n\nThis article is reprinted from:\nLeave a Comment\n\nYour email address will not be published.",
            "Title\n\nBody.\n",
        );
    }

    #[test]
    fn keeps_article_sentences() {
        for a in ARTICLE {
            assert_clean(R, &format!("Title of the article\n\n{a}\n\nMore text.\n"));
        }
    }

    #[test]
    fn removes_headline_list_under_related_heading() {
        assert_fixes(
            R,
            "Title\n\nBody text ends here.\n\nRelated reading\n\nCity opens new bike lanes along the river\n\nFarmers expect record apple harvest this autumn\n",
            "Title\n\nBody text ends here.\n",
        );
        // Sentences after the heading are not a headline list: only the heading goes.
        assert_fixes(
            R,
            "Title\n\nBody.\n\nRelated reading\n\nThe city opened new bike lanes along the river on Monday.\n",
            "Title\n\nBody.\n\nThe city opened new bike lanes along the river on Monday.\n",
        );
    }

    #[test]
    fn editor_lines_are_metadata() {
        for (line, name) in [
            ("Editor in charge: Zhou Min", "Zhou Min"),
            ("【Editor: Li Hua】", "Li Hua"),
            ("(Responsible editor: Gao Yan)", "Gao Yan"),
        ] {
            let out = clean_with(R, &format!("Title\n\nBody.\n\n{line}\n\nMore body.\n"));
            assert_eq!(out.text, "Title\n\nBody.\n\nMore body.\n", "{line}");
            assert_eq!(out.metadata.get("editor").map(String::as_str), Some(name));
        }
        // A plain "Editor: X" byline and a bracketed sentence stay.
        assert_clean(R, "Title\n\nEditor: Liu Fang\n\nBody.\n");
        assert_clean(
            R,
            "Title\n\n(The editor said the plan would change.)\n\nBody.\n",
        );
    }

    #[test]
    fn image_source_is_metadata() {
        let out = clean_with(R, "Title\n\nImage source: Figure Worm Creative\n\nBody.\n");
        assert_eq!(
            out.metadata.get("image_source").map(String::as_str),
            Some("Figure Worm Creative")
        );
        assert_eq!(out.edits[0].kind, crate::ArtifactKind::Chrome);
    }
}
