//! `generic/mixed-language`: documents written in two scripts in comparable amounts.
//!
//! **What it flags.** A document where the second most used script holds at least
//! [`MIN_SHARE`] of the letters (a CJK character weighing as three Latin letters), e.g. a bilingual
//! press release, or a page where the scraper kept both the source and its translation. One flag
//! per document, on the first line written mainly in the second script.
//!
//! **Why.** Such a document is two documents: a corpus usually wants one language per record,
//! and the rules of one language do not apply to the other half.
//!
//! **Example.** An English paragraph followed by its Chinese original -> one flag naming
//! "Latin 52%, Han 48%".
//!
//! **Not touched.** Short quotations or names in another script (well under a quarter); texts
//! with fewer than [`MIN_LETTERS`] letters.

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::ArtifactKind;

/// Share of the second script from which a document counts as mixed.
pub const MIN_SHARE: f64 = 0.4;
/// Letters below which no document is called mixed.
pub const MIN_LETTERS: usize = 60;

pub struct MixedLanguage;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(MixedLanguage)
}

impl Rule for MixedLanguage {
    fn id(&self) -> &'static str {
        "generic/mixed-language"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::MixedLanguage
    }
    fn describe(&self) -> &'static str {
        "Flags documents written in two scripts in comparable amounts"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Exports rose in May, the ministry said.\n海关总署表示，五月份出口增长。",
            "Exports rose in May, the ministry said.\n海关总署表示，五月份出口增长。",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let census = &doc.profile.census;
        if census.total() < MIN_LETTERS {
            return;
        }
        let ranked = census.ranked();
        let [(first, a), (second, b), ..] = ranked[..] else {
            return;
        };
        // Kanji and kana together are one language, not a mixture.
        if matches!(
            (first, second),
            (crate::lang::Script::Han, crate::lang::Script::Kana)
                | (crate::lang::Script::Kana, crate::lang::Script::Han)
        ) {
            return;
        }
        if b < MIN_SHARE {
            return;
        }
        let Some(p) = doc.profile.paragraphs.iter().find(|p| p.script == second) else {
            return;
        };
        let line = &doc.text[p.span.start..p.span.end];
        let lead = line.len() - line.trim_start().len();
        let span =
            crate::text::Span::new(p.span.start + lead, p.span.start + line.trim_end().len());
        out.push(Finding::flag(
            self.id(),
            self.kind(),
            span,
            format!(
                "mixed-language document: {} {:.0}%, {} {:.0}% (first {} line here)",
                first.as_str(),
                a * 100.0,
                second.as_str(),
                b * 100.0,
                second.as_str()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::clean_with;
    use crate::ArtifactKind;

    const R: &[&str] = &["generic/mixed-language"];

    fn flags(input: &str) -> Vec<String> {
        let out = clean_with(R, input);
        assert_eq!(out.text, input);
        out.flags
            .iter()
            .filter(|f| f.kind == ArtifactKind::MixedLanguage)
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn flags_two_halves() {
        let t = "Exports rose by a fifth in May, the customs office said on Friday.\n\
                 海关总署周五表示，五月份出口增长了五分之一，进口小幅下降。";
        let f = flags(t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("Latin") && f[0].contains("Han"), "{}", f[0]);
    }

    #[test]
    fn leaves_alone() {
        // A short quotation is not a second language.
        assert!(flags("He said “我们会继续努力。” at the end of a long meeting with the board of the company, which lasted hours.").is_empty());
        // Japanese mixes kanji and kana.
        assert!(flags(
            "政府は金曜日、五月の輸出が前年同月比で二割増えたと発表した。輸入はわずかに減った。"
        )
        .is_empty());
        // Too short to say.
        assert!(flags("OK 好的").is_empty());
    }
}
