//! What counts as page chrome (shared by the `structure` rules; not a rule itself): the phrase
//! lists of `dictionaries/boilerplate/<lang>.tsv` compiled once, breadcrumbs, page stamps, and the
//! labels of `dictionaries/structure/labels.tsv`.
//!
//! Every language's list is loaded for every document: a phrase of one language is chrome in any
//! document it turns up in (scraped English pages keep Chinese navigation and the reverse).

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::lines::{
    after_label, has_crumb_mark, has_label_mark, is_blank, is_crumb_sep, is_label_sep,
    key_ends_with, match_end, match_start, norm_key, norm_key_within, trim_line, trimmed, Phrases,
    MAX_CHROME_LINE,
};
use crate::dict::{Dictionaries, Memo};
use crate::text::scan::FxHashMap;

/// Longest line (bytes) an `end` phrase may close.
const MAX_END_LINE: usize = 240;

/// A boilerplate phrase hit: which row matched and the metadata it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct PhraseHit {
    pub phrase: String,
    pub meta: Option<(String, String)>,
}

/// The compiled chrome phrase lists.
#[derive(Debug, Default)]
pub struct Chrome {
    exact: FxHashMap<String, String>,
    /// Each glob: the row, its pieces, and the last char of its last piece (`None` when empty).
    globs: Vec<(String, Vec<String>, Option<char>)>,
    /// By first byte, longer phrases first within one first byte.
    starts: Vec<(String, Option<String>)>,
    /// Labels that are chrome only when the whole line is wrapped in brackets: "【Editor: X】".
    wrapped: Vec<(String, Option<String>)>,
    /// Phrases that head a list of headlines running to the end of the page.
    lists: Vec<String>,
    /// The longest of `lists` (bytes): longer lines are never list headings.
    max_list_len: usize,
    /// Each phrase and its last char.
    ends: Vec<(String, char)>,
    crumbs: Vec<String>,
    labels: Vec<(String, Role)>,
    /// The longest key (bytes) that is looked up whole or tested as a key's start (`exact`,
    /// `lists`, `starts`, `crumbs`, the first piece of each glob): a line's key is normalized only
    /// this far plus one char, see [`norm_key_prefix`].
    key_cap: usize,
    /// The longest of `labels` (bytes).
    label_cap: usize,
    /// The keys tested against a line key's start or looked up whole (those of `key_cap`): a
    /// line key stops as soon as it begins none of them.
    key_phrases: Phrases,
    /// The keys of `labels`, likewise.
    label_phrases: Phrases,
}

/// What a kept label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Reporter,
    Author,
    Source,
    Caption,
}

/// A label found at a line's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Label<'a> {
    pub role: Role,
    /// Byte offset (in the line) where the label ends.
    pub label_end: usize,
    /// Byte offset (in the line) of the text after the separator.
    pub rest_start: usize,
    pub rest: &'a str,
    /// The separator char.
    pub sep: char,
}

/// The `boilerplate/*` tables of `d`.
fn boilerplate_tables(d: &Dictionaries) -> impl Iterator<Item = &str> {
    d.names().filter(|n| n.starts_with("boilerplate/"))
}

/// The last chrome compiled, shared by the structure rules (and cleaners) built from the same
/// tables.
static SHARED: Memo<Chrome> = Memo::new();

impl Chrome {
    /// [`Chrome::from_dicts`], compiled once for all the structure rules built from the same
    /// tables.
    pub fn shared(d: &Dictionaries) -> Arc<Chrome> {
        SHARED.get(d, boilerplate_tables(d).chain(["structure/labels"]), || {
            Chrome::from_dicts(d)
        })
    }

    /// Compiles every `boilerplate/*` table and `structure/labels`.
    pub fn from_dicts(d: &Dictionaries) -> Chrome {
        let mut c = Chrome::default();
        for t in boilerplate_tables(d) {
            for row in d.rows(t) {
                let raw = row.get(0);
                let meta = Some(row.get(2))
                    .filter(|m| !m.is_empty() && *m != "-")
                    .map(String::from);
                match row.get(1) {
                    "line" if raw.contains("{}") => {
                        let parts: Vec<String> = raw.split("{}").map(norm_key).collect();
                        let last = parts.last().and_then(|p| p.chars().last());
                        c.globs.push((raw.to_string(), parts, last));
                    }
                    "line" => {
                        let k = norm_key(raw);
                        if !k.is_empty() {
                            c.exact.insert(k, raw.to_string());
                        }
                    }
                    "start" => c.starts.push((norm_key(raw), meta)),
                    "wrapped" => c.wrapped.push((norm_key(raw), meta)),
                    "list" => {
                        let k = norm_key(raw);
                        if !k.is_empty() {
                            c.exact.insert(k.clone(), raw.to_string());
                            c.lists.push(k);
                        }
                    }
                    "end" => {
                        let k = norm_key(raw);
                        if let Some(last) = k.chars().last() {
                            c.ends.push((k, last));
                        }
                    }
                    "crumb" => c.crumbs.push(norm_key(raw)),
                    _ => {}
                }
            }
        }
        c.max_list_len = c.lists.iter().map(String::len).max().unwrap_or(0);
        c.starts.retain(|s| !s.0.is_empty());
        c.wrapped.retain(|s| !s.0.is_empty());
        c.wrapped.sort_by_key(|w| std::cmp::Reverse(w.0.len()));
        c.crumbs.retain(|s| !s.is_empty());
        // Longer phrases first, so "photo caption" wins over "photo".
        c.starts.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        // Grouped by first byte (a stable sort: longer first within a group), so a key's group
        // is all that is tested.
        c.starts.sort_by_key(|s| s.0.as_bytes()[0]);
        for row in d.rows("structure/labels") {
            let role = match row.get(1) {
                "reporter" => Role::Reporter,
                "author" => Role::Author,
                "source" => Role::Source,
                "caption" => Role::Caption,
                _ => continue,
            };
            let k = norm_key(row.get(0));
            if !k.is_empty() {
                c.labels.push((k, role));
            }
        }
        c.labels.sort_by_key(|l| std::cmp::Reverse(l.0.len()));
        c.label_cap = c.labels.iter().map(|l| l.0.len()).max().unwrap_or(0);
        c.key_cap = c
            .exact
            .keys()
            .chain(c.starts.iter().map(|s| &s.0))
            .chain(&c.crumbs)
            .chain(c.globs.iter().filter_map(|g| g.1.first()))
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(c.max_list_len);
        c.key_phrases = Phrases::new(
            c.exact
                .keys()
                .chain(&c.lists)
                .chain(c.starts.iter().map(|s| &s.0))
                .chain(&c.crumbs)
                .chain(c.globs.iter().filter_map(|g| g.1.first())),
        );
        c.label_phrases = Phrases::new(c.labels.iter().map(|l| &l.0));
        c
    }

    /// The key of `line` (trimmed) as far as the phrase lists look, into `buf`; true when `buf`
    /// holds the whole key. False when it holds a prefix of the key longer than every phrase, or
    /// one that begins no phrase (see [`norm_key_within`]): either way no phrase equals the key
    /// and each phrase's `starts_with` test answers as on the whole key (an empty first piece of
    /// a glob included), so a cut key is tested as a long one.
    fn line_key(&self, line: &str, buf: &mut String) -> bool {
        norm_key_within(line, buf, self.key_cap, Some(&self.key_phrases))
    }

    /// The boilerplate row that `line` (trimmed) matches as a whole, if any.
    pub fn phrase(&self, line: &str) -> Option<PhraseHit> {
        let line = trim_line(line);
        if line.is_empty() || line.len() > MAX_CHROME_LINE {
            return None;
        }
        let mut key = String::new();
        let whole = self.line_key(line, &mut key);
        self.phrase_keyed(line, &key, whole)
    }

    /// [`Chrome::phrase`] of a trimmed line, non-empty and at most [`MAX_CHROME_LINE`] bytes, given
    /// its key from [`Chrome::line_key`] (`whole`: the key is complete, else a prefix).
    fn phrase_keyed(&self, line: &str, key: &str, whole: bool) -> Option<PhraseHit> {
        if key.is_empty() {
            return None;
        }
        // A cut key is longer than every exact phrase.
        if whole {
            if let Some(p) = self.exact.get(key) {
                return Some(PhraseHit {
                    phrase: p.clone(),
                    meta: None,
                });
            }
        }
        // The last char of the key: that of the line's last letter or digit, lower-cased.
        let mut last_memo: Option<Option<char>> = None;
        let mut key_last = || match last_memo {
            Some(c) => c,
            None => {
                let c = line
                    .chars()
                    .rev()
                    .find(|c| c.is_alphanumeric())
                    .and_then(|c| c.to_lowercase().last());
                last_memo = Some(c);
                c
            }
        };
        let mut full: Option<String> = None;
        for (raw, parts, last) in &self.globs {
            let hit = if whole {
                glob_match(key, parts)
            } else {
                // The first piece is no longer than the cut key, so it is tested as on the
                // whole key; the last piece must end the key; only then is the key finished.
                parts.first().is_some_and(|f| key.starts_with(f.as_str()))
                    && last.map_or(true, |c| key_last() == Some(c))
                    && parts.last().map_or(true, |p| key_ends_with(line, p))
                    && glob_match(full.get_or_insert_with(|| norm_key(line)), parts)
            };
            if hit {
                return Some(PhraseHit {
                    phrase: raw.clone(),
                    meta: None,
                });
            }
        }
        if let Some(inner) = unwrap_brackets(line) {
            for (k, meta) in &self.wrapped {
                let Some(at) = match_start(inner, k) else {
                    continue;
                };
                let rest = inner[at..].trim_start();
                if !rest.starts_with([':', '：']) {
                    continue;
                }
                let rest = rest[rest.chars().next().map_or(0, char::len_utf8)..].trim();
                let meta = meta
                    .as_ref()
                    .filter(|_| !rest.is_empty())
                    .map(|m| (m.clone(), rest.to_string()));
                return Some(PhraseHit {
                    phrase: k.clone(),
                    meta,
                });
            }
        }
        let first = key.as_bytes()[0];
        let from = self.starts.partition_point(|s| s.0.as_bytes()[0] < first);
        for (k, meta) in &self.starts[from..] {
            if k.as_bytes()[0] != first {
                break;
            }
            if !key.starts_with(k.as_str()) {
                continue;
            }
            if let Some(at) = match_start(line, k) {
                if let Some(rest) = after_label(line, at, is_label_sep) {
                    let meta = meta
                        .as_ref()
                        .filter(|_| !rest.is_empty())
                        .map(|m| (m.clone(), rest.to_string()));
                    return Some(PhraseHit {
                        phrase: k.clone(),
                        meta,
                    });
                }
            }
        }
        if line.len() <= MAX_END_LINE {
            let cut_last = if whole { None } else { key_last() };
            for (k, k_last) in &self.ends {
                // `match_end` finds only a phrase that ends the key, so with a cut key the test
                // on the key's last char stands in for `ends_with`.
                let may_end = if whole {
                    key.as_bytes().last() == k.as_bytes().last() && key.ends_with(k.as_str())
                } else {
                    cut_last == Some(*k_last)
                };
                if !may_end {
                    continue;
                }
                if let Some(at) = match_end(line, k) {
                    let before = line[..at].trim_end();
                    let ok = match before.chars().last() {
                        None => true,
                        Some(c) => !c.is_alphanumeric(),
                    };
                    if ok {
                        return Some(PhraseHit {
                            phrase: k.clone(),
                            meta: None,
                        });
                    }
                }
            }
        }
        None
    }

    /// Whether `line` (trimmed) is a phrase that heads a list of headlines ("Random recommended").
    pub fn heads_list(&self, line: &str) -> bool {
        let line = trim_line(line);
        // A heading is no longer than its key with some punctuation around it.
        if line.is_empty() || line.len() > self.max_list_len * 3 + 32 {
            return false;
        }
        let mut key = String::new();
        let whole = self.line_key(line, &mut key);
        self.heads_list_keyed(&key, whole)
    }

    /// [`Chrome::heads_list`] given the line's key from [`Chrome::line_key`].
    fn heads_list_keyed(&self, key: &str, whole: bool) -> bool {
        whole && !key.is_empty() && self.lists.iter().any(|l| l == key)
    }

    /// [`Chrome::heads_list`] and [`Chrome::phrase`] of one trimmed line, its key computed once
    /// (in `buf`).
    pub fn heads_list_and_phrase(&self, line: &str, buf: &mut String) -> (bool, Option<PhraseHit>) {
        let line = trim_line(line);
        let heading_len = line.len() <= self.max_list_len * 3 + 32;
        if line.is_empty() || (!heading_len && line.len() > MAX_CHROME_LINE) {
            return (false, None);
        }
        let whole = self.line_key(line, buf);
        let heads = heading_len && self.heads_list_keyed(buf, whole);
        let hit = if line.len() <= MAX_CHROME_LINE {
            self.phrase_keyed(line, buf, whole)
        } else {
            None
        };
        (heads, hit)
    }

    /// True when `line` is a breadcrumb: a location label or home word, then `:` or a path
    /// separator, and a path (at least one `>`-like separator, or a home word after the label).
    pub fn breadcrumb(&self, line: &str) -> bool {
        let line = trim_line(line);
        if line.is_empty() || line.len() > MAX_CHROME_LINE {
            return false;
        }
        self.breadcrumb_keyed(line, None)
    }

    /// [`Chrome::breadcrumb`] of a trimmed line, non-empty and at most [`MAX_CHROME_LINE`] bytes,
    /// given its key from [`Chrome::line_key`] when known.
    fn breadcrumb_keyed(&self, line: &str, key: Option<&str>) -> bool {
        if !has_crumb_mark(line) {
            return false;
        }
        let mut buf = String::new();
        let key = match key {
            Some(k) => k,
            None => {
                self.line_key(line, &mut buf);
                &buf
            }
        };
        let first = key.as_bytes().first();
        for k in &self.crumbs {
            if k.as_bytes().first() != first || !key.starts_with(k.as_str()) {
                continue;
            }
            let Some(at) = match_start(line, k) else {
                continue;
            };
            let rest = line[at..].trim_start();
            let Some(first) = rest.chars().next() else {
                continue;
            };
            if is_crumb_sep(first) {
                return true;
            }
            if matches!(first, ':' | '：') {
                let path = rest[first.len_utf8()..].trim_start();
                if path.chars().any(is_crumb_sep) {
                    return true;
                }
                if self.crumbs.iter().any(|h| norm_key(path) == *h) {
                    return true;
                }
            }
        }
        false
    }

    /// A kept label (byline, source, caption) at the start of `line` (trimmed by the caller).
    pub fn label<'a>(&self, line: &'a str) -> Option<Label<'a>> {
        self.label_in(line, Some(&self.label_phrases))
    }

    /// [`Chrome::label`], its key cut early when it begins none of `known` (tests compare with
    /// `None`: the key to the longest label).
    fn label_in<'a>(&self, line: &'a str, known: Option<&Phrases>) -> Option<Label<'a>> {
        // Labels are short: a separator comes within the first 64 bytes.
        let mut cut = line.len().min(64);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = &line[..cut];
        if !has_label_mark(head) {
            return None;
        }
        let mut key = String::new();
        norm_key_within(head, &mut key, self.label_cap, known);
        let first = key.as_bytes().first();
        for (k, role) in &self.labels {
            if k.as_bytes().first() != first || !key.starts_with(k.as_str()) {
                continue;
            }
            let Some(at) = match_start(line, k) else {
                continue;
            };
            let after = &line[at..];
            let ws = after.len() - after.trim_start().len();
            let Some(sep) = after[ws..].chars().next() else {
                continue;
            };
            if !matches!(sep, ':' | '：' | '|' | '｜' | '丨' | '/' | '／') {
                continue;
            }
            let sep_end = at + ws + sep.len_utf8();
            let rest_raw = &line[sep_end..];
            let rest_start = sep_end + (rest_raw.len() - rest_raw.trim_start().len());
            return Some(Label {
                role: *role,
                label_end: at,
                rest_start,
                rest: line[rest_start..].trim_end(),
                sep,
            });
        }
        None
    }

    /// True when the line is chrome by any list (phrase, breadcrumb or page stamp).
    pub fn is_chrome(&self, line: &str) -> bool {
        self.is_chrome_in(line, &mut String::new())
    }

    /// [`Chrome::is_chrome`] with `buf` for the line's key.
    fn is_chrome_in(&self, line: &str, buf: &mut String) -> bool {
        let t = trim_line(line);
        if !t.is_empty() && t.len() <= MAX_CHROME_LINE {
            let whole = self.line_key(t, buf);
            if self.phrase_keyed(t, buf, whole).is_some() || self.breadcrumb_keyed(t, Some(buf)) {
                return true;
            }
        }
        parse_stamp(line).is_some()
    }

    /// The first non-blank line that is not chrome: the title. Index into `lines`.
    pub fn title_index(&self, text: &str, lines: &[(usize, usize)]) -> Option<usize> {
        let mut buf = String::new();
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !is_blank(text, **l))
            .take(8)
            .find(|(_, l)| !self.is_chrome_in(trimmed(text, **l).0, &mut buf))
            .map(|(i, _)| i)
    }
}

/// Matches a normalized key against the pieces of a `{}` pattern (in order, anchored at both ends).
/// The inside of a line wrapped whole in one pair of brackets: "【Editor: X】" -> "Editor: X".
fn unwrap_brackets(line: &str) -> Option<&str> {
    let line = trim_line(line);
    for (o, c) in [('【', '】'), ('(', ')'), ('（', '）'), ('[', ']')] {
        if let Some(inner) = line.strip_prefix(o).and_then(|r| r.strip_suffix(c)) {
            if !inner.contains([o, c]) {
                return Some(inner.trim());
            }
        }
    }
    None
}

fn glob_match(key: &str, parts: &[String]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    if !key.starts_with(first.as_str()) {
        return false;
    }
    let filled = |s: &str| !s.trim().is_empty();
    let mut pos = first.len();
    let n = rest.len();
    for (i, p) in rest.iter().enumerate() {
        let last = i + 1 == n;
        if p.is_empty() {
            if last {
                return filled(&key[pos..]);
            }
            continue;
        }
        if last {
            return key.len() >= pos + p.len()
                && key.ends_with(p.as_str())
                && filled(&key[pos..key.len() - p.len()]);
        }
        match key[pos..].find(p.as_str()) {
            Some(f) if filled(&key[pos..pos + f]) => pos += f + p.len(),
            _ => return false,
        }
    }
    pos == key.len()
}

/// A page stamp: a date (and time) line, possibly with an author or source glued on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// ISO 8601: `2022-05-07T15:53:58`, `2022-05-07T15:53` or `2022-05-07`.
    pub date: String,
    pub author: Option<String>,
    pub source: Option<String>,
}

static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[^\d:：]{1,24}[:：]\s*)?(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*T?\s*(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2})\s*秒?)?)?(.*)$",
    )
    .unwrap()
});

static STAMP_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(来源|作者|编辑|责任编辑|source|author|editor)\s*[:：]\s*").unwrap()
});

/// Parses a page stamp line ("2022-05-07 15:53:58Moon shadow dune", "发布时间：2022-05-07 来源：新华社").
pub fn parse_stamp(line: &str) -> Option<Stamp> {
    let line = trim_line(line);
    if line.len() > 160 || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = STAMP.captures(line)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, mo, d) = (num(1)?, num(2)?, num(3)?);
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut date = format!("{y:04}-{mo:02}-{d:02}");
    if let (Some(h), Some(mi)) = (num(4), num(5)) {
        if h > 23 || mi > 59 {
            return None;
        }
        date.push_str(&format!("T{h:02}:{mi:02}"));
        if let Some(s) = num(6) {
            if s > 59 {
                return None;
            }
            date.push_str(&format!(":{s:02}"));
        }
    }
    let rest = c.get(7).map_or("", |m| m.as_str());
    let rest = rest
        .trim_start_matches(|ch: char| {
            ch.is_whitespace() || matches!(ch, '|' | '丨' | '·' | '-' | '/' | '｜')
        })
        .trim_end();
    let mut stamp = Stamp {
        date,
        author: None,
        source: None,
    };
    if rest.is_empty() {
        return Some(stamp);
    }
    let fields: Vec<_> = STAMP_FIELD.captures_iter(rest).collect();
    if !fields.is_empty() {
        if fields[0].get(0).unwrap().start() != 0 {
            return None;
        }
        for (i, f) in fields.iter().enumerate() {
            let vstart = f.get(0).unwrap().end();
            let vend = fields
                .get(i + 1)
                .map_or(rest.len(), |n| n.get(0).unwrap().start());
            let value = rest[vstart..vend].trim().to_string();
            if value.is_empty() {
                continue;
            }
            match f[1].to_lowercase().as_str() {
                "来源" | "source" => stamp.source = Some(value),
                "作者" | "author" => stamp.author = Some(value),
                _ => {}
            }
        }
        return Some(stamp);
    }
    let capitalized = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || !c.is_ascii() && !c.is_lowercase());
    if capitalized && name_like(rest) {
        stamp.author = Some(rest.to_string());
        return Some(stamp);
    }
    None
}

/// True for a short run of words that can be a name: no sentence punctuation, no digits, at
/// most 5 words and 40 chars.
pub fn name_like(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars().count() <= 40
        && s.split_whitespace().count() <= 5
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || ".,;!?。，；！？\"“”:：".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome() -> Chrome {
        Chrome::from_dicts(&Dictionaries::embedded())
    }

    #[test]
    fn structure_rules_share_one_chrome_per_set_of_tables() {
        let a = Chrome::shared(&Dictionaries::embedded());
        let b = Chrome::shared(&Dictionaries::embedded());
        assert!(Arc::ptr_eq(&a, &b));
        let dir = tempfile::tempdir().unwrap();
        let extra = dir.path().join("mine.tsv");
        std::fs::write(&extra, "Share this story with a friend\tline\n").unwrap();
        let mut user = Dictionaries::embedded();
        user.add_file("boilerplate/en", &extra).unwrap();
        let c = Chrome::shared(&user);
        assert!(c.phrase("Share this story with a friend").is_some());
        assert!(a.phrase("Share this story with a friend").is_none());
        let d = Chrome::shared(&Dictionaries::embedded());
        assert!(d.phrase("Share this story with a friend").is_none());
    }

    #[test]
    fn phrases() {
        let c = chrome();
        assert!(c.phrase("Leave a Comment").is_some());
        assert!(c
            .phrase("The post Foo bar appeared first on Baz News.")
            .is_some());
        assert!(c.phrase("The post office appeared first.").is_none());
        let h = c.phrase("Image source: Figure Worm Creative").unwrap();
        assert_eq!(
            h.meta,
            Some(("image_source".into(), "Figure Worm Creative".into()))
        );
        assert!(c.phrase("Image sources vary by region.").is_none());
        assert!(c.phrase("Read on to learn more about the plan.").is_none());
        assert!(c.phrase("© 2022 Foo Media. All rights reserved.").is_some());
        assert!(c.phrase("The firm said all rights reserved.").is_none());
    }

    #[test]
    fn crumbs() {
        let c = chrome();
        assert!(c.breadcrumb("current position:Home>As the machine turns"));
        assert!(c.breadcrumb("Home > News Center > Domestic"));
        assert!(c.breadcrumb("您的位置：首页 > 新闻中心 > 正文"));
        assert!(c.breadcrumb("当前位置：首页"));
        assert!(!c.breadcrumb("Home Office figures > 5% of the total"));
        assert!(!c.breadcrumb("Location: Shanghai"));
    }

    #[test]
    fn stamps() {
        let s = parse_stamp("2022-05-07 15:53:58Moon shadow dune").unwrap();
        assert_eq!(s.date, "2022-05-07T15:53:58");
        assert_eq!(s.author.as_deref(), Some("Moon shadow dune"));
        let s = parse_stamp("发布时间：2022年5月7日 15:53 来源：新华社").unwrap();
        assert_eq!(s.date, "2022-05-07T15:53");
        assert_eq!(s.source.as_deref(), Some("新华社"));
        assert_eq!(parse_stamp("2022-05-07").unwrap().date, "2022-05-07");
        assert!(parse_stamp("2022-05-07 15:53 The market opened higher, traders said.").is_none());
        assert!(parse_stamp("2022-13-07").is_none());
        assert!(parse_stamp("In 2022, sales rose").is_none());
        assert!(parse_stamp("Note: 2022-05-07 is the deadline").is_none());
    }

    /// [`Chrome::phrase`] with the whole key every time: the rules before keys were cut.
    fn phrase_whole_key(c: &Chrome, line: &str) -> Option<PhraseHit> {
        let line = trim_line(line);
        if line.is_empty() || line.len() > MAX_CHROME_LINE {
            return None;
        }
        c.phrase_keyed(line, &norm_key(line), true)
    }

    #[test]
    fn long_lines_match_as_with_the_whole_key() {
        let c = chrome();
        let long = "a very long name of a newspaper group that runs many city sites";
        let lines = [
            format!("The post {long} and more appeared first on {long}."),
            format!("The post {long} appeared first on"),
            format!("{long} {long} 12 Comments"),
            format!("{long} {long} 12 comment"),
            format!("author[{long}],Please bring the original link to reprint, thank you."),
            format!("author[{long}] Please bring the original link to reprint thank you!!"),
            format!("By {long}, please bring the original link to reprint thanks"),
            format!("Image source: {long} {long}"),
            format!("{long}. All rights reserved."),
            format!("{long} all rights reserved"),
            format!("这是一条很长的{long}版权所有"),
            format!("您的位置：首页 > {long} > {long}"),
            format!("Home > {long} {long}"),
        ];
        let mut n = 0;
        for l in &lines {
            let got = c.phrase(l);
            assert_eq!(got, phrase_whole_key(&c, l), "{l:?}");
            n += usize::from(got.is_some());
            let mut buf = String::new();
            assert_eq!(c.is_chrome_in(l, &mut buf), c.is_chrome(l), "{l:?}");
        }
        assert!(n >= 5, "{n}");
        assert!(c.breadcrumb(&lines[11]) && c.breadcrumb(&lines[12]));
        let mut key = String::new();
        assert!(!c.line_key(&lines[0], &mut key) && key.len() < c.key_cap);
        let (heads, hit) = c.heads_list_and_phrase("Random recommended", &mut key);
        assert!(heads && hit.is_some());
        let (heads, hit) = c.heads_list_and_phrase(&lines[1], &mut key);
        assert!(!heads && hit.is_none());
    }

    /// Lines of the fixtures and lines built from pieces of phrases: a key cut where it begins no
    /// phrase finds what the whole key finds.
    fn check_cut_keys(c: &Chrome, line: &str) {
        let t = trim_line(line);
        assert_eq!(c.phrase(line), phrase_whole_key(c, line), "{line:?}");
        let mut buf = String::new();
        let (heads, hit) = c.heads_list_and_phrase(line, &mut buf);
        let whole = norm_key(t);
        let heads_ref =
            !t.is_empty() && t.len() <= c.max_list_len * 3 + 32 && c.lists.contains(&whole);
        assert_eq!(heads, heads_ref, "{line:?}");
        if t.len() <= MAX_CHROME_LINE {
            assert_eq!(hit, phrase_whole_key(c, line), "{line:?}");
        }
        if !t.is_empty() && t.len() <= MAX_CHROME_LINE {
            assert_eq!(
                c.breadcrumb(line),
                c.breadcrumb_keyed(t, Some(&whole)),
                "{line:?}"
            );
        }
        assert_eq!(c.label(t), c.label_in(t, None), "{line:?}");
    }

    #[test]
    fn cut_keys_on_fixture_lines() {
        let c = chrome();
        let mut n = 0;
        for text in crate::rules::testing::fixture_texts() {
            for line in text.lines() {
                check_cut_keys(&c, line);
                n += 1;
            }
        }
        assert!(n > 500, "{n}");
    }

    /// Pieces of phrases, labels and separators, so generated lines come close to the lists.
    const PIECES: &[&str] = &[
        " ",
        " ",
        "the",
        "post",
        "the post",
        "appeared first on",
        "comments",
        "12",
        "leave a",
        "reply",
        "image source",
        "source",
        "reporter",
        "author",
        "editor",
        ":",
        "：",
        ">",
        "»",
        "|",
        "/",
        "(",
        ")",
        "【",
        "】",
        "home",
        "首页",
        "您的位置",
        "当前位置",
        "来源",
        "记者",
        "版权所有",
        "all rights reserved",
        "random recommended",
        "x",
        "Ab",
        "中",
        ".",
        ",",
        "please bring the original link to reprint thank you",
        "photo",
        "caption",
        "责任编辑",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn cut_keys_on_generated_lines(line in crate::rules::testing::text_from(PIECES, 12)) {
            static C: LazyLock<Chrome> = LazyLock::new(chrome);
            check_cut_keys(&C, &line);
        }
    }

    #[test]
    fn globs() {
        let p: Vec<String> = "the post {} appeared first on {}"
            .split("{}")
            .map(norm_key)
            .collect();
        assert!(glob_match("the post x appeared first on y", &p));
        assert!(!glob_match("the post appeared first on y", &p));
        assert!(!glob_match("the post x appeared first on", &p));
    }
}
