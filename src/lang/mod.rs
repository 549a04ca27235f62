//! Language and script profile of a document.
//!
//! A script census decides most documents alone; identification among Latin-script languages
//! runs only on a bounded sample.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::text::chars::{is_han, is_hangul, is_kana};

/// Letters counted per script.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptCensus {
    pub latin: usize,
    pub han: usize,
    pub kana: usize,
    pub hangul: usize,
    pub cyrillic: usize,
    pub arabic: usize,
    pub other: usize,
}

impl ScriptCensus {
    pub fn of(text: &str) -> Self {
        let mut c = ScriptCensus::default();
        for ch in text.chars() {
            if ch.is_ascii() {
                if ch.is_ascii_alphabetic() {
                    c.latin += 1;
                }
                continue;
            }
            if !ch.is_alphabetic() {
                continue;
            }
            match ch as u32 {
                0x00C0..=0x024F | 0x1E00..=0x1EFF => c.latin += 1,
                0x0400..=0x052F => c.cyrillic += 1,
                0x0600..=0x06FF | 0x0750..=0x077F => c.arabic += 1,
                _ if is_han(ch) => c.han += 1,
                _ if is_kana(ch) => c.kana += 1,
                _ if is_hangul(ch) => c.hangul += 1,
                _ => c.other += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.latin + self.han + self.kana + self.hangul + self.cyrillic + self.arabic + self.other
    }

    /// Letters of CJK scripts (Han, kana, Hangul).
    pub fn cjk(&self) -> usize {
        self.han + self.kana + self.hangul
    }

    /// The main script's name.
    pub fn main_script(&self) -> &'static str {
        let v = [
            (self.latin, "Latin"),
            (self.han, "Han"),
            (self.kana, "Kana"),
            (self.hangul, "Hangul"),
            (self.cyrillic, "Cyrillic"),
            (self.arabic, "Arabic"),
            (self.other, "Other"),
        ];
        if self.total() == 0 {
            return "None";
        }
        // CJK weighs more per letter: one Han character is roughly a word.
        let w = |n: usize, s: &str| {
            if matches!(s, "Han" | "Kana" | "Hangul") {
                n * 3
            } else {
                n
            }
        };
        v.iter()
            .max_by_key(|(n, s)| (w(*n, s), std::cmp::Reverse(*s)))
            .unwrap()
            .1
    }
}

/// What is known about a document before rules run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// ISO 639-1 code, or "und" when unknown.
    pub lang: String,
    /// 0..=1.
    pub lang_confidence: f64,
    pub script: String,
    pub census: ScriptCensus,
    /// Chinese-source machine-translation signals per 100 words (0 for non-English text).
    pub artifact_score: f64,
    /// Whether the zh_en pack runs on this document.
    pub zh_en: bool,
}

impl Profile {
    /// Profiles `text` under `config`.
    pub fn compute(text: &str, config: &Config) -> Profile {
        let census = ScriptCensus::of(text);
        let script = census.main_script().to_string();
        let (lang, conf) = match &config.lang {
            Some(l) => (l.clone(), 1.0),
            None => identify(text, &census),
        };
        let artifact_score = if lang == "en" {
            crate::rules::score::artifact_score(text)
        } else {
            0.0
        };
        let zh_en = lang == "en" && artifact_score >= config.zh_en_min_score;
        Profile {
            lang,
            lang_confidence: conf,
            script,
            census,
            artifact_score,
            zh_en,
        }
    }

    pub fn is_latin(&self) -> bool {
        self.script == "Latin"
    }
}

/// Identifies the language: by script where the script decides, otherwise from a bounded sample.
fn identify(text: &str, census: &ScriptCensus) -> (String, f64) {
    match census.main_script() {
        "None" => ("und".into(), 0.0),
        "Han" if census.kana == 0 => ("zh".into(), 0.9),
        "Han" | "Kana" => ("ja".into(), 0.9),
        "Hangul" => ("ko".into(), 0.9),
        "Cyrillic" => ("ru".into(), 0.7),
        "Arabic" => ("ar".into(), 0.8),
        "Latin" => english_by_stopwords(text),
        _ => ("und".into(), 0.0),
    }
}

/// A cheap English test on the first few KB: the share of very common English function words.
fn english_by_stopwords(text: &str) -> (String, f64) {
    const STOP: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "for", "on", "that", "with", "as", "by", "are",
        "was", "it", "at", "from", "be", "has", "have", "this", "will", "an", "its", "which",
    ];
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let (mut words, mut hits) = (0usize, 0usize);
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if w.len() <= 5 && STOP.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    if words == 0 {
        return ("und".into(), 0.0);
    }
    let ratio = hits as f64 / words as f64;
    if ratio >= 0.12 {
        ("en".into(), (ratio * 4.0).min(1.0))
    } else {
        ("und".into(), 0.0)
    }
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
        assert_eq!(
            Profile::compute("The cat sat on the mat and it was warm in the sun.", &c).lang,
            "en"
        );
    }
}
