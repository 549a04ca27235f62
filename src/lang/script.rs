//! Script census: which writing systems a text uses, per document and per paragraph, and where
//! CJK text sits inside it.
//!
//! One forward pass over the text gives everything at once: the document's letter counts per
//! script, the main script of every line, and the CJK zones (a CJK-main line as a whole, or a run
//! of CJK letters and CJK punctuation inside a Latin line), which rules for Latin-script text must
//! not edit from the inside.

use serde::{Deserialize, Serialize};

use crate::text::chars::{is_han, is_hangul, is_kana};
use crate::text::Span;

/// A writing system, as far as routing needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Script {
    None,
    Latin,
    Han,
    Kana,
    Hangul,
    Cyrillic,
    Arabic,
    Other,
}

impl Script {
    pub fn as_str(&self) -> &'static str {
        match self {
            Script::None => "None",
            Script::Latin => "Latin",
            Script::Han => "Han",
            Script::Kana => "Kana",
            Script::Hangul => "Hangul",
            Script::Cyrillic => "Cyrillic",
            Script::Arabic => "Arabic",
            Script::Other => "Other",
        }
    }

    /// Han, kana or Hangul.
    pub fn is_cjk(&self) -> bool {
        matches!(self, Script::Han | Script::Kana | Script::Hangul)
    }

    /// Letters of one script per "word": a CJK character carries about as much text as three
    /// Latin letters, so shares are compared on this weight.
    fn weight(&self) -> usize {
        if self.is_cjk() {
            3
        } else {
            1
        }
    }
}

/// The script of a letter; `None` for anything that is not a letter.
#[inline]
pub fn script_of(ch: char) -> Option<Script> {
    if ch.is_ascii() {
        return ch.is_ascii_alphabetic().then_some(Script::Latin);
    }
    let s = match ch as u32 {
        0x00C0..=0x024F | 0x1E00..=0x1EFF => Script::Latin,
        0x0400..=0x052F => Script::Cyrillic,
        0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
        0x3005 => Script::Han, // 々, the ideographic iteration mark
        _ if is_han(ch) => Script::Han,
        _ if is_kana(ch) => Script::Kana,
        _ if is_hangul(ch) => Script::Hangul,
        _ => Script::Other,
    };
    // Symbols inside those blocks (×, ÷, the kana middle dot) are not letters.
    (ch.is_alphabetic()).then_some(s)
}

/// CJK punctuation: the CJK symbols block, fullwidth punctuation and vertical forms.
#[inline]
pub fn is_cjk_punct(ch: char) -> bool {
    matches!(ch as u32,
        0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0xFE30..=0xFE4F | 0x30FB)
}

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
            if let Some(s) = script_of(ch) {
                c.add(s, 1);
            }
        }
        c
    }

    #[inline]
    fn add(&mut self, s: Script, n: usize) {
        match s {
            Script::Latin => self.latin += n,
            Script::Han => self.han += n,
            Script::Kana => self.kana += n,
            Script::Hangul => self.hangul += n,
            Script::Cyrillic => self.cyrillic += n,
            Script::Arabic => self.arabic += n,
            Script::Other => self.other += n,
            Script::None => {}
        }
    }

    fn merge(&mut self, o: &ScriptCensus) {
        self.latin += o.latin;
        self.han += o.han;
        self.kana += o.kana;
        self.hangul += o.hangul;
        self.cyrillic += o.cyrillic;
        self.arabic += o.arabic;
        self.other += o.other;
    }

    /// Letters of one script.
    pub fn count(&self, s: Script) -> usize {
        match s {
            Script::Latin => self.latin,
            Script::Han => self.han,
            Script::Kana => self.kana,
            Script::Hangul => self.hangul,
            Script::Cyrillic => self.cyrillic,
            Script::Arabic => self.arabic,
            Script::Other => self.other,
            Script::None => 0,
        }
    }

    pub fn total(&self) -> usize {
        self.latin + self.han + self.kana + self.hangul + self.cyrillic + self.arabic + self.other
    }

    /// Letters of CJK scripts (Han, kana, Hangul).
    pub fn cjk(&self) -> usize {
        self.han + self.kana + self.hangul
    }

    const SCRIPTS: [Script; 7] = [
        Script::Latin,
        Script::Han,
        Script::Kana,
        Script::Hangul,
        Script::Cyrillic,
        Script::Arabic,
        Script::Other,
    ];

    fn weighted_total(&self) -> usize {
        Self::SCRIPTS
            .iter()
            .map(|s| self.count(*s) * s.weight())
            .sum()
    }

    /// The share of `s` in the text, weighting a CJK character as three Latin letters (0..=1).
    pub fn share(&self, s: Script) -> f64 {
        let t = self.weighted_total();
        if t == 0 {
            0.0
        } else {
            (self.count(s) * s.weight()) as f64 / t as f64
        }
    }

    /// The weighted share of CJK scripts (0..=1).
    pub fn cjk_share(&self) -> f64 {
        let t = self.weighted_total();
        if t == 0 {
            0.0
        } else {
            (self.cjk() * 3) as f64 / t as f64
        }
    }

    /// Scripts present, by weighted share, largest first (ties in a fixed order).
    pub fn ranked(&self) -> Vec<(Script, f64)> {
        let mut v: Vec<(Script, f64)> = Self::SCRIPTS
            .iter()
            .filter(|s| self.count(**s) > 0)
            .map(|s| (*s, self.share(*s)))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// The main script (weighted, so that a CJK character counts as a word-sized unit).
    pub fn main(&self) -> Script {
        let mut best = (0usize, Script::None);
        for s in Self::SCRIPTS {
            let w = self.count(s) * s.weight();
            if w > best.0 {
                best = (w, s);
            }
        }
        best.1
    }

    /// The main script's name.
    pub fn main_script(&self) -> &'static str {
        self.main().as_str()
    }
}

/// One line of the text and its script profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The line, without its newline.
    pub span: Span,
    pub script: Script,
    /// Weighted CJK share of the line's letters (0..=1).
    pub cjk_share: f32,
    pub letters: u32,
}

/// Everything one pass over the text finds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub census: ScriptCensus,
    pub paragraphs: Vec<Paragraph>,
    /// Sorted, disjoint: a CJK-main line (trimmed), or a CJK run inside another line.
    pub cjk_zones: Vec<Span>,
}

/// A run of CJK letters being collected: CJK letters and CJK punctuation extend it; other
/// non-letters (spaces, digits, quotes) may sit inside it; a non-CJK letter or a line end closes it.
#[derive(Default)]
struct Run {
    start: Option<usize>,
    end: usize,
    /// Start of CJK punctuation seen just before a run opened ("「他" opens at 「).
    punct_start: Option<usize>,
}

/// Scans `text` once.
pub fn scan(text: &str) -> Scan {
    let mut out = Scan {
        // One paragraph per line: count them first (a vectorized count) rather than grow.
        paragraphs: Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1),
        ..Scan::default()
    };
    let mut runs: Vec<Span> = Vec::new();
    let mut start = 0usize;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let census = scan_line(line, start, &mut runs);
        let other = census.han
            | census.kana
            | census.hangul
            | census.cyrillic
            | census.arabic
            | census.other;
        // Latin letters only (or none): no CJK run, no CJK share, and the main script is Latin
        // when there is a letter, as `main` and `cjk_share` would say, without their loops.
        let (script, cjk_share, letters) = if other == 0 {
            let script = if census.latin > 0 {
                Script::Latin
            } else {
                Script::None
            };
            (script, 0.0, census.latin)
        } else {
            let script = census.main();
            if script.is_cjk() {
                let lead = line.len() - line.trim_start().len();
                let trail = line.len() - line.trim_end().len();
                out.cjk_zones.push(Span::new(start + lead, end - trail));
            } else {
                out.cjk_zones.append(&mut runs);
            }
            runs.clear();
            (script, census.cjk_share() as f32, census.total())
        };
        out.paragraphs.push(Paragraph {
            span: Span::new(start, end),
            script,
            cjk_share,
            letters: letters as u32,
        });
        if other == 0 {
            out.census.latin += census.latin;
        } else {
            out.census.merge(&census);
        }
        start = end + 1;
    }
    out
}

/// ASCII letters in `b` (a byte of a multi-byte char is never one).
#[inline]
fn ascii_letters(b: &[u8]) -> usize {
    // Counted in byte lanes, 255 bytes at a time, so that the compiler vectorizes the loop.
    b.chunks(255)
        .map(|c| {
            c.iter().fold(0u8, |n, &x| {
                n + u8::from((x | 0x20).wrapping_sub(b'a') < 26)
            }) as usize
        })
        .sum()
}

/// The census of one line (no newline inside) at byte `offset` of the text, pushing its CJK runs.
fn scan_line(line: &str, offset: usize, runs: &mut Vec<Span>) -> ScriptCensus {
    let b = line.as_bytes();
    let mut census = ScriptCensus {
        latin: ascii_letters(b),
        ..ScriptCensus::default()
    };
    let mut run = Run::default();
    let mut i = 0;
    loop {
        // A stretch of ASCII (its letters are counted above): a letter in it closes an open run,
        // and any ASCII character forgets the CJK punctuation seen before it.
        let next = crate::text::scan::next_non_ascii(b, i);
        if next > i {
            if run.start.is_some() && b[i..next].iter().any(u8::is_ascii_alphabetic) {
                let st = run.start.take().expect("open run");
                runs.push(Span::new(st, run.end));
            }
            run.punct_start = None;
        }
        if next == b.len() {
            break;
        }
        let ch = line[next..].chars().next().expect("a char at a boundary");
        let at = offset + next;
        i = next + ch.len_utf8();
        match script_of(ch) {
            Some(s) => {
                census.add(s, 1);
                if s.is_cjk() {
                    if run.start.is_none() {
                        run.start = Some(run.punct_start.unwrap_or(at));
                    }
                    run.end = at + ch.len_utf8();
                } else if let Some(st) = run.start.take() {
                    runs.push(Span::new(st, run.end));
                }
                run.punct_start = None;
            }
            None if is_cjk_punct(ch) => {
                if run.start.is_some() {
                    run.end = at + ch.len_utf8();
                } else if run.punct_start.is_none() {
                    run.punct_start = Some(at);
                }
            }
            None => run.punct_start = None,
        }
    }
    if let Some(st) = run.start {
        runs.push(Span::new(st, run.end));
    }
    census
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(text: &str) -> Vec<&str> {
        scan(text)
            .cjk_zones
            .iter()
            .map(|z| &text[z.start..z.end])
            .collect()
    }

    #[test]
    fn census_counts_letters_only() {
        let c = ScriptCensus::of("Abc 中文 かな 한국 Мир عرب 123 ×÷ ・");
        assert_eq!(
            (c.latin, c.han, c.kana, c.hangul, c.cyrillic, c.arabic, c.other),
            (3, 2, 2, 2, 3, 3, 0)
        );
        assert_eq!(ScriptCensus::of("12, 34!").main(), Script::None);
    }

    #[test]
    fn main_script_weighs_cjk() {
        // 10 Latin letters against 4 Han characters (weight 12): Han.
        assert_eq!(ScriptCensus::of("abcdefghij 中文中文").main(), Script::Han);
        assert_eq!(
            ScriptCensus::of("abcdefghijklm 中文中文").main(),
            Script::Latin
        );
    }

    #[test]
    fn paragraphs_per_line() {
        let t = "An English line here.\n这是中文。\n\nじゃあね";
        let s = scan(t);
        let scripts: Vec<_> = s.paragraphs.iter().map(|p| p.script).collect();
        assert_eq!(
            scripts,
            vec![Script::Latin, Script::Han, Script::None, Script::Kana]
        );
        assert_eq!(
            &t[s.paragraphs[1].span.start..s.paragraphs[1].span.end],
            "这是中文。"
        );
        assert_eq!(s.census.han, 4);
    }

    #[test]
    fn scan_census_matches_the_plain_census() {
        for t in [
            "Abc 中文 かな 한국 Мир عرب 123\nÉté\n\n漢字。",
            "",
            "\n\n",
            "x",
        ] {
            assert_eq!(scan(t).census, ScriptCensus::of(t), "{t:?}");
        }
    }

    /// [`scan_line`] as first written: one char at a time.
    fn reference_scan_line(line: &str, offset: usize, runs: &mut Vec<Span>) -> ScriptCensus {
        let mut census = ScriptCensus::default();
        let mut run = Run::default();
        for (i, ch) in line.char_indices() {
            let i = offset + i;
            match script_of(ch) {
                Some(s) => {
                    census.add(s, 1);
                    if s.is_cjk() {
                        if run.start.is_none() {
                            run.start = Some(run.punct_start.unwrap_or(i));
                        }
                        run.end = i + ch.len_utf8();
                    } else if let Some(st) = run.start.take() {
                        runs.push(Span::new(st, run.end));
                    }
                    run.punct_start = None;
                }
                None if is_cjk_punct(ch) => {
                    if run.start.is_some() {
                        run.end = i + ch.len_utf8();
                    } else if run.punct_start.is_none() {
                        run.punct_start = Some(i);
                    }
                }
                None => run.punct_start = None,
            }
        }
        if let Some(st) = run.start {
            runs.push(Span::new(st, run.end));
        }
        census
    }

    fn same_as_reference(line: &str) {
        let (mut a, mut r) = (Vec::new(), Vec::new());
        let ca = scan_line(line, 7, &mut a);
        let cr = reference_scan_line(line, 7, &mut r);
        assert_eq!((ca, a), (cr, r), "{line:?}");
    }

    #[test]
    fn scan_line_matches_the_reference() {
        for t in crate::rules::testing::fixture_texts() {
            t.split('\n').for_each(same_as_reference);
        }
        for l in [
            "",
            "abc",
            "「東京」, not 「Osaka」",
            "中文 ， x 。中 5 中 「 」 a」中",
            "Été 中 é 中 ×中÷ ・中",
        ] {
            same_as_reference(l);
        }
    }

    const PIECES: &[&str] = &[
        " ", "a", "Z", "5", ",", "é", "×", "中", "文", "か", "한", "Д", "ع", "「", "」", "，",
        "。", "・", "　", "々", "“", "—", "ß",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn scan_line_matches_the_reference_on_generated_lines(
            line in crate::rules::testing::text_from(PIECES, 40)
        ) {
            same_as_reference(&line);
        }
    }

    #[test]
    fn zones_are_cjk_lines_and_runs() {
        assert_eq!(
            zones("He said “我们会继续努力。” and left the room after the meeting."),
            vec!["我们会继续努力。"]
        );
        assert_eq!(zones("It was 「東京」, not Osaka."), vec!["「東京」"]);
        assert_eq!(
            zones("  这是一段中文，有 English 词。  \nNext line"),
            vec!["这是一段中文，有 English 词。"]
        );
        // Digits and spaces inside a run stay inside it; a Latin letter closes it.
        assert_eq!(
            zones("On 2022年5月3日 we met with 李强 there to discuss the plans"),
            vec!["年5月3日", "李强"]
        );
        assert!(zones("Plain English, with 、 stray punctuation.").is_empty());
        assert!(zones("").is_empty());
    }
}
