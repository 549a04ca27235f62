//! The document-level artifact score: how strongly a text looks like Chinese-source machine
//! translation. It gates the riskier zh_en rules (see [`crate::Config::zh_en_min_score`]).
//!
//! Signals per 100 words. Strong signals (weight 1) are artifacts clean English almost never
//! contains: "5 month 3", spaced or CJK punctuation, a common word capitalized after a number or
//! a comma, a full stop before a lower-case fragment, "(Reuters)" on a Chinese agency dateline,
//! literal renderings ("in my country", "xinhua news agency"). Weak signals (weight 0.5, at most two
//! hits per phrase) are set phrases of Chinese officialese rendered word for word
//! (`dictionaries/zh_en/score_phrases.tsv`): native English uses a few of them, so a clean
//! article stays below the gate while a machine translation full of them passes it.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use crate::dict::Dictionaries;
use crate::rules::zh_en::words::CommonWords;

/// Signals that start and end on a word character, written with an ASCII `\b`: the regex
/// crate's fast DFA handles it on any text (a Unicode `\b` sends non-ASCII text to slower
/// engines). [`count_words`] then keeps the matches that also sit on Unicode word boundaries, so
/// a letter like "é" next to a match still joins the word as before.
static WORD_SIGNALS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "5 month 3", "2022 year 5 month"
        r"(?-u:\b)\d{1,4} (?:year|month) \d{1,2}(?-u:\b)",
        // a capitalized article or measure word straight after a number
        r"(?-u:\b)\d+ (?:The|All|A|An|Home|Individual|Left and right|Thousands|Ten thousand|One hundred million)(?-u:\b)",
        // a full stop before a lower-case fragment
        r"(?-u:\b)[a-z]{3,}\. [a-z]{3,}(?-u:\b)",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("signal pattern"))
    .collect()
});

/// Literal renderings, counted line block by line block ([`count_by_lines`]).
static LITERAL_SIGNALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:xinhua news agency|in my country|my country's|changjiang delta|left and right|people's daily client|news agency client)\b",
    )
    .expect("signal pattern")
});

/// Matches of `re` (one of [`WORD_SIGNALS`]) that sit on Unicode word boundaries.
fn count_words(re: &Regex, text: &str) -> usize {
    use regex_syntax::is_word_character as word;
    re.find_iter(text)
        .filter(|m| {
            !text[..m.start()].chars().next_back().is_some_and(word)
                && !text[m.end()..].chars().next().is_some_and(word)
        })
        .count()
}

/// Non-overlapping matches of `re` in `text`, for a pattern none of whose matches contains a line
/// end: the same count as `re.find_iter(text).count()` (a line end is not a word character, like
/// the start and end of a haystack, so `\b` reads the same), but runs of ASCII lines are searched
/// together and each non-ASCII line alone, so the slow engines only ever see the non-ASCII lines.
fn count_by_lines(re: &Regex, text: &str) -> usize {
    let mut n = 0;
    let mut block = 0; // start of the current run of ASCII lines
    let mut ls = 0;
    for line in text.split('\n') {
        let le = ls + line.len();
        if !line.is_ascii() {
            if block < ls {
                n += re.find_iter(&text[block..ls - 1]).count();
            }
            n += re.find_iter(line).count();
            block = le + 1;
        }
        ls = le + 1;
    }
    if block < text.len() {
        n += re.find_iter(&text[block..]).count();
    }
    n
}

static SIGNALS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // spaced punctuation: "word , word", "word 、 word"
        r"\w [,、.;:!?] ",
        // CJK punctuation inside Latin text
        r"[A-Za-z] ?[、，。：；《》（）]",
        // a full stop before a comma
        r"[a-z] ?\. ?,",
        // "(Reuters)" on a Chinese agency dateline; "Reporter | Name"; "( The reporter"
        r"(?i:xinhua|china news service|people's daily)[^\n]{0,40}\((?:Reuters)\)",
        r"(?m)^[ \t]*Reporter[ \t]*[|｜]",
        r"[(（] ?The reporter",
        r"“ | ”",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("signal pattern"))
    .collect()
});

/// A capitalized word after a comma or a number, followed by a lower-case word.
static CAP_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[,、;]|\d) ?([A-Z][a-z]+) [a-z]").unwrap());

static COMMON: LazyLock<CommonWords> =
    LazyLock::new(|| CommonWords::new(&Dictionaries::embedded()));

static PHRASES: LazyLock<(AhoCorasick, usize)> = LazyLock::new(|| {
    let text = include_str!("../../dictionaries/zh_en/score_phrases.tsv");
    let rows: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&rows)
        .expect("score phrases");
    (ac, rows.len())
});

/// Words that start names or sentences even after a comma ("In 2020, The Beatles"): not signals.
const NOT_SIGNAL: &[&str] = &["I", "The", "A", "An"];

/// Signals per 100 words of `text`.
///
/// ```
/// use textmend::rules::score::artifact_score;
/// assert_eq!(artifact_score("Japan's exports rose 5% in May, the ministry said."), 0.0);
/// assert!(artifact_score("Shanghai 5 month 3 , The company has 91 Employees") > 5.0);
/// ```
pub fn artifact_score(text: &str) -> f64 {
    let words = text.split_whitespace().count().max(1);
    let strong: usize = SIGNALS
        .iter()
        .map(|r| r.find_iter(text).count())
        .sum::<usize>()
        + WORD_SIGNALS
            .iter()
            .map(|r| count_words(r, text))
            .sum::<usize>()
        + count_by_lines(&LITERAL_SIGNALS, text);
    let caps = CAP_AFTER
        .captures_iter(text)
        .filter(|c| {
            let w = c.get(1).unwrap().as_str();
            !NOT_SIGNAL.contains(&w) && COMMON.contains(w)
        })
        .count();
    let (ac, n) = &*PHRASES;
    let mut per = vec![0u8; *n];
    let b = text.as_bytes();
    for m in ac.find_iter(text) {
        let whole = (m.start() == 0 || !b[m.start() - 1].is_ascii_alphanumeric())
            && (m.end() == b.len() || !b[m.end()].is_ascii_alphanumeric());
        if whole {
            let c = &mut per[m.pattern().as_usize()];
            *c = (*c + 1).min(2);
        }
    }
    let weak: usize = per.iter().map(|&c| c as usize).sum();
    // A short text cannot pass the gate on weak signals alone: they count per 100 words of at
    // least 200.
    (strong + caps) as f64 * 100.0 / words as f64 + weak as f64 * 50.0 / words.max(200) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clean English news in several styles: none of it may reach the default gate.
    pub const CLEAN: &[&str] = &[
        "Japan's exports rose 5% in May, the ministry said on Tuesday.",
        "LONDON, May 3 (Reuters) - British shares fell on Tuesday as investors weighed the outlook for interest rates. \
         The FTSE 100 index closed 0.4% lower, with miners among the biggest losers. In 2020, The Beatles' catalogue \
         sold well, and 3 Doors Down toured. Analysts said the market was likely to stay volatile at present, \
         though some expected a rebound in the second half of the year.",
        "The city council approved the budget on Monday. Under the plan, spending on schools will rise by 3 percent, \
         while road repairs get an extra $2 million. \"We have to do a good job for the people who live here,\" the \
         mayor said. Critics argued that the plan did not go far enough, and said they would press for more changes \
         so as to protect local libraries. The vote was 7 to 2.",
        "Scientists in Shanghai and Beijing reported on Wednesday that a new battery design could double the range of \
         electric cars. The team, led by Professor Li Wei, said the cells were cheaper to make than current designs. \
         Several Chinese carmakers, including BYD and Nio, have shown interest. The findings were published in the \
         journal Nature. Production could start within three years, the researchers said, if tests go well.",
        "My country is my home, she wrote in her memoir. In it she recalls 12 Chinese cities she visited as a young \
         reporter, and the people she met along the way. The book, published by Penguin, runs to 400 pages.",
    ];

    /// The word signals as first written, with Unicode `\b`.
    fn unicode_word_signals() -> Vec<Regex> {
        [
            r"\b\d{1,4} (?:year|month) \d{1,2}\b",
            r"\b\d+ (?:The|All|A|An|Home|Individual|Left and right|Thousands|Ten thousand|One hundred million)\b",
            r"\b[a-z]{3,}\. [a-z]{3,}\b",
        ]
        .iter()
        .map(|p| Regex::new(p).unwrap())
        .collect()
    }

    #[test]
    fn ascii_boundaries_count_like_unicode_ones() {
        let texts = [
            "",
            "5 month 3, 2022 year 5 month 12 The x",
            "é5 month 3 5 month 3é, said. then, 91 Employees 3 Home",
            "Ünited said. thenß abc. déf 300 Home enterprises",
            "中5 month 3中 12 The 中文 said. then",
            "x_5 month 3 _said. then 7 Thousands",
        ];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut all: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        for sub in ["seeds", "clean", "lang"] {
            for e in std::fs::read_dir(format!("{dir}/{sub}")).unwrap().flatten() {
                all.push(std::fs::read_to_string(e.path()).unwrap());
            }
        }
        for t in &all {
            for (a, u) in WORD_SIGNALS.iter().zip(unicode_word_signals()) {
                assert_eq!(count_words(a, t), u.find_iter(t).count(), "{t:.80} {u}");
            }
        }
    }

    #[test]
    fn counting_by_lines_is_counting() {
        let texts = [
            "",
            "\n",
            "5 month 3\n",
            "“5 month 3”\n\n12 The x\nabc. def\n",
            "in my country\nIn My Country 中\nxinhua news agency\n5 year 6",
            "é5 month 3 ５ month ３ 5 month 3é\nsaid. then\n\n",
        ];
        for t in texts {
            let r = &*LITERAL_SIGNALS;
            assert_eq!(count_by_lines(r, t), r.find_iter(t).count(), "{t:?} {r}");
        }
    }

    #[test]
    fn clean_english_stays_below_the_gate() {
        for t in CLEAN {
            let s = artifact_score(t);
            assert!(
                s <= crate::Config::default().zh_en_min_score / 2.0,
                "{s}: {t}"
            );
        }
        assert_eq!(
            artifact_score("Japan's exports rose 5% in May, the ministry said on Tuesday."),
            0.0
        );
    }

    #[test]
    fn machine_translation_scores_high() {
        let s = "Shanghai 5 month 3 , The company has 91 Employees return to work , Carrying a schoolbag 、 Dragging luggage";
        assert!(artifact_score(s) > 5.0, "{}", artifact_score(s));
        let s = "Xin Guobin said that the regions are the most developed in my country, and the resumption of work and \
                 production is the top priority. It is necessary to do a good job in epidemic prevention and control, \
                 and has achieved results so far. effectiveness.";
        assert!(artifact_score(s) > 5.0, "{}", artifact_score(s));
    }

    #[test]
    fn seeds_score_well_above_the_gate() {
        let gate = crate::Config::default().zh_en_min_score;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let s = artifact_score(&text);
            eprintln!("{}: {s:.2}", e.path().display());
            assert!(s >= 1.5 * gate, "{}: {s}", e.path().display());
        }
    }
}
