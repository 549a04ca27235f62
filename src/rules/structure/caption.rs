//! `structure/caption`: image captions kept, their label normalized.
//!
//! **What it fixes.** A caption label at a line's start written as scraped ("caption : In the
//! workshop", "caption :4 month 18") becomes "Caption: " followed by the text.
//!
//! **Why.** Captions are part of the article (the reference keeps them) with a clean label.
//!
//! **Data.** `caption` rows of `dictionaries/structure/labels.tsv`. Labels in Latin script are
//! normalized (first letter upper case, no space before the colon, one after); others are kept.
//!
//! **Not touched.** "caption" inside a sentence; a label not followed by a colon; a caption
//! already written "Caption: ...".

use super::chrome::{Chrome, Role};
use super::lines::{is_blank, trimmed};
use super::shared;
use crate::dict::Dictionaries;
use crate::rules::DocView;
use crate::rules::{Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Caption {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Caption {
        chrome: Chrome::shared(d),
    })
}

/// The normalized form of a Latin-script label line start: "Label: ". `None` for other scripts
/// or a separator other than a colon.
pub(crate) fn normalized_label(label: &str, sep: char) -> Option<String> {
    if sep != ':' && sep != '：' || !label.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
        return None;
    }
    let mut cs = label.chars();
    let first = cs.next()?;
    Some(format!("{}{}: ", first.to_ascii_uppercase(), cs.as_str()))
}

/// Findings that normalize the label of line `i` for `role` ("caption :" -> "Caption: ").
pub(crate) fn label_fix(
    doc: &DocView<'_>,
    chrome: &Chrome,
    rule: &'static str,
    kind: ArtifactKind,
    role: Role,
    i: usize,
) -> Option<(Option<Finding>, String)> {
    let text = doc.text;
    let (line, off) = trimmed(text, shared::lines(doc)[i]);
    let lab = shared::label(doc, chrome, i)?;
    if lab.role != role || lab.rest.is_empty() {
        return None;
    }
    let rest = lab.rest.to_string();
    let want = normalized_label(&line[..lab.label_end], lab.sep);
    let fix = want.and_then(|w| {
        let span = Span::new(off, off + lab.rest_start);
        (text[span.start..span.end] != w)
            .then(|| Finding::fix(rule, kind, span, w, Confidence::Certain, "label normalized"))
    });
    Some((fix, rest))
}

impl Rule for Caption {
    fn id(&self) -> &'static str {
        "structure/caption"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Caption
    }
    fn describe(&self) -> &'static str {
        "Keeps image captions and normalizes their label (\"caption :\" -> \"Caption: \")"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\ncaption : Workers in the plant.\n",
            "Title\n\nCaption: Workers in the plant.\n",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        super::CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        for (i, &l) in shared::lines(doc).iter().enumerate() {
            if is_blank(t, l) {
                continue;
            }
            if let Some((Some(f), _)) =
                label_fix(doc, &self.chrome, self.id(), self.kind(), Role::Caption, i)
            {
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["structure/caption"];

    #[test]
    fn normalizes_labels() {
        assert_fixes(
            R,
            "T\n\ncaption : In the workshop , workers are busy .\n",
            "T\n\nCaption: In the workshop , workers are busy .\n",
        );
        assert_fixes(
            R,
            "T\n\ncaption :4 month 18 Japan , a truck.\n",
            "T\n\nCaption: 4 month 18 Japan , a truck.\n",
        );
        assert_fixes(
            R,
            "T\n\nphoto caption : Workers.\n",
            "T\n\nPhoto caption: Workers.\n",
        );
    }

    #[test]
    fn keeps_others() {
        assert_clean(R, "T\n\nCaption: Workers in the plant.\n");
        assert_clean(R, "T\n\nThe caption: it was wrong, he said.\n");
        assert_clean(R, "T\n\nCaptions were added later.\n");
        assert_clean(R, "T\n\n图注：工人在车间。\n");
    }
}
