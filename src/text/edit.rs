//! Spans, edits and their application.
//!
//! Every edit the cleaner reports is expressed against the ORIGINAL input bytes, even when it was
//! made in a later pass of the fix loop: [`compose`] folds the edits of one pass (expressed against
//! that pass's text) into the edits so far (expressed against the original), merging edits that
//! touch. Applying the composed list to the original with [`apply`] gives the output byte for byte.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// A byte range `start..end` on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// Strict overlap; two empty spans at the same point also count, so insertion order is never
    /// ambiguous.
    pub fn conflicts(&self, other: &Span) -> bool {
        (self.start < other.end && other.start < self.end)
            || (self.is_empty() && other.is_empty() && self.start == other.start)
            || (self.is_empty() && self.start > other.start && self.start < other.end)
            || (other.is_empty() && other.start > self.start && other.start < self.end)
    }
}

/// How sure a rule is. `Unsure` findings are reported as flags and never applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Unsure,
    Likely,
    Certain,
}

impl Confidence {
    pub fn as_str(&self) -> &'static str {
        match self {
            Confidence::Unsure => "unsure",
            Confidence::Likely => "likely",
            Confidence::Certain => "certain",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unsure" => Some(Confidence::Unsure),
            "likely" => Some(Confidence::Likely),
            "certain" => Some(Confidence::Certain),
            _ => None,
        }
    }
}

/// What sort of artifact a finding is about (the `kind` column of the change log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    Encoding,
    Unicode,
    Punctuation,
    Spacing,
    Date,
    Time,
    Number,
    Approximation,
    Case,
    CountedNoun,
    Name,
    Attribution,
    SentenceSplit,
    Chrome,
    Caption,
    Untranslated,
    MixedLanguage,
    MissingValue,
    Currency,
    Other,
}

impl ArtifactKind {
    pub const ALL: &'static [ArtifactKind] = &[
        ArtifactKind::Encoding,
        ArtifactKind::Unicode,
        ArtifactKind::Punctuation,
        ArtifactKind::Spacing,
        ArtifactKind::Date,
        ArtifactKind::Time,
        ArtifactKind::Number,
        ArtifactKind::Approximation,
        ArtifactKind::Case,
        ArtifactKind::CountedNoun,
        ArtifactKind::Name,
        ArtifactKind::Attribution,
        ArtifactKind::SentenceSplit,
        ArtifactKind::Chrome,
        ArtifactKind::Caption,
        ArtifactKind::Untranslated,
        ArtifactKind::MixedLanguage,
        ArtifactKind::MissingValue,
        ArtifactKind::Currency,
        ArtifactKind::Other,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            ArtifactKind::Encoding => "encoding",
            ArtifactKind::Unicode => "unicode",
            ArtifactKind::Punctuation => "punctuation",
            ArtifactKind::Spacing => "spacing",
            ArtifactKind::Date => "date",
            ArtifactKind::Time => "time",
            ArtifactKind::Number => "number",
            ArtifactKind::Approximation => "approximation",
            ArtifactKind::Case => "case",
            ArtifactKind::CountedNoun => "counted-noun",
            ArtifactKind::Name => "name",
            ArtifactKind::Attribution => "attribution",
            ArtifactKind::SentenceSplit => "sentence-split",
            ArtifactKind::Chrome => "chrome",
            ArtifactKind::Caption => "caption",
            ArtifactKind::Untranslated => "untranslated",
            ArtifactKind::MixedLanguage => "mixed-language",
            ArtifactKind::MissingValue => "missing-value",
            ArtifactKind::Currency => "currency",
            ArtifactKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for ArtifactKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One replacement: `span` of the text it was made against becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
    /// The rule that made the edit (for a merged edit: the first rule, by position). A rule's
    /// own id is borrowed, not copied, so making an edit allocates nothing for it.
    pub rule: Cow<'static, str>,
    /// Other rules whose edits were merged into this one because they touched it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Cow<'static, str>>,
    pub kind: ArtifactKind,
    pub confidence: Confidence,
}

impl Edit {
    pub fn new(
        span: Span,
        replacement: impl Into<String>,
        rule: impl Into<Cow<'static, str>>,
        kind: ArtifactKind,
        confidence: Confidence,
    ) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
            rule: rule.into(),
            also: Vec::new(),
            kind,
            confidence,
        }
    }
}

/// A piece of an edited text: a range of the input kept, or a replacement.
enum Piece<'e> {
    Keep(std::ops::Range<usize>),
    Put(&'e str),
}

/// The pieces of `edits` applied to an input of `len` bytes, in order (what [`apply`] and
/// [`apply_str`] copy).
fn pieces<'e>(len: usize, edits: &'e [Edit], mut f: impl FnMut(Piece<'e>)) {
    let mut pos = 0;
    for e in edits {
        assert!(
            e.span.start >= pos && e.span.end <= len,
            "edits out of order"
        );
        f(Piece::Keep(pos..e.span.start));
        f(Piece::Put(&e.replacement));
        pos = e.span.end;
    }
    f(Piece::Keep(pos..len));
}

/// The length of `input` after `edits`, for sizing the result once.
fn edited_len(len: usize, edits: &[Edit]) -> usize {
    len + edits.iter().map(|e| e.replacement.len()).sum::<usize>()
}

/// Applies sorted, non-overlapping edits to `input` in one forward copy.
///
/// # Panics
/// Never for edits produced by the cleaner; edits out of order or out of range are a caller bug and
/// are checked with `assert!`.
pub fn apply(input: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(edited_len(input.len(), edits));
    pieces(input.len(), edits, |p| match p {
        Piece::Keep(r) => out.extend_from_slice(&input[r]),
        Piece::Put(s) => out.extend_from_slice(s.as_bytes()),
    });
    out
}

/// [`apply`] for text; the result is valid UTF-8 when spans are on char boundaries.
///
/// # Panics
/// As [`apply`], and for a span not on char boundaries.
pub fn apply_str(input: &str, edits: &[Edit]) -> String {
    // Pieces of `input` and replacements, all text: no UTF-8 check of the whole result.
    let mut out = String::with_capacity(edited_len(input.len(), edits));
    pieces(input.len(), edits, |p| match p {
        Piece::Keep(r) => out.push_str(&input[r]),
        Piece::Put(s) => out.push_str(s),
    });
    out
}

/// Folds `next` (sorted, non-overlapping, against `cur = apply(orig, prev)`) into `prev` (sorted,
/// non-overlapping, against `orig`), so that `apply(orig, result) == apply(cur, next)`.
///
/// Edits that overlap or touch in `cur` are merged into one edit whose span covers all of them in
/// `orig`; its `rule` is the first contributor by position and the others go to `also`.
pub fn compose(orig: &[u8], cur: &[u8], prev: &[Edit], next: &[Edit]) -> Vec<Edit> {
    compose_owned(orig, cur, prev.to_vec(), next.to_vec())
}

/// [`compose`] taking both lists by value: an edit that meets no other is moved into the result,
/// not copied.
pub fn compose_owned(orig: &[u8], cur: &[u8], prev: Vec<Edit>, next: Vec<Edit>) -> Vec<Edit> {
    if next.is_empty() {
        return prev;
    }
    if prev.is_empty() {
        return compose_first(orig, cur, next);
    }
    // cur-coordinate spans of prev edits, and the running delta (cur - orig) after each.
    let mut prev_cur: Vec<(usize, usize)> = Vec::with_capacity(prev.len());
    let mut delta_after: Vec<isize> = Vec::with_capacity(prev.len());
    let mut delta: isize = 0;
    for e in &prev {
        let cs = (e.span.start as isize + delta) as usize;
        prev_cur.push((cs, cs + e.replacement.len()));
        delta += e.replacement.len() as isize - e.span.len() as isize;
        delta_after.push(delta);
    }
    // A cur position not strictly inside any prev replacement maps back by the delta of the prev
    // edits that end at or before it.
    let to_orig = |pos: usize| -> usize {
        let k = prev_cur.partition_point(|&(_, ce)| ce <= pos);
        let d = if k == 0 { 0 } else { delta_after[k - 1] };
        (pos as isize - d) as usize
    };

    // Intervals in cur coordinates: (start, end, is_next, index).
    let mut ivs: Vec<(usize, usize, bool, usize)> = Vec::with_capacity(prev.len() + next.len());
    for (i, &(cs, ce)) in prev_cur.iter().enumerate() {
        ivs.push((cs, ce, false, i));
    }
    for (i, e) in next.iter().enumerate() {
        ivs.push((e.span.start, e.span.end, true, i));
    }
    ivs.sort_by_key(|&(s, e, is_next, i)| (s, e, is_next, i));

    let mut prev: Vec<Option<Edit>> = prev.into_iter().map(Some).collect();
    let mut next: Vec<Option<Edit>> = next.into_iter().map(Some).collect();
    let mut out: Vec<Edit> = Vec::with_capacity(prev.len() + next.len());
    let mut i = 0;
    while i < ivs.len() {
        // A cluster: intervals that overlap or touch.
        let (lo, mut hi) = (ivs[i].0, ivs[i].1);
        let mut j = i + 1;
        while j < ivs.len() && ivs[j].0 <= hi {
            hi = hi.max(ivs[j].1);
            j += 1;
        }
        let members = &ivs[i..j];
        i = j;
        if !members.iter().any(|m| m.2) {
            out.extend(
                members
                    .iter()
                    .map(|m| prev[m.3].take().expect("one cluster each")),
            );
            continue;
        }
        if let [(_, _, true, k)] = *members {
            // A next edit alone: the same text in place of the same (mapped) span.
            let mut e = next[k].take().expect("one cluster each");
            e.span = Span::new(to_orig(lo), to_orig(hi));
            dedup_also(&mut e);
            out.push(e);
            continue;
        }
        let get = |m: &(usize, usize, bool, usize)| -> &Edit {
            if m.2 {
                next[m.3].as_ref()
            } else {
                prev[m.3].as_ref()
            }
            .expect("one cluster each")
        };
        let prevs = members.iter().filter(|m| !m.2);
        let o_lo = prevs
            .clone()
            .filter(|m| prev_cur[m.3].0 == lo)
            .map(|m| get(m).span.start)
            .min()
            .unwrap_or_else(|| to_orig(lo));
        let o_hi = prevs
            .filter(|m| prev_cur[m.3].1 == hi)
            .map(|m| get(m).span.end)
            .max()
            .unwrap_or_else(|| to_orig(hi));
        let contributors: Vec<(&Edit, bool)> = members.iter().map(|m| (get(m), m.2)).collect();
        let merged = merge(cur, lo..hi, Span::new(o_lo, o_hi), &contributors);
        for m in members {
            if m.2 { &mut next[m.3] } else { &mut prev[m.3] }.take();
        }
        out.push(merged);
    }
    // A merged edit that gives back the original text is no edit at all.
    out.retain(|e| e.replacement.as_bytes() != &orig[e.span.start..e.span.end]);
    out
}

/// [`compose_owned`] with no `prev` edits (the first pass): positions in `cur` are positions in
/// `orig`, and only the edits of `next` that overlap or touch are merged.
fn compose_first(orig: &[u8], cur: &[u8], mut next: Vec<Edit>) -> Vec<Edit> {
    // A stable sort: edits with the same span keep their order, as in the general case. The
    // fix loop passes them sorted already (`is_sorted_by_key` is newer than the MSRV).
    let key = |e: &Edit| (e.span.start, e.span.end);
    if !next.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        next.sort_by_key(key);
    }
    let mut out: Vec<Edit> = Vec::with_capacity(next.len());
    let mut it = next.into_iter().peekable();
    while let Some(mut e) = it.next() {
        let (lo, mut hi) = (e.span.start, e.span.end);
        if it.peek().is_some_and(|n| n.span.start <= hi) {
            let mut members = Vec::with_capacity(4);
            members.push(e);
            while let Some(n) = it.next_if(|n| n.span.start <= hi) {
                hi = hi.max(n.span.end);
                members.push(n);
            }
            let contributors: Vec<(&Edit, bool)> = members.iter().map(|m| (m, true)).collect();
            e = merge(cur, lo..hi, Span::new(lo, hi), &contributors);
        } else {
            dedup_also(&mut e);
        }
        // A merged edit that gives back the original text is no edit at all.
        if e.replacement.as_bytes() != &orig[e.span.start..e.span.end] {
            out.push(e);
        }
    }
    out
}

/// Drops from `e.also` its own rule and the names already listed.
fn dedup_also(e: &mut Edit) {
    if e.also.is_empty() {
        return;
    }
    let mut also: Vec<Cow<'static, str>> = Vec::new();
    for name in &e.also {
        if *name != e.rule && !also.contains(name) {
            also.push(name.clone());
        }
    }
    e.also = also;
}

/// One edit for a cluster of `contributors` (ordered by position; `true` for an edit against
/// `cur`) spanning `cur[within]` and `span` of the original: `cur[within]` with the `cur` edits
/// applied, the first contributor's rule and the others in `also`, the lowest confidence.
fn merge(
    cur: &[u8],
    within: std::ops::Range<usize>,
    span: Span,
    contributors: &[(&Edit, bool)],
) -> Edit {
    let grow: usize = contributors
        .iter()
        .filter(|c| c.1)
        .map(|(e, _)| e.replacement.len())
        .sum();
    let mut repl = Vec::with_capacity(within.len() + grow);
    let mut pos = within.start;
    for (e, _) in contributors.iter().filter(|c| c.1) {
        repl.extend_from_slice(&cur[pos..e.span.start]);
        repl.extend_from_slice(e.replacement.as_bytes());
        pos = e.span.end;
    }
    repl.extend_from_slice(&cur[pos..within.end]);
    // Attribution: contributors ordered by position.
    let head = contributors[0].0;
    let mut also: Vec<Cow<'static, str>> = Vec::new();
    for (c, _) in contributors {
        for name in std::iter::once(&c.rule).chain(c.also.iter()) {
            if *name != head.rule && !also.contains(name) {
                also.push(name.clone());
            }
        }
    }
    let confidence = contributors
        .iter()
        .map(|c| c.0.confidence)
        .min()
        .unwrap_or(Confidence::Certain);
    Edit {
        span,
        replacement: String::from_utf8(repl)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        rule: head.rule.clone(),
        also,
        kind: head.kind,
        confidence,
    }
}

/// Maps a position in the output of `edits` back to the original: a position inside a replacement
/// maps to the start of the span it replaced (or the end, for `end == true`).
pub fn map_to_orig(edits: &[Edit], pos: usize, end: bool) -> usize {
    let mut d: isize = 0;
    for e in edits {
        let cs = (e.span.start as isize + d) as usize;
        let ce = cs + e.replacement.len();
        if pos < cs || (pos == cs && !end) {
            break;
        }
        if pos < ce || (pos == ce && end && pos == cs) {
            return if end { e.span.end } else { e.span.start };
        }
        d += e.replacement.len() as isize - e.span.len() as isize;
    }
    (pos as isize - d) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ed(s: usize, e: usize, r: &str, rule: &str) -> Edit {
        Edit::new(
            Span::new(s, e),
            r,
            rule.to_string(),
            ArtifactKind::Other,
            Confidence::Certain,
        )
    }

    fn check(orig: &str, pass1: Vec<Edit>, pass2: Vec<Edit>) -> Vec<Edit> {
        let cur = apply(orig.as_bytes(), &pass1);
        let want = apply(&cur, &pass2);
        let got = compose(orig.as_bytes(), &cur, &pass1, &pass2);
        assert_eq!(
            String::from_utf8(apply(orig.as_bytes(), &got)).unwrap(),
            String::from_utf8(want).unwrap()
        );
        for w in got.windows(2) {
            assert!(w[0].span.end <= w[1].span.start);
        }
        got
    }

    #[test]
    fn disjoint_edits_stay_separate() {
        let got = check(
            "aa bb cc dd",
            vec![ed(0, 2, "A", "r1")],
            vec![ed(7, 9, "D", "r2")],
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].span, Span::new(8, 10));
    }

    #[test]
    fn touching_edits_merge_with_attribution() {
        let got = check(
            "aa , bb",
            vec![ed(2, 3, "", "spacing")],
            vec![ed(2, 3, ";", "punct")],
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rule, "spacing");
        assert_eq!(got[0].also, vec!["punct".to_string()]);
    }

    #[test]
    fn edit_inside_a_replacement() {
        let got = check(
            "x 5 month 3 y",
            vec![ed(2, 11, "May 3", "date")],
            vec![ed(2, 5, "Jun", "other")],
        );
        assert_eq!(got[0].span, Span::new(2, 11));
        assert_eq!(got[0].replacement, "Jun 3");
    }

    #[test]
    fn first_pass_merges_touching_edits() {
        // No earlier edits: touching edits of the pass merge (first by position leads), an edit
        // that gives back the original goes, the others stay as they are.
        let got = check(
            "ab cd ef gh",
            vec![],
            vec![
                ed(0, 2, "ab", "r3"),
                ed(3, 4, "C", "r2"),
                ed(4, 5, "D", "r1"),
                ed(9, 11, "GH", "r4"),
            ],
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].span, got[0].replacement.as_str()),
            (Span::new(3, 5), "CD")
        );
        assert_eq!(got[0].rule, "r2");
        assert_eq!(got[0].also, vec![Cow::from("r1")]);
        assert_eq!(
            (got[1].span, got[1].replacement.as_str()),
            (Span::new(9, 11), "GH")
        );
        assert!(got[1].also.is_empty());
    }

    #[test]
    fn insertions_and_deletions_compose() {
        check(
            "abcdef",
            vec![ed(1, 1, "XY", "a"), ed(3, 5, "", "b")],
            vec![ed(0, 2, "", "c"), ed(5, 5, "Z", "d")],
        );
        check(
            "abcdef",
            vec![ed(0, 6, "", "a")],
            vec![ed(0, 0, "new", "b")],
        );
        check("", vec![], vec![ed(0, 0, "x", "b")]);
    }

    #[test]
    fn undoing_a_change_drops_the_edit() {
        let got = check("abc", vec![ed(1, 2, "X", "a")], vec![ed(1, 2, "b", "b")]);
        assert!(got.is_empty());
    }

    #[test]
    fn map_positions_back() {
        let edits = vec![ed(2, 4, "XYZ", "a")];
        // output "abXYZef"
        assert_eq!(map_to_orig(&edits, 0, false), 0);
        assert_eq!(map_to_orig(&edits, 3, false), 2);
        assert_eq!(map_to_orig(&edits, 3, true), 4);
        assert_eq!(map_to_orig(&edits, 6, false), 5);
    }

    use proptest::prelude::*;

    /// Random non-overlapping edits over a text of length `n` (ASCII, so every byte is a boundary).
    fn edits_for(n: usize, raw: &[(usize, usize, String)]) -> Vec<Edit> {
        let mut pts: Vec<(usize, usize, String)> = raw
            .iter()
            .map(|(a, b, r)| {
                let a = a % (n + 1);
                let b = (a + b % 4).min(n);
                (a, b, r.clone())
            })
            .collect();
        pts.sort();
        let mut out: Vec<Edit> = Vec::new();
        for (a, b, r) in pts {
            let s = Span::new(a, b);
            if out.iter().all(|e| !e.span.conflicts(&s) && e.span.end <= a) {
                out.push(ed(a, b, &r, "p"));
            }
        }
        out
    }

    proptest! {
        #[test]
        fn compose_replays(orig in "[a-e ]{0,24}",
                           e1 in proptest::collection::vec((0usize..30, 0usize..4, "[X-Z]{0,3}"), 0..5),
                           e2 in proptest::collection::vec((0usize..40, 0usize..4, "[x-z]{0,3}"), 0..5)) {
            let p1 = edits_for(orig.len(), &e1);
            let cur = apply(orig.as_bytes(), &p1);
            let p2 = edits_for(cur.len(), &e2);
            let want = apply(&cur, &p2);
            let got = compose(orig.as_bytes(), &cur, &p1, &p2);
            prop_assert_eq!(apply(orig.as_bytes(), &got), want);
            for w in got.windows(2) {
                prop_assert!(w[0].span.end <= w[1].span.start);
            }
        }
    }
}
