//! The document-level artifact score: how strongly a text looks like Chinese-source machine
//! translation. It gates the riskier zh_en rules (see [`crate::Config::zh_en_min_score`]).
//!
//! Signals per 100 words, each a pattern old Chinese-to-English engines leave behind and clean
//! English almost never contains.

use std::sync::LazyLock;

use regex::Regex;

static SIGNALS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "5 month 3", "2022 year 5 month"
        r"\b\d{1,4} (?:year|month) \d{1,2}\b",
        // spaced punctuation: "word , word", "word 、 word"
        r"\w [,、.;:!?] ",
        // CJK punctuation inside Latin text
        r"[A-Za-z] ?[、，。：；《》（）]",
        // a capitalized common word straight after a number or comma
        r"(?:\d|,) (?:The|And|Of|In|Is|Are|Employees|Home|Individual|Left and right|Thousands|Ten thousand|One hundred million)\b",
        // literal renderings
        r"(?i)\b(?:xinhua news agency|in my country|changjiang delta|left and right)\b",
        r"“ | ”",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("signal pattern"))
    .collect()
});

/// Signals per 100 words of `text`.
pub fn artifact_score(text: &str) -> f64 {
    let words = text.split_whitespace().count().max(1);
    let hits: usize = SIGNALS.iter().map(|r| r.find_iter(text).count()).sum();
    hits as f64 * 100.0 / words as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_english_scores_zero() {
        assert_eq!(artifact_score("Japan's exports rose 5% in May, the ministry said on Tuesday."), 0.0);
    }

    #[test]
    fn machine_translation_scores_high() {
        let s = "Shanghai 5 month 3 , The company has 91 Employees return to work , Carrying a schoolbag 、 Dragging luggage";
        assert!(artifact_score(s) > 5.0, "{}", artifact_score(s));
    }
}
