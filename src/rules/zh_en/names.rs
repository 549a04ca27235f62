//! `zh_en/names` and `zh_en/company-name`: names and terms with a well-known English form.
//!
//! **What `zh_en/names` fixes.** Renderings listed in `zh_en/names` (one aho-corasick pass over the
//! document, longest row wins, whole words only): "The xinhua news agency" -> "Xinhua News
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

use aho_corasick::automaton::Automaton;
use aho_corasick::automaton::StateID;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

use super::words::{is_word_byte, CommonWords};
use crate::dict::{Dictionaries, Memo};
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::scan::{lower_then_cap, FxHashSet};
use crate::text::{ArtifactKind, Confidence, Span};

struct NameRow {
    from: String,
    to: String,
    nocase: bool,
    noquote: bool,
}

pub struct Names {
    rows: Vec<NameRow>,
    dfa: Option<DFA>,
    /// No row holds a line end, so a walk may start afresh after one (see `occurrences`).
    split_lines: bool,
}

/// The shortest text walked in two parts (see `Names::occurrences`).
const SPLIT_MIN: usize = 256;

/// The last `zh_en/names` built, shared by the cleaners built from the same table.
static SHARED: Memo<Names> = Memo::new();

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(shared(d))
}

/// Builds the rule for `d` ahead of [`build`] (which then takes it): [`crate::rules::all_rules`]
/// calls it on a thread of its own, since the automaton is the dearest part of start-up.
pub fn warm(d: &Dictionaries) {
    shared(d);
}

/// The rule for `d`'s `zh_en/names`, built once per table.
fn shared(d: &Dictionaries) -> std::sync::Arc<Names> {
    SHARED.get(d, ["zh_en/names"], || names(d))
}

fn names(d: &Dictionaries) -> Names {
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
    // A DFA: the overlapping search runs over every document, and a few hundred names make a
    // small one. Held as its own type, so that the search loop below steps it without a
    // dynamic call per byte; no prefilter (the loop does not use one).
    let dfa = DFA::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(rows.iter().map(|r| r.from.as_str()))
        .ok();
    let split_lines = rows.iter().all(|r| !r.from.contains('\n'));
    Names {
        rows,
        dfa,
        split_lines,
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
        let Some(dfa) = &self.dfa else { return };
        let text = doc.text;
        let mut found = self.occurrences(dfa, text);
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
    /// The overlapping search: every row's every occurrence that passes the row's tests, as
    /// (start, end, row), by end and in the DFA's order at each end. Out of line, so that the
    /// loop keeps its few values in registers.
    ///
    /// A DFA step is a load that waits for the one before it, so one walk is bound by the
    /// load's latency, not by the work. A text of some length is walked as two halves at once,
    /// split after a line end: no row holds a line end, so the state after one is the start
    /// state, and the second half's walk from the start state is the single walk's, step for
    /// step. Its occurrences all end after the first half's and follow them.
    #[inline(never)]
    fn occurrences(&self, dfa: &DFA, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return found;
        };
        let b = text.as_bytes();
        let Some(m) = self.split_point(b) else {
            self.walk(dfa, start, text, 0, &mut found);
            return found;
        };
        let mut second = Vec::new();
        let both = m.min(b.len() - m);
        let (mut s1, mut s2) = (start, start);
        for (i, (&c1, &c2)) in b[..both].iter().zip(&b[m..m + both]).enumerate() {
            s1 = dfa.next_state(Anchored::No, s1, c1);
            s2 = dfa.next_state(Anchored::No, s2, c2);
            if dfa.is_special(s1) {
                self.matches_ending(dfa, s1, text, i + 1, &mut found);
            }
            if dfa.is_special(s2) {
                self.matches_ending(dfa, s2, text, m + i + 1, &mut second);
            }
        }
        // The longer half's rest, from where its walk stopped.
        if m > both {
            self.walk_on(dfa, s1, text, both, m, &mut found);
        } else {
            self.walk_on(dfa, s2, text, m + both, b.len(), &mut second);
        }
        found.append(&mut second);
        found
    }

    /// Where a two-part walk starts its second part: just after a line end near the middle of
    /// `b` (the first after it, else the last before it); `None` for a short text, one line, or
    /// a dictionary with a row that holds a line end.
    fn split_point(&self, b: &[u8]) -> Option<usize> {
        if !self.split_lines || b.len() < SPLIT_MIN {
            return None;
        }
        let mid = b.len() / 2;
        let at = memchr::memchr(b'\n', &b[mid..])
            .map(|i| mid + i + 1)
            .or_else(|| memchr::memrchr(b'\n', &b[..mid]).map(|i| i + 1))?;
        (at < b.len()).then_some(at)
    }

    /// The single walk over all of `text` from `sid` (the start state), eight bytes a round
    /// (the inner loop is unrolled). Without a prefilter only match states are special (an
    /// unanchored search never dies).
    fn walk(
        &self,
        dfa: &DFA,
        mut sid: StateID,
        text: &str,
        from: usize,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        let b = &text.as_bytes()[from..];
        let blocks = b.chunks_exact(8);
        let tail = blocks.remainder();
        for (n, block) in blocks.enumerate() {
            for (k, &c) in block.iter().enumerate() {
                sid = dfa.next_state(Anchored::No, sid, c);
                if dfa.is_special(sid) {
                    self.matches_ending(dfa, sid, text, from + 8 * n + k + 1, found);
                }
            }
        }
        let base = from + b.len() - tail.len();
        self.walk_on(dfa, sid, text, base, base + tail.len(), found);
    }

    /// Steps the walk in state `sid` over `text[from..to]`, one byte at a time.
    fn walk_on(
        &self,
        dfa: &DFA,
        mut sid: StateID,
        text: &str,
        from: usize,
        to: usize,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        for (k, &c) in text.as_bytes()[from..to].iter().enumerate() {
            sid = dfa.next_state(Anchored::No, sid, c);
            if dfa.is_special(sid) {
                self.matches_ending(dfa, sid, text, from + k + 1, found);
            }
        }
    }

    /// The occurrences that end at `e` in the DFA state `sid` and pass a row's tests. Out of
    /// line, as most bytes end none.
    #[inline(never)]
    fn matches_ending(
        &self,
        dfa: &DFA,
        sid: StateID,
        text: &str,
        e: usize,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        if !dfa.is_match(sid) {
            return;
        }
        for k in 0..dfa.match_len(sid) {
            let p = dfa.match_pattern(sid, k);
            let s = e - dfa.pattern_len(p);
            let row = &self.rows[p.as_usize()];
            if !row.nocase && text[s..e] != row.from {
                continue;
            }
            if !whole_word(text, s, e) || (row.noquote && in_quote(text, s)) {
                continue;
            }
            found.push((s, e, p.as_usize()));
        }
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

    /// The rule is built once per table and shared: cleaners built with and without a user's
    /// row, one after the other, each clean with their own table.
    #[test]
    fn a_users_rows_are_not_lost_to_the_shared_rule() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mine.tsv");
        std::fs::write(&file, "the qzx works\tQZX Works\t\n").unwrap();
        let with = || {
            crate::Cleaner::new(crate::Config {
                dicts: vec![format!("zh_en/names={}", file.display())],
                only: R.iter().map(|s| s.to_string()).collect(),
                ..crate::Config::default()
            })
            .unwrap()
        };
        let without = || {
            crate::Cleaner::new(crate::Config {
                only: R.iter().map(|s| s.to_string()).collect(),
                ..crate::Config::default()
            })
            .unwrap()
        };
        let doc = "Staff of the qzx works met. The xinhua news agency said so.\n";
        for _ in 0..2 {
            let (a, b) = (with().clean(doc).text, without().clean(doc).text);
            assert!(
                a.contains("QZX Works") && a.contains("Xinhua News Agency"),
                "{a}"
            );
            assert!(
                b.contains("the qzx works") && b.contains("Xinhua News Agency"),
                "{b}"
            );
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

    /// The DFA walk finds what the library's overlapping search finds, in the same order.
    #[test]
    fn the_search_is_an_overlapping_search() {
        use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
        let names = super::names(&crate::dict::Dictionaries::embedded());
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(names.rows.iter().map(|r| r.from.as_str()))
            .unwrap();
        let mut texts = crate::rules::testing::fixture_texts();
        texts.push("the THE xinhua news agency xinhua News Agency client, in my country".into());
        texts.push("“in my country” - Xinhua-news agency’s people's daily client".into());
        for t in &texts {
            let mut want = Vec::new();
            for m in ac.find_overlapping_iter(t.as_str()) {
                let row = &names.rows[m.pattern().as_usize()];
                let (s, e) = (m.start(), m.end());
                if (row.nocase || t[s..e] == row.from)
                    && super::whole_word(t, s, e)
                    && !(row.noquote && super::in_quote(t, s))
                {
                    want.push((s, e, m.pattern().as_usize()));
                }
            }
            let got = names.occurrences(names.dfa.as_ref().unwrap(), t);
            assert_eq!(got, want, "{t:?}");
        }
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

#[cfg(test)]
mod walk_tests {
    use super::*;
    use crate::rules::testing::fixture_texts;

    fn single(n: &Names, text: &str) -> Vec<(usize, usize, usize)> {
        let dfa = n.dfa.as_ref().expect("the names DFA builds");
        let mut found = Vec::new();
        n.walk(
            dfa,
            dfa.start_state(Anchored::No).unwrap(),
            text,
            0,
            &mut found,
        );
        found
    }

    fn same(n: &Names, text: &str) -> usize {
        let two = n.occurrences(n.dfa.as_ref().unwrap(), text);
        assert_eq!(two, single(n, text), "two-part walk differs on {text:?}");
        two.len()
    }

    #[test]
    fn two_part_walk_finds_what_one_walk_finds() {
        let n = names(&Dictionaries::embedded());
        assert!(n.split_lines);
        let mut hits = 0;
        let mut split = 0;
        for t in fixture_texts() {
            split += usize::from(n.split_point(t.as_bytes()).is_some());
            hits += same(&n, &t);
        }
        assert!(split > 10, "only {split} fixture texts were split");
        assert!(hits > 10, "only {hits} occurrences in the fixtures");
        // Names on both sides of and right at the split, halves of unequal lengths, lines
        // without a line end at the middle, and a text with one line end only.
        let row = "The xinhua news agency said in my country.\n";
        let per_row = same(&n, row);
        assert!(per_row >= 2, "{per_row}");
        for k in 0..12 {
            for pad in [0, 1, 7, 100, 300] {
                let mut t = row.repeat(k);
                t.push_str(&"x".repeat(pad));
                t.push('\n');
                t.push_str(&row.repeat(12 - k));
                let found = same(&n, &t);
                assert_eq!(found, 12 * per_row, "{t:?}");
            }
        }
        let one_line = format!("{}The xinhua news agency", "word ".repeat(80));
        assert_eq!(n.split_point(one_line.as_bytes()), None);
        assert_eq!(same(&n, &one_line), same(&n, "The xinhua news agency"));
        let one_end = format!("{}\nThe xinhua news agency", "word ".repeat(80));
        assert_eq!(n.split_point(one_end.as_bytes()), Some(401));
        assert_eq!(same(&n, &one_end), same(&n, "The xinhua news agency"));
    }
}
