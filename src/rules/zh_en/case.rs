//! `zh_en/case`: capitals that machine translation put on common words mid-sentence, and lower-case
//! sentence openings of quotations and paragraphs.
//!
//! **What it fixes.** A common word capitalized only because it follows a number, a comma, a
//! semicolon, an enumeration comma (、), or a closing quotation mark goes to lower case ("91
//! Employees" -> "91 employees", ", Dragging luggage" -> ", dragging luggage", "“White list” The
//! enterprise" -> "“White list” the enterprise"). A quotation that is a whole sentence starts with
//! a capital ("“ go , Go to work !”" -> "“ Go , go to work !”"), and so does a paragraph
//! ("according to the report, ..." at a line start -> "According to ...").
//!
//! **Why.** Chinese-to-English engines translate clause by clause and capitalize each clause.
//!
//! **How it decides.** The word must be in the common-word list (`en/common_words`, generated from
//! wordfreq and SCOWL; words SCOWL also lists capitalized, like "May" or "China", are not in it),
//! or appear in lower case elsewhere in the document. The document's own evidence vetoes: a word
//! found capitalized mid-sentence after a lower-case word ("the Internet") is a name here.
//!
//! **Not touched.** Names ("Shanghai", "Songjiang District", "Xinhua"), a capitalized word followed
//! by another capitalized word ("In 2020, The Beatles", "3 Doors Down"), "I", title-case headings,
//! "The"/"A" straight after a number (see `zh_en/counted-noun`), sentence starts, the first word of
//! an English form listed in `zh_en/names` ("5 Ministry of Industry and Information Technology":
//! lowering it would fight `zh_en/names`, which restores it, and the fix loop would not settle).

use std::iter::Peekable;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use memchr::memmem;

use super::words::{
    is_sentence_end, is_word_byte, next_char_skip_spaces, prev_char_skip_spaces, word_at,
    word_before, CommonWords,
};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::chars::line_ranges;
use crate::text::scan::{cap_words, has_lower_word, FxHashSet};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Case {
    common: std::sync::Arc<CommonWords>,
    /// The capitalized English forms of `zh_en/names` (anchored, case-sensitive).
    names: Option<AhoCorasick>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let forms: Vec<&str> = d
        .rows("zh_en/names")
        .iter()
        .map(|r| r.get(1))
        .filter(|f| f.starts_with(|c: char| c.is_uppercase()))
        .collect();
    let names = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .build(&forms)
        .ok();
    Box::new(Case {
        common: CommonWords::shared(d),
        names,
    })
}

/// Words that do not start a name even when a capitalized word follows (", To Suzhou").
const PREPOSITIONS: &[&str] = &[
    "To", "In", "Of", "For", "With", "From", "At", "On", "By", "Into", "Across", "After", "Before",
    "Under", "Over", "Through", "Since", "During", "And", "Or", "But",
];

/// Words after a number that other rules repair as a whole ("12 The measures", "23 Thousands of
/// pieces", "380 Left and right", "5 month 3"): left to them.
const NUMBER_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "All",
    "Thousands",
    "Thousand",
    "Ten",
    "Hundred",
    "Hundreds",
    "Million",
    "Millions",
    "Billion",
    "Billions",
    "Left",
    "Month",
    "Months",
    "Year",
    "Years",
    "Day",
    "Days",
    "Points",
    "Point",
    "More",
    "Above",
    "Over",
    "Super",
    "Around",
    "About",
    "Nearly",
    "Approximately",
    "Japan",
    "Japanese",
];

/// Why a capitalized word is suspect.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    Comma,
    Number,
    Quote,
}

/// What comes before a capitalized word at `start`.
fn trigger(text: &str, start: usize) -> Option<Trigger> {
    let (i, c) = prev_char_skip_spaces(text, start)?;
    match c {
        ',' | ';' | '，' | '、' | '；' => {
            // "1,000" style numbers do not count; "Co., Ltd" is a name anyway.
            Some(Trigger::Comma)
        }
        '0'..='9' => {
            let w = word_before(text, i + 1);
            (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())).then_some(Trigger::Number)
        }
        '”' | '》' | '’' => {
            // A closing quotation mark after a non-final word: "“ send ” To Suzhou".
            let (_, before) = prev_char_skip_spaces(text, i)?;
            if is_sentence_end(before) || matches!(before, ',' | '，') {
                return None;
            }
            if c == '’' && !text[..i].contains('‘') {
                return None;
            }
            Some(Trigger::Quote)
        }
        _ => None,
    }
}

/// A line that looks like a title-case heading: most of its words are capitalized.
fn is_heading(line: &str) -> bool {
    let (capitals, lower_starts) = capital_and_lower_starts(line.as_bytes());
    capitals >= 2 * lower_starts && mostly_capitalized(line)
}

/// A bound for [`mostly_capitalized`] from two counts that need no decoding: a heading has at
/// least twice as many capitalized words as words starting in lower case. A capitalized word
/// starts with an ASCII capital or a non-ASCII character (the first count), and a lower-case
/// letter at the line start or after an ASCII space starts a lower-case word (the second). In
/// blocks of 32 bytes, without branches.
fn capital_and_lower_starts(b: &[u8]) -> (usize, usize) {
    const W: usize = 32;
    let capital = |c: u8| c.is_ascii_uppercase() | (c >= 0xC0);
    let lower_start =
        |p: u8, c: u8| ((p == b' ') | (p.wrapping_sub(b'\t') < 5)) & c.is_ascii_lowercase();
    let Some(&first) = b.first() else {
        return (0, 0);
    };
    let mut capitals = usize::from(capital(first));
    let mut lower_starts = usize::from(first.is_ascii_lowercase());
    // Byte `i` with the one before it.
    let mut i = 1;
    while i + W <= b.len() {
        let prev: &[u8; W] = b[i - 1..i - 1 + W].try_into().unwrap();
        let cur: &[u8; W] = b[i..i + W].try_into().unwrap();
        let (mut c, mut l) = (0u8, 0u8);
        for k in 0..W {
            c += u8::from(capital(cur[k]));
            l += u8::from(lower_start(prev[k], cur[k]));
        }
        capitals += usize::from(c);
        lower_starts += usize::from(l);
        i += W;
    }
    for k in i..b.len() {
        capitals += usize::from(capital(b[k]));
        lower_starts += usize::from(lower_start(b[k - 1], b[k]));
    }
    (capitals, lower_starts)
}

/// The heading test itself: at least three words, two thirds of them capitalized.
fn mostly_capitalized(line: &str) -> bool {
    let (mut words, mut caps) = (0usize, 0usize);
    for w in line.split_whitespace() {
        if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
            words += 1;
            caps += usize::from(c.is_uppercase());
        }
    }
    words >= 3 && caps * 3 >= words * 2
}

impl Case {
    /// Whether an English form from `zh_en/names` starts at `start` (as a whole word).
    fn starts_listed_name(&self, text: &str, start: usize) -> bool {
        let Some(ac) = &self.names else { return false };
        let input = Input::new(text)
            .span(start..text.len())
            .anchored(Anchored::Yes);
        ac.find(input).is_some_and(|m| {
            text.as_bytes()
                .get(m.end())
                .map_or(true, |b| !b.is_ascii_alphanumeric())
        })
    }

    /// Titlecase words the document itself uses as names: capitalized right after a lower-case word.
    /// `caps`: the capitalized words of `text` ([`cap_words`]).
    fn doc_names<'a>(&self, text: &'a str, caps: &[(usize, usize)]) -> FxHashSet<&'a str> {
        let mut names = FxHashSet::default();
        let b = text.as_bytes();
        for &(s, e) in caps {
            // The word before the space (`word_before`) is at least two lower-case letters: a
            // run of them that no other word byte precedes. Most capitals fail on the first
            // two bytes.
            if s >= 3 && b[s - 1] == b' ' && b[s - 2].is_ascii_lowercase() {
                let mut k = s - 2;
                while k > 0 && b[k - 1].is_ascii_lowercase() {
                    k -= 1;
                }
                if s - 1 - k >= 2 && (k == 0 || !is_word_byte(b[k - 1])) {
                    names.insert(&text[s..e]);
                }
            }
        }
        names
    }
}

impl Rule for Case {
    fn id(&self) -> &'static str {
        "zh_en/case"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Case
    }
    fn describe(&self) -> &'static str {
        "Lower-cases common words capitalized after a number, comma or quote; capitalizes sentence-opening quotations"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "The company has 91 Employees, Dragging luggage.",
            "The company has 91 employees, dragging luggage.",
        )
    }
    fn scope(&self) -> Scope {
        Scope::ZhEn
    }
    fn priority(&self) -> u8 {
        55
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let text = doc.text;
        // `\b[A-Z][a-z]*(?:['’-][a-z]+)*\b`, once for the whole text: no match crosses a line
        // end, so each line's matches are the whole text's within it.
        let caps = cap_words(text);
        let names = self.doc_names(text, &caps);
        // The opening quotation marks, found once for all lines.
        let mut quotes = memmem::find_iter(text.as_bytes(), "“").peekable();
        let mut ci = 0;
        for (ls, le) in line_ranges(text) {
            let line = &text[ls..le];
            while ci < caps.len() && caps[ci].0 < ls {
                ci += 1;
            }
            // A heading line is left alone; whether the line is one is only worked out when a
            // finding is at hand (most lines have none).
            let mut heading = None;
            let mut is_head = || *heading.get_or_insert_with(|| is_heading(line));
            while ci < caps.len() && caps[ci].0 < le {
                let (start, m_end) = caps[ci];
                ci += 1;
                let Some(trig) = trigger(text, start) else {
                    continue;
                };
                // The match is the whole word unless a word byte or a non-ASCII character (a
                // curly apostrophe) follows it; only then is the word worked out.
                let w = match text.as_bytes().get(m_end) {
                    Some(&b) if b >= 0x80 || is_word_byte(b) => word_at(text, start),
                    _ => &text[start..m_end],
                };
                if w.len() != m_end - start {
                    continue; // part of something longer ("G60", "Co.")
                }
                if trig == Trigger::Number && NUMBER_WORDS.contains(&w) {
                    continue;
                }
                if w == "A" && trig != Trigger::Comma {
                    continue;
                }
                if names.contains(w) || self.starts_listed_name(text, start) {
                    continue;
                }
                // A run of capitalized words is a name ("The Beatles", "Doors Down").
                let after = start + w.len();
                if let Some((j, c)) = next_char_skip_spaces(text, after) {
                    let preposition = PREPOSITIONS.contains(&w);
                    // ", Organized 16,000 machines", ", Including 2800": a verb form or a
                    // preposition before a number is not a name like "Route 66".
                    let verb_form = trig == Trigger::Comma
                        && w.len() >= 5
                        && (w.ends_with("ed") || w.ends_with("ing"))
                        && self.common.contains(w);
                    if j == after + 1
                        && (c.is_uppercase() || c.is_ascii_digit())
                        && !(preposition && c.is_uppercase())
                        && !((preposition || verb_form) && c.is_ascii_digit())
                    {
                        continue;
                    }
                    // "Co., Ltd" style abbreviations and possessive names.
                    if j == after && c == '.' {
                        continue;
                    }
                }
                // `w` is ASCII but for `’`, which has no case: its ASCII lower case is its lower
                // case, made without an allocation.
                let mut buf = [0u8; 48];
                let owned;
                let low: &str = match buf.get_mut(..w.len()) {
                    Some(b) => {
                        b.copy_from_slice(w.as_bytes());
                        b.make_ascii_lowercase();
                        std::str::from_utf8(b).unwrap_or_default()
                    }
                    None => {
                        owned = w.to_ascii_lowercase();
                        &owned
                    }
                };
                // `contains_compound`, without its splits for a plain word.
                let listed = if low.bytes().any(|b| matches!(b, b'\'' | b'-' | 0xE2)) {
                    self.common.contains_compound(low)
                } else {
                    !low.is_empty() && self.common.contains(low)
                };
                // An unlisted word needs to be seen in lower case elsewhere, and to be a plain
                // word of four letters or more. The whole-text search for it comes last.
                if !listed && (low.len() < 4 || w.contains(['\'', '’', '-'])) {
                    continue;
                }
                // A heading has no findings at all; this reads the whole line, where the search
                // reads the whole text: for a listed word (a finding whatever the search says)
                // it comes first.
                if listed && is_head() {
                    break;
                }
                let seen_lower = has_lower_word(text, low, 3);
                if !listed && !seen_lower {
                    continue;
                }
                if !listed && is_head() {
                    break;
                }
                let conf = if listed && seen_lower {
                    Confidence::Certain
                } else {
                    Confidence::Likely
                };
                // `{w:?}` without the formatting machinery: `w` has no character that Debug
                // escapes in a string.
                let mut msg = String::with_capacity(40 + w.len());
                msg.push_str("common word capitalized mid-sentence: \"");
                msg.push_str(w);
                msg.push('"');
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(start, start + 1),
                    w[..1].to_ascii_lowercase(),
                    conf,
                    msg,
                ));
            }
            self.sentence_openers(text, ls, le, &mut is_head, &mut quotes, out);
        }
    }
}

impl Case {
    /// A quotation that is a whole sentence, or a paragraph, opening with a lower-case word.
    /// `is_head`: whether the line is a heading (then nothing is found); `quotes`: where the
    /// opening quotation marks of `text` are, from this line on.
    fn sentence_openers(
        &self,
        text: &str,
        ls: usize,
        le: usize,
        is_head: &mut impl FnMut() -> bool,
        quotes: &mut Peekable<impl Iterator<Item = usize>>,
        out: &mut Vec<Finding>,
    ) {
        let line = &text[ls..le];
        // Paragraph start: "according to ..." on a line of its own that ends a sentence.
        if let Some((i, c)) = next_char_skip_spaces(text, ls) {
            if c.is_ascii_lowercase() && i < le {
                let w = word_at(text, i);
                let ends = line
                    .trim_end()
                    .chars()
                    .last()
                    .is_some_and(|c| is_sentence_end(c) || c == '”');
                if w.len() >= 2
                    && self.common.contains(w)
                    && ends
                    && line.split_whitespace().count() >= 6
                    && !is_head()
                {
                    out.push(Finding::fix(
                        self.id(),
                        self.kind(),
                        Span::new(i, i + 1),
                        w[..1].to_uppercase(),
                        Confidence::Likely,
                        "paragraph starts in lower case",
                    ));
                }
            }
        }
        // Quotation: “ go , Go to work !”
        while let Some(q) = quotes.next_if(|&q| q < le) {
            let Some((i, c)) = next_char_skip_spaces(text, q + '“'.len_utf8()) else {
                continue;
            };
            if !c.is_ascii_lowercase() {
                continue;
            }
            let Some(close) = text[i..le].find('”') else {
                continue;
            };
            let close = i + close;
            if text[i..close].contains('“') {
                continue;
            }
            let ends = prev_char_skip_spaces(text, close).is_some_and(|(_, c)| is_sentence_end(c));
            let w = word_at(text, i);
            // "“ company 3 The smart ...”" is scrambled; leave it to the flag.
            let scrambled =
                next_char_skip_spaces(text, i + w.len()).is_some_and(|(_, c)| c.is_ascii_digit());
            if ends && !scrambled && self.common.contains(w) && !is_head() {
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(i, i + 1),
                    w[..1].to_uppercase(),
                    Confidence::Likely,
                    "quoted sentence starts in lower case",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["zh_en/case"];

    #[test]
    fn lowers_common_words_after_numbers_commas_and_quotes() {
        let cases = [
            (
                "The firm has 91 Employees back at work.",
                "The firm has 91 employees back at work.",
            ),
            (
                "Carrying a schoolbag 、 Dragging luggage , Looking forward to it.",
                "Carrying a schoolbag 、 dragging luggage , looking forward to it.",
            ),
            (
                "Since April 23, The company has grown.",
                "Since April 23, the company has grown.",
            ),
            (
                "It was busy, It is a leading firm.",
                "It was busy, it is a leading firm.",
            ),
            (
                "Shanghai “ White list ” The enterprise grew.",
                "Shanghai “ White list ” the enterprise grew.",
            ),
            (
                "He said ; Production and marketing rose.",
                "He said ; production and marketing rose.",
            ),
            (
                "There are 8 Special working groups in the city.",
                "There are 8 special working groups in the city.",
            ),
            (
                "The order was sent ,It's the best.",
                "The order was sent ,it's the best.",
            ),
            ("“ go , Go to work !”", "“ Go , go to work !”"),
            (
                "The plan works.\naccording to the understanding of the staff, it works.",
                "The plan works.\nAccording to the understanding of the staff, it works.",
            ),
            (
                "The order was “ send ” To Suzhou factory.",
                "The order was “ send ” to Suzhou factory.",
            ),
            (
                "They met, A guarantee of supply was given.",
                "They met, a guarantee of supply was given.",
            ),
            // A verb form or a preposition before a number.
            (
                "It set up teams , Deployed 3,200 rescuers , Before 8:00 the roads were open.",
                "It set up teams , deployed 3,200 rescuers , before 8:00 the roads were open.",
            ),
            (
                "Sales rose , Reaching 40 billion yuan.",
                "Sales rose , reaching 40 billion yuan.",
            ),
            // Hand-kept common words that SCOWL also lists capitalized.
            (
                "Rain fell , Government departments and city offices closed , Central heating failed.",
                "Rain fell , government departments and city offices closed , central heating failed.",
            ),
        ];
        for (i, e) in cases {
            assert_fixes(R, i, e);
        }
    }

    #[test]
    fn leaves_listed_english_names_to_zh_en_names() {
        // Found by the fuzzer (fixtures/fuzz): case lowered "Ministry" after a number and
        // zh_en/names restored it, pass after pass.
        assert_clean(R, "c.5 Ministry of Industry and Information Technology");
        assert_clean(
            &["zh_en/case", "zh_en/names"],
            "c.5 Ministry of Industry and Information Technology",
        );
        assert_fixes(
            &["zh_en/case", "zh_en/names"],
            "c.5 Ministry of industry and information technology said",
            "c.5 Ministry of Industry and Information Technology said",
        );
        // Only a whole listed form protects the word.
        assert_fixes(
            R,
            "They hired 5 Ministry officials.",
            "They hired 5 ministry officials.",
        );
    }

    #[test]
    fn the_heading_bound_never_rejects_a_heading() {
        let mut lines: Vec<String> = [
            "",
            "a",
            "Oil Prices Rise, Stocks Fall Across Asia",
            "Él Ñu Über ok",
            "\u{b}x Y Z",
            "A b C D\te F",
            "中文 标题 Abc",
            "x\u{3000}Y\u{a0}Z W",
        ]
        .map(String::from)
        .to_vec();
        for t in crate::rules::testing::fixture_texts() {
            lines.extend(t.lines().map(String::from));
        }
        for l in &lines {
            assert_eq!(super::is_heading(l), super::mostly_capitalized(l), "{l:?}");
        }
    }

    #[test]
    fn keeps_names_sentence_starts_and_i() {
        for t in [
            "Japan's exports rose 5% in May, the ministry said.",
            "Prices fell in 12 Chinese cities, Shanghai said.",
            "In 2020, The Beatles were still popular.",
            "The band 3 Doors Down played, I said.",
            "He arrived. The meeting began, and I left.",
            "Songjiang District, Shanghai announced the plan on May 1.",
            "He used the Internet daily, Internet access is cheap.",
            "Oil Prices Rise, Stocks Fall Across Asia",
            "She said, “ the plan is fine” and left.",
            "It was sent to Zhangjiang Group, Xinhua reported.",
            "The firm, Co., Ltd. and others, grew.",
            // Names before a number stay.
            "It runs on Windows 11, Boeing 737 jets fly, Reading 2 won.",
            "The stops are Jinan, Route 66 and Line 4.",
            "It met, Central Bank officials said, and Northern Ireland agreed.",
        ] {
            assert_clean(R, t);
        }
    }
}
