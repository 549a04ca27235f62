//! `zh_en/names` and `zh_en/company-name`: names and terms with a well-known English form.
//!
//! **What `zh_en/names` fixes.** Renderings listed in `zh_en/names` (looked up at each word start,
//! longest row wins, whole words only): "The xinhua news agency" -> "Xinhua News
//! Agency", "Xinhua news agency client" -> "Xinhua News Agency app", "Changjiang delta" ->
//! "Yangtze River Delta", "in my country" (我国) -> "in China" (not inside a quotation, where a
//! speaker may mean their own country).
//!
//! **What `zh_en/company-name` fixes.** An unknown lower-case word right before a capitalized
//! company word (`zh_en/company_words`: Electric, Group, Technology...) is the first word of the
//! name: "feidiao Electric Appliance Group" -> "Feidiao Electric Appliance Group", and every other
//! lower-case use of that word in the document follows ("feidiao electric appliance said").
//!
//! **Why.** Engines translate names word by word and lose their capitals.
//!
//! **Not touched.** Rows that do not match case where the row says so; common English words
//! ("giant Group"), quoted first-person "my country".

use super::words::{is_word_byte, CommonWords};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::scan::{lower_then_cap, FxHashMap, FxHashSet};
use crate::text::{ArtifactKind, Confidence, Span};

struct NameRow {
    from: String,
    to: String,
    nocase: bool,
    noquote: bool,
}

pub struct Names {
    rows: Vec<NameRow>,
    starts: StartIndex,
}

/// The rows by their first bytes. Only a row found as a whole word counts, so a row is looked for
/// only where a word may start: at each byte that begins some row and follows no word byte, the
/// next `key_len` bytes (the length of the shortest row, at most 8) are taken in ASCII lower case
/// as a key; a bit set of the keys' hashes turns most places away, and the rows under a key
/// are compared (ASCII case-insensitively) in row order.
struct StartIndex {
    key_len: usize,
    /// Bytes that begin a row, in either ASCII case.
    first: [bool; 256],
    /// Every row begins with an ASCII letter or digit: places are found eight bytes at a time.
    alnum_first: bool,
    seen: [u64; 64],
    rows: FxHashMap<u64, Vec<usize>>,
}

const ONES: u64 = u64::from_le_bytes([1; 8]);
const HIGH: u64 = 0x80 * ONES;

/// The high bit of each byte of `x` set where that byte is in `lo..=hi` (`hi` below 0x80): its
/// low seven bits plus `0x80 - lo` reach the high bit from `lo` on, plus `0x7F - hi` past `hi`;
/// no sum carries into the next byte.
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let low = x & !HIGH;
    let from = low + u64::from(0x80 - lo) * ONES;
    let past = low + u64::from(0x7F - hi) * ONES;
    from & !past & !x & HIGH
}

/// `b` (at most 8 bytes) in ASCII lower case, as a number (first byte lowest).
fn fold_key(b: &[u8]) -> u64 {
    b.iter()
        .rev()
        .fold(0, |k, &c| (k << 8) | u64::from(c.to_ascii_lowercase()))
}

/// The bit of `StartIndex::seen` for a key.
fn seen_bit(key: u64) -> (usize, u64) {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52;
    ((h >> 6) as usize, 1 << (h & 63))
}

impl StartIndex {
    fn new(rows: &[NameRow]) -> StartIndex {
        let key_len = rows.iter().map(|r| r.from.len()).min().unwrap_or(1).min(8);
        let mut first = [false; 256];
        let mut seen = [0u64; 64];
        let mut keys: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (i, r) in rows.iter().enumerate() {
            let b = r.from.as_bytes();
            first[usize::from(b[0].to_ascii_lowercase())] = true;
            first[usize::from(b[0].to_ascii_uppercase())] = true;
            let key = fold_key(&b[..key_len]);
            let (w, bit) = seen_bit(key);
            seen[w] |= bit;
            keys.entry(key).or_default().push(i);
        }
        StartIndex {
            key_len,
            alnum_first: rows
                .iter()
                .all(|r| r.from.as_bytes()[0].is_ascii_alphanumeric()),
            first,
            seen,
            rows: keys,
        }
    }

    /// Every occurrence of a row that starts a word (not after a word byte), as (start, end,
    /// row), by start and then row.
    fn find(&self, rows: &[NameRow], text: &str) -> Vec<(usize, usize, usize)> {
        let b = text.as_bytes();
        let mut found = Vec::new();
        let mut s = 0;
        if self.alnum_first {
            // Places eight bytes at a time: a byte from b'0' to 0x7F (ASCII letters and digits
            // among them) after no ASCII letter; `look` sees to the rest.
            let mut letter_before = 0u64;
            while s + 8 <= b.len() {
                let x = u64::from_le_bytes(b[s..s + 8].try_into().unwrap());
                let letters = bytes_in(x | (0x20 * ONES), b'a', b'z');
                let high = ((x & !HIGH) + u64::from(0x80 - b'0') * ONES) & !x & HIGH;
                let mut places = high & !((letters << 8) | letter_before);
                letter_before = (letters >> 56) & 0x80;
                while places != 0 {
                    let at = s + (places.trailing_zeros() / 8) as usize;
                    places &= places - 1;
                    self.look(rows, b, at, &mut found);
                }
                s += 8;
            }
        }
        for at in s..b.len() {
            self.look(rows, b, at, &mut found);
        }
        found
    }

    /// The rows that occur at `s` as the start of a word.
    #[inline(always)]
    fn look(&self, rows: &[NameRow], b: &[u8], s: usize, found: &mut Vec<(usize, usize, usize)>) {
        if !self.first[usize::from(b[s])]
            || s + self.key_len > b.len()
            || (s > 0 && is_word_byte(b[s - 1]))
        {
            return;
        }
        let key = if s + 8 <= b.len() {
            let x = u64::from_le_bytes(b[s..s + 8].try_into().unwrap());
            let lower = x | (bytes_in(x, b'A', b'Z') >> 2);
            if self.key_len == 8 {
                lower
            } else {
                lower & ((1 << (8 * self.key_len)) - 1)
            }
        } else {
            fold_key(&b[s..s + self.key_len])
        };
        let (w, bit) = seen_bit(key);
        if self.seen[w] & bit != 0 {
            self.compare(rows, b, s, key, found);
        }
    }

    /// The rows under `key` that occur at `s`.
    #[inline(never)]
    fn compare(
        &self,
        rows: &[NameRow],
        b: &[u8],
        s: usize,
        key: u64,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        let Some(ids) = self.rows.get(&key) else {
            return;
        };
        for &i in ids {
            let from = rows[i].from.as_bytes();
            if b.len() - s >= from.len() && b[s..s + from.len()].eq_ignore_ascii_case(from) {
                found.push((s, s + from.len(), i));
            }
        }
    }
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Names::new(d))
}

impl Names {
    fn new(d: &Dictionaries) -> Names {
        let rows: Vec<NameRow> = d
            .rows("zh_en/names")
            .iter()
            .filter(|r| !r.get(0).is_empty() && !r.get(1).is_empty())
            .map(|r| {
                let opts: Vec<&str> = r.get(2).split(',').map(str::trim).collect();
                NameRow {
                    from: r.get(0).to_string(),
                    to: r.get(1).to_string(),
                    nocase: opts.contains(&"i"),
                    noquote: opts.contains(&"noquote"),
                }
            })
            .collect();
        let starts = StartIndex::new(&rows);
        Names { rows, starts }
    }
}

fn whole_word(text: &str, s: usize, e: usize) -> bool {
    let b = text.as_bytes();
    (s == 0 || !is_word_byte(b[s - 1])) && (e == b.len() || !b[e].is_ascii_alphanumeric())
}

/// `to`, with its first letter capitalized when the matched text has a capital there and `to` a
/// lower-case letter: a row matched at a sentence start ("The CPC central committee" for the row
/// "the CPC Central Committee") keeps the sentence's capital. Lowering it would fight `zh_en/case`,
/// which capitalizes paragraph openings (found by the fuzzer: the fix loop did not settle).
fn keep_initial_capital(found: &str, to: &str) -> String {
    let mut t = to.chars();
    match (found.chars().next(), t.next()) {
        (Some(f), Some(c)) if f.is_uppercase() && c.is_lowercase() => {
            c.to_uppercase().chain(t).collect()
        }
        _ => to.to_string(),
    }
}

/// Whether `pos` sits inside a quotation on its line.
fn in_quote(text: &str, pos: usize) -> bool {
    let ls = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[ls..pos];
    let open = before.matches('“').count() + before.matches('「').count();
    let close = before.matches('”').count() + before.matches('」').count();
    open > close || before.matches('"').count() % 2 == 1
}

impl Rule for Names {
    fn id(&self) -> &'static str {
        "zh_en/names"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Name
    }
    fn describe(&self) -> &'static str {
        "Gives Chinese names and terms their well-known English form (zh_en/names dictionary)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Source: The xinhua news agency",
            "Source: Xinhua News Agency",
        )
    }
    fn scope(&self) -> Scope {
        Scope::ZhEn
    }
    fn priority(&self) -> u8 {
        30
    }
    fn line_local(&self) -> bool {
        true
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let text = doc.text;
        let mut found = self.occurrences(text);
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut last_end = 0;
        for (s, e, i) in found {
            if s < last_end {
                continue;
            }
            last_end = e;
            let row = &self.rows[i];
            let mut to = keep_initial_capital(&text[s..e], &row.to);
            if after_comma(text, s) && same_first_word(&text[s..e], &to) {
                // ", In my country foreign trade" -> ", in China foreign trade": the capital was
                // the engine's, not the name's.
                to = lower_first(&to);
            }
            if text[s..e] == to {
                continue;
            }
            out.push(Finding::fix(
                self.id(),
                self.kind(),
                Span::new(s, e),
                to.clone(),
                Confidence::Likely,
                format!("{:?} is known in English as {:?}", &text[s..e], to),
            ));
        }
    }
}

impl Names {
    /// The occurrences of rows that count: whole words, in the row's case unless the row says
    /// `i`, outside quotations for `noquote` rows; as (start, end, row), by start and then row.
    fn occurrences(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = self.starts.find(&self.rows, text);
        found.retain(|&(s, e, i)| {
            let row = &self.rows[i];
            (row.nocase || text[s..e] == row.from)
                && whole_word(text, s, e)
                && !(row.noquote && in_quote(text, s))
        });
        found
    }
}

/// The previous non-space character is a comma or semicolon.
fn after_comma(text: &str, s: usize) -> bool {
    matches!(
        text[..s].trim_end_matches(' ').chars().next_back(),
        Some(',' | ';' | '，' | '；')
    )
}

/// "In my country" / "In China": the first word is kept and is a function word, so its capital
/// was the engine's. A kept proper noun ("Zhangjiang Science City") keeps its capital; lowering
/// it would fight this very rule's case-insensitive match in the next pass.
fn same_first_word(from: &str, to: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "In", "On", "At", "Of", "For", "To", "By", "From", "With", "The", "A", "An", "Our", "My",
    ];
    let f = from.split(' ').next().unwrap_or("");
    FUNCTION_WORDS.contains(&f) && from.contains(' ') && to.split(' ').next() == Some(f)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

pub struct CompanyName {
    common: std::sync::Arc<CommonWords>,
    words: FxHashSet<String>,
}

pub fn build_company(d: &Dictionaries) -> Box<dyn Rule> {
    let words = d
        .rows("zh_en/company_words")
        .iter()
        .map(|r| r.get(0).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    Box::new(CompanyName {
        common: CommonWords::shared(d),
        words,
    })
}

impl Rule for CompanyName {
    fn id(&self) -> &'static str {
        "zh_en/company-name"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Name
    }
    fn describe(&self) -> &'static str {
        "Capitalizes the lower-case first word of a company name (\"feidiao Electric\" -> \"Feidiao Electric\")"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "The workshop of feidiao Electric Appliance Group is busy.",
            "The workshop of Feidiao Electric Appliance Group is busy.",
        )
    }
    fn scope(&self) -> Scope {
        Scope::ZhEn
    }
    fn priority(&self) -> u8 {
        30
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let text = doc.text;
        let mut names: Vec<&str> = Vec::new();
        for ((a, b), (c, d)) in lower_then_cap(text, 4) {
            let (w, next) = (&text[a..b], &text[c..d]);
            if self.words.contains(next) && !self.common.contains(w) && !names.contains(&w) {
                names.push(w);
            }
        }
        for name in names {
            for (s, _) in text.match_indices(name) {
                let e = s + name.len();
                let b = text.as_bytes();
                if (s > 0 && b[s - 1].is_ascii_alphanumeric())
                    || (e < b.len() && b[e].is_ascii_alphanumeric())
                {
                    continue;
                }
                let mut cap = name[..1].to_uppercase();
                cap.push_str(&name[1..]);
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(s, s + 1),
                    cap[..1].to_string(),
                    Confidence::Likely,
                    format!("company name {cap:?} in lower case"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["zh_en/names"];
    const C: &[&str] = &["zh_en/company-name"];

    use proptest::prelude::*;

    /// The overlapping automaton search the start index replaced, with the same filters, in
    /// the order the rule sorts them.
    fn by_automaton(names: &super::Names, text: &str) -> Vec<(usize, usize, usize)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(names.rows.iter().map(|r| r.from.as_str()))
            .unwrap();
        let mut found = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let row = &names.rows[m.pattern().as_usize()];
            let (s, e) = (m.start(), m.end());
            if !row.nocase && text[s..e] != row.from {
                continue;
            }
            if !super::whole_word(text, s, e) || (row.noquote && super::in_quote(text, s)) {
                continue;
            }
            found.push((s, e, m.pattern().as_usize()));
        }
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        found
    }

    fn by_index(names: &super::Names, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = names.occurrences(text);
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        found
    }

    fn embedded() -> super::Names {
        super::Names::new(&crate::dict::Dictionaries::embedded())
    }

    const NAME_PIECES: &[&str] = &[
        "Xinhua",
        "xinhua",
        " news",
        " agency",
        " Agency",
        " client",
        "The",
        "the",
        " ",
        "my",
        " country",
        "in",
        "In",
        "people's",
        " daily",
        "Daily",
        "“",
        "”",
        "\"",
        "\n",
        "-",
        "'",
        "x",
        "5",
        "é",
        ",",
        "Jingjinji",
        "jingjinji",
        "Ministry of",
        " commerce",
        " Commerce",
    ];

    proptest! {
        #[test]
        fn the_start_index_finds_what_the_automaton_finds(
            text in crate::rules::testing::text_from(NAME_PIECES, 30)
        ) {
            let names = embedded();
            prop_assert_eq!(by_index(&names, &text), by_automaton(&names, &text));
        }
    }

    #[test]
    fn the_start_index_on_the_fixtures() {
        let names = embedded();
        for t in crate::rules::testing::fixture_texts() {
            assert_eq!(by_index(&names, &t), by_automaton(&names, &t));
        }
        // Rows equal but for case, and a row inside a longer one.
        let mut rows: Vec<super::NameRow> = ["ab cd", "AB CD", "ab cd ef", "ab", "b cd"]
            .iter()
            .map(|f| super::NameRow {
                from: f.to_string(),
                to: "x".to_string(),
                nocase: true,
                noquote: false,
            })
            .collect();
        rows[1].nocase = false;
        let texts = [
            "ab cd ef",
            "AB CD",
            "Ab cD eF ab",
            "xab cd",
            "-ab cd",
            "(ab cd)",
            "ab",
            "12345678ab cd ef ab cd",
            "1234567 ab cd\u{e9}ab cd x'ab cd 'ab cd _ab cd",
            "(ab cd)(ab cd)[ab cd]{ab cd}@ab cd`ab cd",
        ];
        let starts = super::StartIndex::new(&rows);
        let mut names = super::Names { rows, starts };
        for t in texts {
            assert_eq!(by_index(&names, t), by_automaton(&names, t), "{t:?}");
        }
        // A row that does not start with an ASCII letter or digit: every byte is a place.
        names.rows.push(super::NameRow {
            from: "(ab".to_string(),
            to: "x".to_string(),
            nocase: true,
            noquote: false,
        });
        names.starts = super::StartIndex::new(&names.rows);
        assert!(!names.starts.alnum_first);
        for t in texts {
            assert_eq!(by_index(&names, t), by_automaton(&names, t), "{t:?}");
        }
    }

    #[test]
    fn byte_ranges_eight_at_a_time() {
        for v in 0..=255u8 {
            for lane in 0..8 {
                let mut b = [b'.'; 8];
                b[lane] = v;
                let x = u64::from_le_bytes(b);
                for (lo, hi) in [(b'a', b'z'), (b'A', b'Z'), (b'0', b'9'), (1, 0x7F)] {
                    let want = (lo..=hi).contains(&v);
                    let got = super::bytes_in(x, lo, hi) >> (8 * lane + 7) & 1 == 1;
                    assert_eq!(got, want, "{v} {lane} {lo}..={hi}");
                }
            }
        }
    }

    #[test]
    fn keeps_a_sentence_initial_capital() {
        // Found by the fuzzer (fixtures/fuzz): names lowered "The" and zh_en/case raised it again.
        assert_fixes(
            R,
            "The CPC central committee met.",
            "The CPC Central Committee met.",
        );
        assert_clean(R, "The CPC Central Committee met.");
        assert_clean(
            &["zh_en/names", "zh_en/case"],
            "The CPC Central Committee met.",
        );
        assert_fixes(
            R,
            "He said the CPC central committee met.",
            "He said the CPC Central Committee met.",
        );
    }

    #[test]
    fn fixes() {
        let cases = [
            (
                "source : The xinhua news agency",
                "source : Xinhua News Agency",
            ),
            (
                "Xinhua news agency client Shanghai",
                "Xinhua News Agency app Shanghai",
            ),
            (
                "  People's Daily Client Shanghai Channel",
                "  People's Daily app Shanghai Channel",
            ),
            (
                "the origin of the Changjiang delta G60 corridor",
                "the origin of the Yangtze River Delta G60 corridor",
            ),
            (
                "the most developed regions in my country, and",
                "the most developed regions in China, and",
            ),
            (
                "the people's Bank of China said",
                "the People's Bank of China said",
            ),
            // A listed proper noun after a comma keeps its capital (no fight with itself).
            (
                "It said, Zhangjiang science city grew.",
                "It said, Zhangjiang Science City grew.",
            ),
            // A sentence start keeps its capital; after a comma it was the engine's.
            (
                "Exports rose. In my country , The steel output fell.",
                "Exports rose. In China , The steel output fell.",
            ),
            (
                "The ministry said , In my country rail freight grew.",
                "The ministry said , in China rail freight grew.",
            ),
        ];
        for (i, e) in cases {
            assert_fixes(R, i, e);
        }
        assert_fixes(
            C,
            "The workshop of feidiao Electric Appliance Group Co., Ltd. The head of feidiao electric appliance said.",
            "The workshop of Feidiao Electric Appliance Group Co., Ltd. The head of Feidiao electric appliance said.",
        );
    }

    #[test]
    fn leaves_alone() {
        for t in [
            "Xinhua News Agency reported that the Yangtze River Delta grew.",
            "He said: “Life in my country is good.”",
            "The Xinhua News Agency app, Shanghai said.",
            "He loves his country, and my country too.",
            "Officials said, Xinhua News Agency reported it.",
        ] {
            assert_clean(R, t);
        }
        assert_clean(C, "A giant Group of firms and the state Bank met.");
    }
}
