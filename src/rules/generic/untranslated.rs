//! `generic/untranslated`: CJK text left in an English article.
//!
//! **What it flags.** Each stretch of Chinese, Japanese or Korean text inside a document
//! identified as English: a quotation, a name in brackets, a whole paragraph the engine skipped,
//! a half-translated date ("2022年5月3日"). One flag per stretch, naming the script. Nothing is
//! changed: the cleaner keeps CJK text byte for byte, and only an editor can translate it.
//!
//! **Why.** Machine translation skips segments it cannot parse, and scrapers mix in source text;
//! both leave the English article unfinished.
//!
//! **Example.** `He said “我们会继续努力。” on Friday.` -> flag on `我们会继续努力。` (Han).
//!
//! **Not touched.** Documents in other languages (a Chinese article is not "untranslated");
//! CJK punctuation without CJK letters in English text (`A 、 B`), which the zh_en pack repairs.

use crate::dict::Dictionaries;
use crate::lang::ScriptCensus;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::ArtifactKind;

pub struct Untranslated;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Untranslated)
}

impl Rule for Untranslated {
    fn id(&self) -> &'static str {
        "generic/untranslated"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Untranslated
    }
    fn describe(&self) -> &'static str {
        "Flags Chinese, Japanese or Korean text left untranslated in an English article"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "He said “我们会继续努力。” on Friday.",
            "He said “我们会继续努力。” on Friday.",
        )
    }
    // Any, not English: the cleaner drops flags of English-scoped rules that lie inside CJK text,
    // and CJK text is exactly what this rule reports. It checks the language itself.
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        if doc.profile.lang != "en" {
            return;
        }
        for z in &doc.profile.cjk_zones {
            let census = ScriptCensus::of(&doc.text[z.start..z.end]);
            let script = if census.hangul > 0 && census.hangul >= census.han {
                "Korean (Hangul)"
            } else if census.kana > 0 {
                "Japanese (kana and kanji)"
            } else if census.han > 0 {
                "Chinese (Han)"
            } else {
                continue;
            };
            let n = census.cjk();
            out.push(Finding::flag(
                self.id(),
                self.kind(),
                *z,
                format!(
                    "untranslated {script} text in an English article ({n} character{})",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, clean_with};
    use crate::ArtifactKind;

    const R: &[&str] = &["generic/untranslated"];

    fn flagged(input: &str) -> Vec<(String, String)> {
        let out = clean_with(R, input);
        assert_eq!(out.text, input, "a flag must not change text");
        out.flags
            .iter()
            .filter(|f| f.kind == ArtifactKind::Untranslated)
            .map(|f| (f.text.clone(), f.message.clone()))
            .collect()
    }

    #[test]
    fn flags_each_stretch() {
        let f = flagged("He said “我们会继续努力。” on Friday, and Li Qiang (李强) agreed.");
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].0, "我们会继续努力。");
        assert!(f[0].1.contains("Chinese (Han)"), "{}", f[0].1);
        assert_eq!(f[1].0, "李强");
        let f = flagged("The slogan read 「がんばろう日本」 on every wall.");
        assert!(f[0].1.contains("Japanese"), "{f:?}");
        let f = flagged("Fans shouted 대한민국 at the stadium.");
        assert!(f[0].1.contains("Korean"), "{f:?}");
        let f =
            flagged("A title line in English.\n这一段没有翻译，整段都是中文。\nAnd English again.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "这一段没有翻译，整段都是中文。");
    }

    #[test]
    fn leaves_alone() {
        assert_clean(R, "Prices rose 5% in May, the ministry said.");
        assert_clean(R, "Carrying a schoolbag 、 dragging luggage.");
        assert!(flagged("Carrying a schoolbag 、 dragging luggage.").is_empty());
    }
}
