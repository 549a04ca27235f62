//! The terminal diff: for each document that changes, the changed paragraphs as a word-level diff
//! with one line of context, each change annotated with the rule(s) that made it, then the flags
//! (artifacts detected and left alone).
//!
//! ```text
//! === 000.txt  lang=en (0.90)  score=3.10  edits=2  flags=1
//! @@ line 3 @@
//!   …Image source: Figure Worm Creative
//! ~ Sales rose [-5% ,-]{+5%,+} the company said[- .-]{+.+}
//!     ^ generic/spacing (spacing, certain): "5% ," -> "5%,"
//!     ^ generic/spacing (spacing, certain): " ." -> "."
//!   Next paragraph…
//! ! line 9  zh_en/sentence-split (sentence-split, unsure) "recovery. capacity": a full stop inside a sentence?
//! ```
//!
//! With `color`, deletions are red and insertions green instead of `[-…-]` and `{+…+}`, flags
//! yellow, context dim. Whitespace-only changes show their spaces as `·` and newlines as `↵`.
//!
//! How a word change gets its rule: the edits of the change log are sorted spans of the input; a
//! hunk is the whole lines those edits touch; the word diff of the hunk's input and output gives
//! the changes, and a change is attributed to every edit whose input span meets the change's input
//! range or whose output span meets its output range.

use std::io::{self, Write};
use std::time::Duration;

use similar::{DiffTag, TextDiff};

use super::{edit_rules, line_of, lossy, DocRef, Filter};
use crate::text::{ArtifactKind, Confidence, Edit, Span};

/// How to print a diff.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// ANSI colours (the caller decides: off when stdout is not a terminal or NO_COLOR is set).
    pub color: bool,
    /// Unchanged non-blank lines shown before and after each hunk.
    pub context: usize,
    pub filter: Filter,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            color: false,
            context: 1,
            filter: Filter::default(),
        }
    }
}

/// A changed region: whole lines of the input (`old`) and the output they became (`new`), and the
/// edits inside it (indices into the edit list the hunks were computed from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub old: Span,
    pub new: Span,
    pub edits: std::ops::Range<usize>,
}

/// One piece of a word diff.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Same(String),
    Changed(Change),
}

/// A changed run of words, with the rules that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub old: String,
    pub new: String,
    /// Contributing rule ids, in order of first appearance, without repeats.
    pub rules: Vec<String>,
    pub kind: Option<ArtifactKind>,
    /// The lowest confidence among the contributing edits.
    pub confidence: Option<Confidence>,
}

fn line_start(input: &[u8], pos: usize) -> usize {
    memchr::memrchr(b'\n', &input[..pos]).map_or(0, |i| i + 1)
}

fn line_end_incl(input: &[u8], pos: usize) -> usize {
    memchr::memchr(b'\n', &input[pos..]).map_or(input.len(), |i| pos + i + 1)
}

fn nonblank_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .count()
}

/// Output spans of `edits` (sorted, non-overlapping, against `input`).
pub fn out_spans(edits: &[&Edit]) -> Vec<Span> {
    let mut delta: isize = 0;
    edits
        .iter()
        .map(|e| {
            let s = (e.span.start as isize + delta) as usize;
            delta += e.replacement.len() as isize - e.span.len() as isize;
            Span::new(s, s + e.replacement.len())
        })
        .collect()
}

/// Groups `edits` into hunks of whole input lines. Hunks separated by at most `2 * context`
/// unchanged non-blank lines are merged (their context would overlap).
pub fn hunks(input: &[u8], edits: &[&Edit], context: usize) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let mut delta: isize = 0;
    for (i, e) in edits.iter().enumerate() {
        let start = e.span.start.min(input.len());
        let end = e.span.end.min(input.len()).max(start);
        let a = line_start(input, start);
        let b = if end > start && (end == input.len() || input[end - 1] == b'\n') {
            end
        } else {
            line_end_incl(input, end)
        };
        let d = e.replacement.len() as isize - (end - start) as isize;
        match out.last_mut() {
            Some(h) if a <= h.old.end || nonblank_lines(&input[h.old.end..a]) <= 2 * context => {
                h.old.end = h.old.end.max(b);
                h.edits.end = i + 1;
                delta += d;
                h.new.end = (h.old.end as isize + delta) as usize;
            }
            _ => {
                let a2 = (a as isize + delta) as usize;
                delta += d;
                out.push(Hunk {
                    old: Span::new(a, b),
                    new: Span::new(a2, (b as isize + delta) as usize),
                    edits: i..i + 1,
                });
            }
        }
    }
    out
}

fn meets(x: Span, y: Span) -> bool {
    if x.is_empty() || y.is_empty() {
        x.start <= y.end && y.start <= x.end
    } else {
        x.start < y.end && y.start < x.end
    }
}

/// The word diff of one hunk: a line diff first (a deleted or inserted line is one change), then a
/// word diff inside each group of replaced lines. `output` is `apply(input, edits)`; `outs` is
/// [`out_spans`] of `edits`.
pub fn word_diff(
    input: &[u8],
    output: &[u8],
    hunk: &Hunk,
    edits: &[&Edit],
    outs: &[Span],
) -> Vec<Piece> {
    let old_b = &input[hunk.old.start..hunk.old.end];
    let new_b = &output[hunk.new.start..hunk.new.end];
    let exact = std::str::from_utf8(old_b).is_ok() && std::str::from_utf8(new_b).is_ok();
    let (old, new) = (lossy(old_b), lossy(new_b));
    let mut pieces: Vec<Piece> = Vec::new();
    let cx = Cx {
        hunk,
        edits,
        outs,
        exact,
    };
    let lines = TextDiff::configure()
        .timeout(Duration::from_millis(200))
        .diff_lines(old.as_ref(), new.as_ref());
    let (lo, ln) = (offsets(lines.old_slices()), offsets(lines.new_slices()));
    for op in lines.ops() {
        let (tag, or, nr) = op.as_tag_tuple();
        let (o0, o1, n0, n1) = (lo[or.start], lo[or.end], ln[nr.start], ln[nr.end]);
        if tag == DiffTag::Replace {
            let words = TextDiff::configure()
                .algorithm(similar::Algorithm::Patience)
                .timeout(Duration::from_millis(200))
                .diff_words(&old[o0..o1], &new[n0..n1]);
            let (wo, wn) = (offsets(words.old_slices()), offsets(words.new_slices()));
            for op in words.ops() {
                let (tag, or, nr) = op.as_tag_tuple();
                let (a0, a1, b0, b1) = (
                    o0 + wo[or.start],
                    o0 + wo[or.end],
                    n0 + wn[nr.start],
                    n0 + wn[nr.end],
                );
                cx.push(
                    &mut pieces,
                    tag,
                    &old[a0..a1],
                    &new[b0..b1],
                    (a0, a1),
                    (b0, b1),
                );
            }
        } else {
            cx.push(
                &mut pieces,
                tag,
                &old[o0..o1],
                &new[n0..n1],
                (o0, o1),
                (n0, n1),
            );
        }
    }
    pieces
}

fn offsets(slices: &[&str]) -> Vec<usize> {
    let mut v = Vec::with_capacity(slices.len() + 1);
    let mut n = 0;
    v.push(0);
    for s in slices {
        n += s.len();
        v.push(n);
    }
    v
}

struct Cx<'a, 'e> {
    hunk: &'a Hunk,
    edits: &'a [&'e Edit],
    outs: &'a [Span],
    exact: bool,
}

impl Cx<'_, '_> {
    /// Adds one diff op (offsets relative to the hunk); touching changes merge into one.
    fn push(
        &self,
        pieces: &mut Vec<Piece>,
        tag: DiffTag,
        old: &str,
        new: &str,
        o: (usize, usize),
        n: (usize, usize),
    ) {
        if tag == DiffTag::Equal {
            match pieces.last_mut() {
                Some(Piece::Same(s)) => s.push_str(old),
                _ => pieces.push(Piece::Same(old.to_string())),
            }
            return;
        }
        let old_span = Span::new(self.hunk.old.start + o.0, self.hunk.old.start + o.1);
        let new_span = Span::new(self.hunk.new.start + n.0, self.hunk.new.start + n.1);
        let all = self.hunk.edits.clone();
        let mut hits: Vec<usize> = if self.exact {
            all.clone()
                .filter(|&k| meets(self.edits[k].span, old_span) || meets(self.outs[k], new_span))
                .collect()
        } else {
            Vec::new()
        };
        if hits.is_empty() {
            hits = all.collect();
        }
        let mut c = Change {
            old: old.to_string(),
            new: new.to_string(),
            rules: Vec::new(),
            kind: hits.first().map(|&k| self.edits[k].kind),
            confidence: hits.iter().map(|&k| self.edits[k].confidence).min(),
        };
        for &k in &hits {
            for r in edit_rules(self.edits[k]) {
                if !c.rules.iter().any(|x| x == r) {
                    c.rules.push(r.to_string());
                }
            }
        }
        match pieces.last_mut() {
            Some(Piece::Changed(prev)) => {
                prev.old.push_str(&c.old);
                prev.new.push_str(&c.new);
                for r in c.rules {
                    if !prev.rules.contains(&r) {
                        prev.rules.push(r);
                    }
                }
                prev.kind = prev.kind.or(c.kind);
                prev.confidence = match (prev.confidence, c.confidence) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            _ => pieces.push(Piece::Changed(c)),
        }
    }
}

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, plain: (&str, &str), s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            format!("{}{s}{}", plain.0, plain.1)
        }
    }
    fn del(&self, s: &str) -> String {
        self.wrap("31", ("[-", "-]"), s)
    }
    fn ins(&self, s: &str) -> String {
        self.wrap("32", ("{+", "+}"), s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", ("", ""), s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", ("", ""), s)
    }
    fn cyan(&self, s: &str) -> String {
        self.wrap("36", ("", ""), s)
    }
    fn flag(&self, s: &str) -> String {
        self.wrap("33", ("", ""), s)
    }
}

/// Whitespace-only text made visible.
fn visible(s: &str) -> String {
    if !s.is_empty() && s.chars().all(char::is_whitespace) {
        s.chars()
            .map(|c| if c == '\t' { '→' } else { '·' })
            .collect()
    } else {
        s.to_string()
    }
}

/// `s` quoted, cut to `max` chars.
fn quote(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        format!("{s:?}")
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut:?}…")
    }
}

#[derive(Default)]
struct Line {
    changed: bool,
    text: String,
    notes: Vec<String>,
}

#[derive(Default)]
struct Lines {
    done: Vec<Line>,
    cur: Line,
}

impl Lines {
    fn flush(&mut self) {
        let line = std::mem::take(&mut self.cur);
        if line.changed || !line.text.trim().is_empty() {
            self.done.push(line);
        }
    }
    fn same(&mut self, s: &str) {
        let mut parts = s.split('\n').peekable();
        while let Some(p) = parts.next() {
            self.cur.text.push_str(p);
            if parts.peek().is_some() {
                self.flush();
            }
        }
    }
    fn changed(&mut self, s: &str, paint: impl Fn(&str) -> String) {
        if s.is_empty() {
            return;
        }
        self.cur.changed = true;
        let mut parts = s.split('\n').peekable();
        while let Some(p) = parts.next() {
            let more = parts.peek().is_some();
            let mut shown = visible(p);
            if more {
                shown.push('↵');
            }
            if !shown.is_empty() {
                self.cur.text.push_str(&paint(&shown));
            }
            if more {
                self.flush();
                self.cur.changed = true;
            }
        }
    }
}

fn context_line(input: &[u8], before: bool, at: usize, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    if before {
        let mut lines: Vec<&[u8]> = input[..at].split(|&b| b == b'\n').collect();
        while out.len() < n {
            match lines.pop() {
                Some(l) if l.iter().all(|b| b.is_ascii_whitespace()) => continue,
                Some(l) => {
                    let s = lossy(l);
                    let count = s.chars().count();
                    out.insert(
                        0,
                        if count > 100 {
                            format!("…{}", s.chars().skip(count - 100).collect::<String>())
                        } else {
                            s.into_owned()
                        },
                    );
                }
                None => break,
            }
        }
    } else {
        for l in input[at..].split(|&b| b == b'\n') {
            if out.len() >= n {
                break;
            }
            if l.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let s = lossy(l);
            out.push(if s.chars().count() > 100 {
                format!("{}…", s.chars().take(100).collect::<String>())
            } else {
                s.into_owned()
            });
        }
    }
    out
}

/// Writes the diff of one document. Returns whether anything was written (a document with no
/// edit and no flag passing the filter is skipped).
pub fn write_doc(w: &mut dyn Write, doc: &DocRef<'_>, opts: &DiffOptions) -> io::Result<bool> {
    let edits = opts.filter.edits(doc.cleaned);
    let flags = opts.filter.flags(doc.cleaned);
    if edits.is_empty() && flags.is_empty() {
        return Ok(false);
    }
    let p = Paint { color: opts.color };
    let input = doc.input;
    let owned: Vec<Edit>;
    let output: std::borrow::Cow<'_, [u8]> = if edits.len() == doc.cleaned.edits.len() {
        std::borrow::Cow::Borrowed(doc.cleaned.text.as_bytes())
    } else {
        owned = edits.iter().map(|e| (*e).clone()).collect();
        std::borrow::Cow::Owned(crate::text::apply(input, &owned))
    };
    let prof = &doc.cleaned.profile;
    writeln!(
        w,
        "{}",
        p.bold(&format!(
            "=== {}  lang={} ({:.2})  score={:.2}  edits={}  flags={}",
            doc.id,
            prof.lang,
            prof.lang_confidence,
            prof.artifact_score,
            edits.len(),
            flags.len()
        ))
    )?;
    let outs = out_spans(&edits);
    for h in hunks(input, &edits, opts.context) {
        writeln!(
            w,
            "{}",
            p.cyan(&format!("@@ line {} @@", line_of(input, h.old.start)))
        )?;
        for c in context_line(input, true, h.old.start, opts.context) {
            writeln!(w, "  {}", p.dim(&c))?;
        }
        let mut lines = Lines::default();
        for piece in word_diff(input, &output, &h, &edits, &outs) {
            match piece {
                Piece::Same(s) => lines.same(&s),
                Piece::Changed(c) => {
                    let kind = c.kind.map_or("?", |k| k.as_str());
                    let conf = c.confidence.map_or("?", |k| k.as_str());
                    lines.cur.notes.push(format!(
                        "    ^ {} ({kind}, {conf}): {} -> {}",
                        c.rules.join("+"),
                        quote(&c.old, 60),
                        quote(&c.new, 60)
                    ));
                    lines.changed(&c.old, |s| p.del(s));
                    lines.changed(&c.new, |s| p.ins(s));
                }
            }
        }
        lines.flush();
        for l in lines.done {
            let mark = if l.changed { "~ " } else { "  " };
            writeln!(w, "{mark}{}", l.text)?;
            for n in l.notes {
                writeln!(w, "{}", p.dim(&n))?;
            }
        }
        for c in context_line(input, false, h.old.end, opts.context) {
            writeln!(w, "  {}", p.dim(&c))?;
        }
    }
    for f in flags {
        let mut s = format!(
            "! line {}  {} ({}, {}) {}: {}",
            line_of(input, f.span.start),
            f.rule,
            f.kind,
            f.confidence.as_str(),
            quote(&f.text, 60),
            f.message
        );
        if let Some(sug) = &f.suggestion {
            s.push_str(&format!(" [suggestion: {}]", quote(sug, 60)));
        }
        writeln!(w, "{}", p.flag(&s))?;
    }
    writeln!(w)?;
    Ok(true)
}

/// [`write_doc`] into a string.
pub fn render(doc: &DocRef<'_>, opts: &DiffOptions) -> String {
    let mut v = Vec::new();
    write_doc(&mut v, doc, opts).expect("writing to a Vec");
    String::from_utf8(v).expect("UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cleaner::{Cleaned, Flag};
    use crate::{Cleaner, Config};

    fn clean(input: &str) -> Cleaned {
        Cleaner::new(Config::default()).unwrap().clean(input)
    }

    fn doc<'a>(input: &'a str, c: &'a Cleaned) -> DocRef<'a> {
        DocRef {
            id: "d1",
            input: input.as_bytes(),
            cleaned: c,
        }
    }

    fn e(s: usize, end: usize, r: &str, rule: &str) -> Edit {
        Edit::new(
            Span::new(s, end),
            r,
            rule.to_string(),
            ArtifactKind::Spacing,
            Confidence::Certain,
        )
    }

    /// An edit replacing the `nth` occurrence of `needle` in `input`.
    fn at(input: &str, needle: &str, nth: usize, r: &str, rule: &str) -> Edit {
        let s = input.match_indices(needle).nth(nth).expect("needle").0;
        e(s, s + needle.len(), r, rule)
    }

    #[test]
    fn hunks_are_whole_lines_and_map_to_output() {
        let input = b"one\n\ntwo , x\n\nthree\n\nfour\n\nfive\n\nsix ,y\n";
        let s = std::str::from_utf8(input).unwrap();
        let ed = [at(s, " ,", 0, ",", "a"), at(s, " ,", 1, ",", "b")];
        let refs: Vec<&Edit> = ed.iter().collect();
        let output = crate::text::apply(input, &ed);
        let hs = hunks(input, &refs, 1);
        assert_eq!(hs.len(), 2, "{hs:?}");
        assert_eq!(&input[hs[0].old.start..hs[0].old.end], b"two , x\n");
        assert_eq!(&output[hs[0].new.start..hs[0].new.end], b"two, x\n");
        assert_eq!(&input[hs[1].old.start..hs[1].old.end], b"six ,y\n");
        assert_eq!(&output[hs[1].new.start..hs[1].new.end], b"six,y\n");
        // With more context the two hunks merge (three non-blank lines between them).
        let hs = hunks(input, &refs, 2);
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].edits, 0..2);
        assert_eq!(&output[hs[0].new.start..hs[0].new.end], &output[5..]);
    }

    #[test]
    fn a_deleted_line_is_its_own_hunk() {
        let input = b"Title\n\nVisit the original URL\n\nBody.\n";
        let ed = [at(
            "Title\n\nVisit the original URL\n\nBody.\n",
            "Visit the original URL\n\n",
            0,
            "",
            "structure/chrome",
        )];
        let refs: Vec<&Edit> = ed.iter().collect();
        let hs = hunks(input, &refs, 1);
        assert_eq!(hs.len(), 1);
        assert_eq!(
            &input[hs[0].old.start..hs[0].old.end],
            b"Visit the original URL\n\n"
        );
        assert!(hs[0].new.is_empty());
    }

    #[test]
    fn words_changed_are_attributed_to_their_rule() {
        let input = "Title\n\nIn 5 month 3 , sales rose .\n";
        let ed = vec![
            at(input, "5 month 3", 0, "May 3", "zh_en/date"),
            at(input, " ,", 0, ",", "generic/spacing"),
            at(input, " .", 0, ".", "generic/spacing"),
        ];
        let refs: Vec<&Edit> = ed.iter().collect();
        let output = crate::text::apply(input.as_bytes(), &ed);
        let outs = out_spans(&refs);
        let hs = hunks(input.as_bytes(), &refs, 1);
        assert_eq!(hs.len(), 1);
        let pieces = word_diff(input.as_bytes(), &output, &hs[0], &refs, &outs);
        let changes: Vec<(&str, &str, Vec<String>)> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Changed(c) => Some((c.old.as_str(), c.new.as_str(), c.rules.clone())),
                _ => None,
            })
            .collect();
        assert!(!changes.is_empty());
        assert!(
            changes
                .iter()
                .any(|c| c.2.contains(&"zh_en/date".to_string())),
            "{changes:?}"
        );
        assert!(
            changes
                .iter()
                .any(|c| c.2 == vec!["generic/spacing".to_string()]),
            "{changes:?}"
        );
        // The same text comes back when the pieces are read as old and as new.
        let old: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Same(s) => s.as_str(),
                Piece::Changed(c) => c.old.as_str(),
            })
            .collect();
        let new: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Same(s) => s.as_str(),
                Piece::Changed(c) => c.new.as_str(),
            })
            .collect();
        assert_eq!(old, "In 5 month 3 , sales rose .\n");
        assert_eq!(new, "In May 3, sales rose.\n");
    }

    #[test]
    fn plain_diff_of_a_real_clean() {
        let input =
            "Title\n\nFirst paragraph stays.\n\nSales rose 5% , the company said .\n\nLast one.\n";
        let c = clean(input);
        assert!(!c.edits.is_empty());
        let out = render(&doc(input, &c), &DiffOptions::default());
        assert!(out.starts_with("=== d1  lang="), "{out}");
        assert!(out.contains("@@ line 5 @@"), "{out}");
        assert!(
            out.contains("  First paragraph stays.\n"),
            "one line of context before:\n{out}"
        );
        assert!(
            out.contains("  Last one.\n"),
            "one line of context after:\n{out}"
        );
        assert!(!out.contains("Title"), "only one line of context:\n{out}");
        assert!(out.contains("~ Sales rose "), "{out}");
        assert!(out.contains("[-"), "{out}");
        assert!(
            out.contains("^ generic/spacing (spacing, certain)"),
            "{out}"
        );
        assert!(!out.contains('\x1b'), "no colour when off");
    }

    #[test]
    fn colour_on_uses_ansi_and_no_plain_markers() {
        let input = "Sales rose 5% , the company said .\n";
        let c = clean(input);
        let out = render(
            &doc(input, &c),
            &DiffOptions {
                color: true,
                ..DiffOptions::default()
            },
        );
        assert!(out.contains("\x1b[31m"), "red deletions: {out:?}");
        assert!(!out.contains("[-"), "{out:?}");
    }

    #[test]
    fn unchanged_documents_print_nothing() {
        let input = "A clean sentence.\n";
        let c = clean(input);
        let mut v = Vec::new();
        assert!(!write_doc(&mut v, &doc(input, &c), &DiffOptions::default()).unwrap());
        assert!(v.is_empty());
    }

    #[test]
    fn filters_select_edits_and_flags() {
        let input = "Sales rose 5% , the company said .\n";
        let mut c = clean(input);
        c.flags.push(Flag {
            rule: "zh_en/sentence-split".into(),
            kind: ArtifactKind::SentenceSplit,
            span: Span::new(0, 5),
            out_span: Span::new(0, 5),
            text: "Sales".into(),
            message: "looks odd".into(),
            confidence: Confidence::Unsure,
            suggestion: Some("sales".into()),
        });
        let all = render(&doc(input, &c), &DiffOptions::default());
        assert!(all.contains("! line 1  zh_en/sentence-split (sentence-split, unsure) \"Sales\": looks odd [suggestion: \"sales\"]"), "{all}");
        let only_flag = DiffOptions {
            filter: Filter {
                rules: vec!["zh_en".into()],
                kinds: vec![],
            },
            ..DiffOptions::default()
        };
        let out = render(&doc(input, &c), &only_flag);
        assert!(out.contains("edits=0  flags=1"), "{out}");
        assert!(!out.contains("@@"), "{out}");
        let by_kind = DiffOptions {
            filter: Filter {
                rules: vec![],
                kinds: vec![ArtifactKind::Spacing],
            },
            ..DiffOptions::default()
        };
        let out = render(&doc(input, &c), &by_kind);
        assert!(out.contains("flags=0") && out.contains("@@"), "{out}");
        let none = DiffOptions {
            filter: Filter {
                rules: vec![],
                kinds: vec![ArtifactKind::Date],
            },
            ..DiffOptions::default()
        };
        assert_eq!(render(&doc(input, &c), &none), "");
    }

    #[test]
    fn a_filtered_view_applies_only_the_chosen_edits() {
        let input = "In 5 month 3 , sales rose .\n";
        let mut c = clean(input);
        c.edits = vec![
            at(input, "5 month 3", 0, "May 3", "zh_en/date"),
            at(input, " ,", 0, ",", "generic/spacing"),
            at(input, " .", 0, ".", "generic/spacing"),
        ];
        c.edits[0].kind = ArtifactKind::Date;
        let opts = DiffOptions {
            filter: Filter {
                rules: vec!["zh_en/date".into()],
                kinds: vec![],
            },
            ..DiffOptions::default()
        };
        let out = render(&doc(input, &c), &opts);
        assert!(out.contains("edits=1"), "{out}");
        assert!(
            out.contains("rose .\n"),
            "the spacing edits are not shown: {out}"
        );
        assert!(!out.contains("generic/spacing"), "{out}");
    }

    #[test]
    fn whitespace_and_newline_changes_are_visible() {
        let input = "One.\n\nVisit the original URL\n\nTwo  words.\n";
        let mut c = clean(input);
        c.edits = vec![
            at(
                input,
                "Visit the original URL\n\n",
                0,
                "",
                "structure/chrome",
            ),
            at(input, "  ", 0, " ", "generic/spacing"),
        ];
        c.text = crate::text::apply_str(input, &c.edits);
        let out = render(
            &doc(input, &c),
            &DiffOptions {
                context: 0,
                ..DiffOptions::default()
            },
        );
        assert!(out.contains("[-Visit the original URL↵-]"), "{out}");
        assert!(out.contains("~ [-↵-]\n"), "{out}");
        assert!(out.contains("~ Two[-··-]{+·+}words."), "{out}");
    }

    #[test]
    fn invalid_utf8_input_does_not_panic() {
        let input = b"Bad \xff byte , here.\n";
        let c = Cleaner::new(Config::default()).unwrap().clean_bytes(input);
        let out = render(
            &DocRef {
                id: "x",
                input,
                cleaned: &c,
            },
            &DiffOptions::default(),
        );
        assert!(out.contains("@@ line 1 @@"), "{out}");
        assert!(out.contains("\u{FFFD}"), "{out}");
    }
}
