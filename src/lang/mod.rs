//! Language and script profile of a document.
//!
//! A script census decides most documents alone (Han without kana is Chinese, kana Japanese,
//! Hangul Korean, Cyrillic Russian, Arabic Arabic); Latin-script text is decided by its function
//! words when they are clear, and otherwise by lingua on a bounded sample ([`detect`]). The same
//! pass over the text gives each line's main script and the CJK zones that rules for Latin-script
//! text must not edit from the inside ([`Profile::touches_cjk`]).

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::text::Span;

pub mod detect;
pub mod script;

pub use detect::{check_code, Candidates, SUPPORTED};
pub use script::{Paragraph, Script, ScriptCensus};

/// What is known about a document before rules run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// ISO 639-1 code, or "und" when unknown.
    pub lang: String,
    /// 0..=1.
    pub lang_confidence: f64,
    /// How the language was decided: "forced", "script", "stopwords" (function-word vote),
    /// "lingua", "only-candidate" or "none".
    #[serde(default)]
    pub lang_method: String,
    /// The main script's name ("Latin", "Han", ...).
    pub script: String,
    pub census: ScriptCensus,
    /// Chinese-source machine-translation signals per 100 words (0 for non-English text).
    pub artifact_score: f64,
    /// Whether the zh_en pack runs on this document.
    pub zh_en: bool,
    /// Each line's script profile, in text order.
    #[serde(skip)]
    pub paragraphs: Vec<Paragraph>,
    /// CJK text inside the document: whole CJK-main lines (trimmed) and CJK runs inside other
    /// lines; sorted and disjoint.
    #[serde(skip)]
    pub cjk_zones: Vec<Span>,
}

impl Profile {
    /// Profiles `text` under `config`.
    pub fn compute(text: &str, config: &Config) -> Profile {
        Profile::compute_scored(text, config, true)
    }

    /// Like [`Profile::compute`]; without `score` the artifact score is not computed (left at 0)
    /// and `zh_en` is false: for a caller that already knows the zh_en gate is open (the fix
    /// loop's later passes, see `Cleaner`), the score would change nothing and is the costliest
    /// part of the profile.
    pub fn compute_scored(text: &str, config: &Config, score: bool) -> Profile {
        let scan = script::scan(text);
        let census = scan.census;
        let (lang, lang_confidence, lang_method) = match &config.lang {
            Some(l) => (l.clone(), 1.0, detect::method::FORCED.to_string()),
            None => {
                let id = detect::identify(text, &census, Candidates::from_codes(&config.langs));
                (id.lang.to_string(), id.confidence, id.method.to_string())
            }
        };
        let artifact_score = if score && lang == "en" {
            crate::rules::score::artifact_score(text)
        } else {
            0.0
        };
        let zh_en = score && lang == "en" && artifact_score >= config.zh_en_min_score;
        Profile {
            lang,
            lang_confidence,
            lang_method,
            script: census.main_script().to_string(),
            census,
            artifact_score,
            zh_en,
            paragraphs: scan.paragraphs,
            cjk_zones: scan.cjk_zones,
        }
    }

    /// The document's main script is Latin.
    pub fn is_latin(&self) -> bool {
        self.script == "Latin"
    }

    /// Some line's main script is Latin (with at least a few words of it), e.g. an English
    /// abstract in a Chinese article.
    pub fn has_latin_paragraph(&self) -> bool {
        self.paragraphs
            .iter()
            .any(|p| p.script == Script::Latin && p.letters >= 20)
    }

    /// The line holding byte `pos`.
    pub fn paragraph_at(&self, pos: usize) -> Option<&Paragraph> {
        let i = self.paragraphs.partition_point(|p| p.span.end < pos);
        self.paragraphs.get(i).filter(|p| p.span.start <= pos)
    }

    /// Whether byte `pos` lies in CJK text: a CJK-main line or a CJK run inside another line.
    pub fn is_cjk_at(&self, pos: usize) -> bool {
        let i = self.cjk_zones.partition_point(|z| z.end <= pos);
        self.cjk_zones.get(i).is_some_and(|z| z.start <= pos)
    }

    /// The CJK zones `span` overlaps.
    pub fn cjk_zones_in(&self, span: Span) -> &[Span] {
        let a = self.cjk_zones.partition_point(|z| z.end <= span.start);
        let b = self
            .cjk_zones
            .partition_point(|z| z.start < span.end.max(span.start + 1));
        &self.cjk_zones[a..b.max(a)]
    }

    /// Whether replacing `span` of `text` by `replacement` would edit CJK text from the inside:
    /// it overlaps a CJK zone without taking the zone whole. Taking a zone whole is allowed when
    /// the replacement keeps the zone verbatim or holds no CJK letter (a line deleted, a name
    /// translated); anything else would rewrite CJK text piecemeal.
    pub fn touches_cjk(&self, text: &str, span: Span, replacement: &str) -> bool {
        if self.cjk_zones.is_empty() {
            return false;
        }
        if span.is_empty() {
            // An insertion strictly inside a zone.
            let i = self.cjk_zones.partition_point(|z| z.end <= span.start);
            return self.cjk_zones.get(i).is_some_and(|z| z.start < span.start);
        }
        self.cjk_zones_in(span).iter().any(|z| {
            let whole = span.start <= z.start && z.end <= span.end;
            let keeps = replacement.contains(&text[z.start..z.end]);
            let no_cjk = !replacement.chars().any(crate::text::chars::is_cjk_letter);
            !whole || (!keeps && !no_cjk)
        })
    }

    /// Whether replacing `span` of `text` by `replacement` would break the document language's
    /// own punctuation spacing: French sets a space before `; : ! ?` and `»` and after `«`, and a
    /// fix may not take one away.
    pub fn breaks_spacing_convention(&self, text: &str, span: Span, replacement: &str) -> bool {
        if self.lang != "fr" {
            return false;
        }
        let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
            return false;
        };
        let Some(old) = text.get(span.start..span.end) else {
            return false;
        };
        let prev = before
            .chars()
            .next_back()
            .map(String::from)
            .unwrap_or_default();
        let next = after.chars().next().map(String::from).unwrap_or_default();
        let pairs = |mid: &str| french_spaces(&format!("{prev}{mid}{next}"));
        let had = pairs(old);
        had > 0 && pairs(replacement) < had
    }
}

/// Spaces French typography requires: before `; : ! ? »` and after `«`.
fn french_spaces(s: &str) -> usize {
    let is_space = |c: char| c == ' ' || c == '\u{a0}' || c == '\u{202f}';
    let v: Vec<char> = s.chars().collect();
    v.windows(2)
        .filter(|w| {
            (is_space(w[0]) && matches!(w[1], ';' | ':' | '!' | '?' | '»'))
                || (w[0] == '«' && is_space(w[1]))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_decide() {
        let c = Config::default();
        assert_eq!(
            Profile::compute("这是一个中文句子，没有别的。", &c).lang,
            "zh"
        );
        assert_eq!(Profile::compute("これは日本語の文です。", &c).lang, "ja");
        assert_eq!(Profile::compute("한국어 문장입니다.", &c).lang, "ko");
        let p = Profile::compute("The cat sat on the mat and it was warm in the sun, which was what the cat had wanted all along.", &c);
        assert_eq!(
            (p.lang.as_str(), p.lang_method.as_str()),
            ("en", "stopwords")
        );
        assert_eq!(Profile::compute("1234 !!", &c).lang, "und");
    }

    #[test]
    fn forced_language() {
        let c = Config {
            lang: Some("fr".into()),
            ..Config::default()
        };
        let p = Profile::compute("这是一个中文句子。", &c);
        assert_eq!(
            (p.lang.as_str(), p.lang_confidence, p.lang_method.as_str()),
            ("fr", 1.0, "forced")
        );
    }

    #[test]
    fn cjk_positions() {
        let t = "He said “我们会继续努力。” and left the room after the meeting.\n这是中文。\nEnd";
        let p = Profile::compute(t, &Config::default());
        let q = t.find('我').unwrap();
        assert!(p.is_cjk_at(q));
        assert!(!p.is_cjk_at(0));
        assert!(p.is_cjk_at(t.find('这').unwrap()));
        assert!(!p.is_cjk_at(t.find("End").unwrap()));
        assert_eq!(
            p.paragraph_at(t.find('这').unwrap()).unwrap().script,
            Script::Han
        );
        assert_eq!(p.paragraph_at(0).unwrap().script, Script::Latin);
        let dot = t.find('。').unwrap();
        // Editing inside the quote is refused; deleting the whole line or a Latin part is not.
        assert!(p.touches_cjk(t, Span::new(dot, dot + 3), ". "));
        assert!(p.touches_cjk(t, Span::new(q + 3, q + 3), " "));
        assert!(!p.touches_cjk(t, Span::new(q, q), " "));
        assert!(!p.touches_cjk(t, Span::new(0, 2), "She"));
        let line2 = t.find('这').unwrap();
        assert!(!p.touches_cjk(t, Span::new(line2, line2 + "这是中文。\n".len()), ""));
        assert!(!p.touches_cjk(t, Span::new(q - 3, dot + 6), "“We will keep trying.”"));
        assert!(p.touches_cjk(t, Span::new(q - 3, dot + 6), "“我们会继续努力!”"));
    }

    #[test]
    fn french_spacing_convention() {
        let t = "Il a dit : « Non ! »";
        let p = Profile::compute(
            t,
            &Config {
                lang: Some("fr".into()),
                ..Config::default()
            },
        );
        let colon = t.find(':').unwrap();
        assert!(p.breaks_spacing_convention(t, Span::new(colon - 1, colon), ""));
        let after = t.find('«').unwrap() + '«'.len_utf8();
        assert!(p.breaks_spacing_convention(t, Span::new(after, after + 1), ""));
        assert!(p.breaks_spacing_convention(t, Span::new(colon - 1, colon + 1), ":"));
        assert!(!p.breaks_spacing_convention(t, Span::new(colon - 1, colon + 1), "\u{a0}:"));
        assert!(!p.breaks_spacing_convention(t, Span::new(2, 3), ""));
        let en = Profile::compute(
            t,
            &Config {
                lang: Some("en".into()),
                ..Config::default()
            },
        );
        assert!(!en.breaks_spacing_convention(t, Span::new(colon - 1, colon), ""));
    }
}
