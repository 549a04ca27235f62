//! A structured generator for the `clean_str` target: documents assembled from pieces that look
//! like machine-translated news (dates rendered word for word, Chinese number units, spaced
//! punctuation, CJK punctuation and text, attributions, capitalized words after commas, CRLF...),
//! so the rules' interesting paths are reached far more often than from random bytes.
//!
//! Besides a handwritten list of artifacts, it draws phrases from every embedded dictionary, so new
//! rule data is fuzzed as soon as it lands.

use std::fmt;
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use textmend::dict::Dictionaries;

/// MT artifacts and look-alikes, as they appear in scraped Chinese-to-English news.
const ARTIFACTS: &[&str] = &[
    "5 month 3",
    "4 month 23 since",
    "2022 year 5 month 3 day",
    "2022 year 1-9 months",
    ".5 month 1 Japan ,",
    "from 4 month 15 Japanese 2000 People rise to 22 Japanese 4000 people",
    "on the th .",
    "5 months later",
    "3 Japanese companies",
    "23 Thousands of pieces",
    "3.5 Ten thousand yuan",
    "1.2 One hundred million yuan",
    "45 billion 651 million",
    "558 thousand and 780",
    "380 Left and right",
    "a super 10000",
    "more than 100",
    " , ",
    " .",
    " ,",
    " !”",
    "moment ,“ go",
    "、",
    "《",
    "》",
    "，",
    "。",
    "：",
    "“",
    "”",
    "(Reuters)",
    " (Reuters) --",
    "( The reporter Yao Yujie",
    "Reporter | She Xiaochen",
    "Xinhua news agency client Shanghai",
    "Image source:",
    "This article is reprinted from:",
    "current position:Home>",
    "Leave a Comment",
    "2022-05-07 15:53:58",
    "10:30 a.m.",
    "15 o'clock",
    ", The company has",
    ", Production capacity will",
    ", It is a",
    "6 All districts",
    "A laptop",
    "91 Employees",
    "services. guarantee",
    "management. ,",
    "I city",
    "100 million yuan",
    "$",
    "¥",
    "RMB",
    "%",
    "No. 1",
    "Co., Ltd.",
    "Mr.",
    "U.S.",
    "e.g.",
    "...",
    "……",
    "——",
    "--",
    "\"",
    "'",
    "’s",
    "(",
    ")",
    "[",
    "]",
    "·",
    "•",
    "\t",
    "\u{3000}",
    "\u{00A0}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{FFFD}",
    "Ã©",
    "â€™",
    "ï¼Œ",
    "１２３",
    "ＡＢＣ",
];

const CJK: &[&str] = &[
    "上海",
    "复工",
    "复产",
    "企业",
    "月",
    "日",
    "年",
    "万",
    "亿",
    "件",
    "人",
    "记者",
    "新华社",
    "的",
    "了",
    "是",
    "中国",
    "東京",
    "株式会社",
    "서울",
    "に",
    "は",
];

const PUNCT: &[&str] = &[
    ".", ",", ";", ":", "!", "?", "-", "/", "&", "'", "\"", "(", ")", " ", "  ", ". ", ", ",
];

/// Words and phrases from the embedded dictionaries (first column of every table).
static PHRASES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let d = Dictionaries::embedded();
    let mut v: Vec<String> = Vec::new();
    for name in d.names() {
        if name.starts_with("en/common_words") {
            continue;
        }
        v.extend(d.rows(name).iter().map(|r| r.get(0).to_string()));
    }
    v.retain(|s| !s.is_empty());
    v
});

/// Common English words (the `en/common_words` tables).
static WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let d = Dictionaries::embedded();
    let mut v: Vec<String> = d
        .names()
        .filter(|n| n.starts_with("en/common_words"))
        .flat_map(|n| d.rows(n).iter().map(|r| r.get(0).to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    if v.is_empty() {
        v = [
            "the",
            "company",
            "said",
            "production",
            "and",
            "of",
            "workers",
            "in",
        ]
        .map(String::from)
        .to_vec();
    }
    v
});

/// One piece of a generated document.
#[derive(Arbitrary, Debug, Clone)]
pub enum Piece {
    Word(u16),
    Cap(u16),
    Phrase(u16),
    Artifact(u8),
    Number(u32),
    Decimal(u16, u8),
    Year(u8),
    Cjk(u8, u8),
    Punct(u8),
    Space,
    Newline,
    BlankLine,
    Crlf,
    Char(char),
    Raw(String),
}

/// A generated document; its `Debug` is the rendered text (so `cargo fuzz fmt` shows it).
#[derive(Arbitrary, Clone)]
pub struct Doc {
    pub pieces: Vec<Piece>,
}

fn pick<'a, S: AsRef<str>>(list: &'a [S], i: usize) -> &'a str {
    if list.is_empty() {
        ""
    } else {
        list[i % list.len()].as_ref()
    }
}

fn word_like(out: &mut String, w: &str) {
    if out
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | ',' | ';' | ':'))
    {
        out.push(' ');
    }
    out.push_str(w);
}

impl Doc {
    /// The document text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Word(i) => word_like(&mut out, pick(&WORDS, *i as usize)),
                Piece::Cap(i) => {
                    let w = pick(&WORDS, *i as usize);
                    let mut c = w.chars();
                    let cap: String = c
                        .next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default();
                    word_like(&mut out, &cap);
                }
                Piece::Phrase(i) => word_like(&mut out, pick(&PHRASES, *i as usize)),
                Piece::Artifact(i) => out.push_str(pick(ARTIFACTS, *i as usize)),
                Piece::Number(n) => word_like(&mut out, &(n % 100_000).to_string()),
                Piece::Decimal(a, b) => word_like(&mut out, &format!("{a}.{}", b % 100)),
                Piece::Year(y) => word_like(&mut out, &(1990 + (*y as u32 % 56)).to_string()),
                Piece::Cjk(i, n) => {
                    for k in 0..=(*n % 4) {
                        out.push_str(pick(CJK, *i as usize + k as usize * 7));
                    }
                }
                Piece::Punct(i) => out.push_str(pick(PUNCT, *i as usize)),
                Piece::Space => out.push(' '),
                Piece::Newline => out.push('\n'),
                Piece::BlankLine => out.push_str("\n\n"),
                Piece::Crlf => out.push_str("\r\n"),
                Piece::Char(c) => out.push(*c),
                Piece::Raw(s) => out.extend(s.chars().take(16)),
            }
        }
        out
    }
}

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.render())
    }
}
