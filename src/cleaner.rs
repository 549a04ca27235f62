//! The cleaner: decode, profile, run rules, apply fixes in a loop until nothing changes.
//!
//! Passes after the first are incremental for line-local rules ([`Rule::line_local`]): they check
//! only the lines the previous pass changed (with their neighbours) and keep their findings on
//! the other lines, moved with the text; any change in the profile fields they read means a full
//! pass. Debug builds run the full pass as well and assert both find the same (see `Carry`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{Config, ConfigError};
use crate::corpus_chrome::CorpusChrome;
use crate::dict::{DictError, Dictionaries};
use crate::lang::Profile;
use crate::rules::{all_rules, DocView, Finding, Rule, Scope};
use crate::text::decode::decode;
use crate::text::{apply_str, compose_owned, ArtifactKind, Confidence, Edit, Span};

/// Something that stops a [`Cleaner`] from being built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Dict(#[from] DictError),
    #[error("unknown rule or pack {0:?} (see `textmend rules`)")]
    UnknownRule(String),
}

/// A document that cannot be cleaned under the configuration (only with `strict`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    #[error("invalid UTF-8: {0} invalid byte sequence(s)")]
    InvalidUtf8(usize),
}

/// A detected artifact that was not repaired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub rule: String,
    pub kind: ArtifactKind,
    /// Byte span in the original input.
    pub span: Span,
    /// Byte span in the cleaned output.
    pub out_span: Span,
    /// The flagged text, as it reads in the output.
    pub text: String,
    pub message: String,
    pub confidence: Confidence,
    /// The repair a rule would make, had it been sure enough.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// The result of cleaning one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cleaned {
    /// The clean text.
    pub text: String,
    /// Every change, against the original input, sorted and non-overlapping:
    /// `text::apply(input, &edits) == text`.
    pub edits: Vec<Edit>,
    /// Artifacts detected and left alone.
    pub flags: Vec<Flag>,
    /// What was learnt about the document: title, date, author, source...
    pub metadata: BTreeMap<String, String>,
    /// The profile of the input (language, scripts, artifact score).
    pub profile: Profile,
    /// Fix-loop passes run.
    pub passes: usize,
}

impl Cleaned {
    /// Edits per artifact kind.
    pub fn edits_per_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for e in &self.edits {
            *m.entry(e.kind.as_str()).or_insert(0) += 1;
        }
        m
    }
}

/// Cleans documents. Build it once; it is `Send + Sync` and cheap to share across threads.
///
/// ```
/// use textmend::{Cleaner, Config};
///
/// let cleaner = Cleaner::new(Config::default()).unwrap();
/// let cleaned = cleaner.clean("Prices rose , and sales fell .\n");
/// assert_eq!(cleaned.text, "Prices rose, and sales fell.\n");
/// // The change log replays: applying the edits to the input gives the output.
/// let replayed = textmend::text::apply_str("Prices rose , and sales fell .\n", &cleaned.edits);
/// assert_eq!(replayed, cleaned.text);
/// ```
pub struct Cleaner {
    config: Config,
    rules: Vec<Box<dyn Rule>>,
    dicts: Dictionaries,
    /// Corpus mode: lines repeated across the corpus, removed by `structure/repeated-line`.
    corpus_chrome: Option<std::sync::Arc<CorpusChrome>>,
    /// Each rule's priority by id, for a finding filed under another rule's id than its maker's.
    priority: BTreeMap<&'static str, u8>,
}

impl Cleaner {
    /// Builds a cleaner: loads the embedded dictionaries and the config's extra ones, and builds
    /// the enabled rules.
    pub fn new(config: Config) -> Result<Cleaner, BuildError> {
        config.validate()?;
        let mut dicts = Dictionaries::embedded();
        for spec in &config.dicts {
            dicts.add_spec(spec)?;
        }
        let every = all_rules(&dicts);
        for name in config
            .enable
            .iter()
            .chain(&config.disable)
            .chain(&config.only)
        {
            let known = every
                .iter()
                .any(|r| r.id() == name || r.id().split('/').next() == Some(name.as_str()));
            if !known {
                return Err(BuildError::UnknownRule(name.clone()));
            }
        }
        let mut rules: Vec<Box<dyn Rule>> = every
            .into_iter()
            .filter(|r| config.rule_enabled(r.id(), r.default_on()))
            .collect();
        rules.sort_by_key(|r| (r.priority(), r.id()));
        let priority = rules.iter().map(|r| (r.id(), r.priority())).collect();
        Ok(Cleaner {
            config,
            rules,
            dicts,
            corpus_chrome: None,
            priority,
        })
    }

    /// Corpus mode: lines repeated across the corpus (found by a first pass, see
    /// [`crate::corpus_chrome`]) are removed as page chrome by the rule `structure/repeated-line`.
    pub fn with_corpus_chrome(mut self, set: impl Into<std::sync::Arc<CorpusChrome>>) -> Self {
        self.corpus_chrome = Some(set.into());
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn dictionaries(&self) -> &Dictionaries {
        &self.dicts
    }

    /// The enabled rules, in the order they win conflicts.
    pub fn rules(&self) -> impl Iterator<Item = &dyn Rule> {
        self.rules.iter().map(|r| r.as_ref())
    }

    /// Cleans text.
    pub fn clean(&self, text: &str) -> Cleaned {
        self.clean_bytes(text.as_bytes())
    }

    /// Cleans raw bytes: invalid UTF-8 becomes U+FFFD (logged as edits).
    pub fn clean_bytes(&self, bytes: &[u8]) -> Cleaned {
        self.run(bytes)
    }

    /// Like [`Cleaner::clean_bytes`], but under `strict` a document with invalid UTF-8 is refused.
    pub fn try_clean_bytes(&self, bytes: &[u8]) -> Result<Cleaned, RejectReason> {
        if self.config.strict && std::str::from_utf8(bytes).is_err() {
            let n = decode(bytes).invalid_sequences;
            return Err(RejectReason::InvalidUtf8(n));
        }
        Ok(self.run(bytes))
    }

    /// Findings of every applicable rule on `text` (one pass, nothing applied).
    pub fn check(
        &self,
        text: &str,
        profile: &Profile,
        metadata: &BTreeMap<String, String>,
        pass: usize,
    ) -> Vec<Finding> {
        self.check_pass(
            text,
            profile,
            metadata,
            pass,
            None,
            &mut Vec::new(),
            &mut Vec::new(),
        )
    }

    /// One pass of checks. With `carry` (the previous pass's line-local findings and the lines it
    /// changed), line-local rules check only the changed lines and keep their other findings.
    /// `found` gets, per rule, the line-local rules' findings before routing (for the next pass);
    /// `prio`, each finding's rule priority (for [`Cleaner::select`]).
    #[allow(clippy::too_many_arguments)]
    fn check_pass(
        &self,
        text: &str,
        profile: &Profile,
        metadata: &BTreeMap<String, String>,
        pass: usize,
        mut carry: Option<&mut Carry>,
        found: &mut Vec<Option<Vec<Finding>>>,
        prio: &mut Vec<u8>,
    ) -> Vec<Finding> {
        let view = DocView {
            text,
            profile,
            config: &self.config,
            metadata,
            pass,
            corpus_chrome: self.corpus_chrome.as_deref(),
            structure: Default::default(),
        };
        // The dirty runs' views, shared by the line-local rules (and what they work out once).
        let subs: Vec<DocView<'_>> = carry
            .as_deref()
            .map(|c| c.dirty.iter().map(|r| view.sub(r.start..r.end)).collect())
            .unwrap_or_default();
        found.clear();
        found.resize_with(self.rules.len(), || None);
        prio.clear();
        // Room for the findings a pass usually makes, so the list rarely grows while rules push.
        let mut out = Vec::with_capacity(text.len() / 64 + 16);
        for (i, r) in self.rules.iter().enumerate() {
            let runs = match r.scope() {
                Scope::Any => true,
                // A Chinese article with an English abstract: Latin-script rules see the Latin
                // lines; the CJK filter below keeps them off the rest.
                Scope::Latin => profile.is_latin() || profile.has_latin_paragraph(),
                Scope::English => profile.lang == "en",
                Scope::ZhEn => profile.zh_en,
            };
            if !runs {
                continue;
            }
            let from = out.len();
            if r.line_local() {
                let before = carry.as_mut().and_then(|c| c.found.get_mut(i)?.take());
                let own = match (carry.as_deref(), before) {
                    (Some(c), Some(before)) => c.recheck(r.as_ref(), &subs, before),
                    _ => {
                        let mut own = Vec::new();
                        r.check(&view, &mut own);
                        own
                    }
                };
                out.extend(own.iter().cloned());
                found[i] = Some(own);
            } else {
                r.check(&view, &mut out);
            }
            // Routing span by span: rules for Latin-script text never edit CJK text from the
            // inside (an English article quoting Chinese keeps the quote byte for byte), and no
            // rule breaks the document language's punctuation spacing (French "Non !").
            let scoped = r.scope() != Scope::Any;
            if out.len() > from
                && ((scoped && !profile.cjk_zones.is_empty()) || profile.lang == "fr")
            {
                let tail = out.split_off(from);
                out.extend(
                    tail.into_iter()
                        .filter(|f| !misrouted(text, profile, f, scoped)),
                );
            }
            let own = r.priority();
            prio.extend(out[prio.len()..].iter().map(|f| {
                if f.rule == r.id() {
                    own
                } else {
                    self.priority.get(f.rule).copied().unwrap_or(50)
                }
            }));
        }
        out
    }

    /// Debug builds: an incremental pass found exactly what a full pass finds (per rule, in the
    /// order the engine's selection sees them: by start, ties in the rule's own order).
    #[cfg(debug_assertions)]
    fn assert_same_as_full(
        &self,
        text: &str,
        profile: &Profile,
        metadata: &BTreeMap<String, String>,
        pass: usize,
        incremental: &[Finding],
    ) {
        let full = self.check(text, profile, metadata, pass);
        let rank: BTreeMap<&str, usize> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id(), i))
            .collect();
        let canon = |v: &[Finding]| {
            let mut v: Vec<Finding> = v.to_vec();
            v.sort_by_key(|f| (rank.get(f.rule).copied(), f.span.start));
            v
        };
        let (a, b) = (canon(&full), canon(incremental));
        if a != b {
            let k = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            panic!(
                "incremental pass {pass} differs from a full pass at finding {k}:\nfull: {:?}\nincremental: {:?}\ntext: {text:?}",
                a.get(k),
                b.get(k)
            );
        }
    }

    fn run(&self, bytes: &[u8]) -> Cleaned {
        let decoded = decode(bytes);
        let mut edits = decoded.edits;
        let mut text = decoded.text;
        let mut metadata = BTreeMap::new();
        let mut first_profile = None;
        let mut flags_findings: Vec<Finding> = Vec::new();
        let mut passes = 0;
        let mut settled = false;
        // The zh_en gate is monotone within a run: once a pass's text opens it, it stays open, so
        // the pack keeps working while its own fixes lower the score. Idempotence still holds: a
        // second run starts from the final text, whose gate is open only if this run's final pass
        // had it open, so it runs a subset of the rules that found nothing to fix.
        let mut gate_open = false;
        // What the last pass leaves to the next for line-local rules (see [`Carry`]).
        let mut carry: Option<Carry> = None;
        let mut found: Vec<Option<Vec<Finding>>> = Vec::new();
        let mut prio: Vec<u8> = Vec::new();
        while passes < self.config.max_passes {
            // Once the gate is open the score no longer matters (the first pass's profile, the
            // one reported, always has it).
            let mut profile = Profile::compute_scored(&text, &self.config, !gate_open);
            gate_open |= profile.zh_en;
            profile.zh_en = gate_open;
            // A profile that changed in what rules read (language, script, the gate) means a
            // full pass.
            let key = ProfileKey::of(&profile);
            let mut carry_now = carry.take().filter(|c| c.key == key);
            let mut findings = self.check_pass(
                &text,
                &profile,
                &metadata,
                passes,
                carry_now.as_mut(),
                &mut found,
                &mut prio,
            );
            #[cfg(test)]
            PASS_TRACE.with(|t| t.borrow_mut().push(carry_now.is_some()));
            #[cfg(debug_assertions)]
            if carry_now.is_some() {
                self.assert_same_as_full(&text, &profile, &metadata, passes, &findings);
            }
            drop(carry_now);
            if first_profile.is_none() {
                first_profile = Some(profile);
            }
            passes += 1;
            let (chosen, rest) = self.select(&text, &findings, &prio);
            // Metadata counts from applied fixes and from findings that change nothing.
            let fixless = rest.iter().filter(|&&i| findings[i].fix.is_none());
            for &i in chosen.iter().chain(fixless) {
                for (k, v) in &findings[i].meta {
                    metadata.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            if chosen.is_empty() {
                // Every finding is in `rest`: put them in its order.
                let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
                flags_findings = rest
                    .iter()
                    .map(|&i| slots[i].take().expect("each finding once"))
                    .collect();
                settled = true;
                break;
            }
            let parts = chosen
                .iter()
                .map(|&i| findings[i].fix.as_ref().map_or(0, |p| p.len()));
            let mut next: Vec<Edit> = Vec::with_capacity(parts.sum());
            for &i in &chosen {
                let f = &mut findings[i];
                let mut fix = f.fix.take().expect("a chosen finding has a fix");
                for (s, r) in fix.iter_mut() {
                    next.push(Edit::new(
                        *s,
                        std::mem::take(r),
                        f.rule,
                        f.kind,
                        f.confidence,
                    ));
                }
            }
            drop(findings);
            next.sort_by_key(|e| (e.span.start, e.span.end));
            join_spaces(&mut next);
            let new_text = apply_str(&text, &next);
            if passes < self.config.max_passes {
                carry = Carry::new(
                    &text,
                    &next,
                    new_text.len(),
                    std::mem::take(&mut found),
                    key,
                );
            }
            edits = compose_owned(bytes, text.as_bytes(), std::mem::take(&mut edits), next);
            text = new_text;
        }
        let to_orig = OrigMap::new(&edits);
        let mut flags: Vec<Flag> = flags_findings
            .into_iter()
            .filter(|f| !f.message.is_empty())
            .map(|f| Flag {
                rule: f.rule.to_string(),
                kind: f.kind,
                span: Span::new(
                    to_orig.map(f.span.start, false),
                    to_orig.map(f.span.end, true),
                ),
                out_span: f.span,
                text: text.get(f.span.start..f.span.end).unwrap_or("").to_string(),
                message: f.message.into_owned(),
                confidence: f.confidence,
                suggestion: f.fix.as_ref().and_then(|p| p.first()).map(|p| p.1.clone()),
            })
            .collect();
        if !settled {
            flags.push(Flag {
                rule: "engine/fix-loop".into(),
                kind: ArtifactKind::Other,
                span: Span::new(0, 0),
                out_span: Span::new(0, 0),
                text: String::new(),
                message: format!(
                    "fixes did not settle after {} passes (a rule bug)",
                    self.config.max_passes
                ),
                confidence: Confidence::Unsure,
                suggestion: None,
            });
        }
        flags.sort_by(|a, b| (a.out_span, &a.rule).cmp(&(b.out_span, &b.rule)));
        let profile = first_profile.unwrap_or_else(|| Profile::compute(&text, &self.config));
        Cleaned {
            text,
            edits,
            flags,
            metadata,
            profile,
            passes,
        }
    }

    /// Picks the fixes to apply this pass: confident enough, changing something, and not
    /// conflicting with a fix of a higher-priority rule. Returns the indices of (chosen, the
    /// rest): the chosen in the order they were taken, the rest by span and rule.
    fn select(&self, text: &str, findings: &[Finding], prio: &[u8]) -> (Vec<usize>, Vec<usize>) {
        // The order to consider them in, sorted as small keys (the index makes each key unique,
        // so an unstable sort gives the one order).
        let mut order: Vec<(u8, usize, usize)> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| (prio[i], f.span.start, i))
            .collect();
        order.sort_unstable();
        let mut taken = Taken {
            recent: Vec::with_capacity(findings.len()),
            ..Taken::default()
        };
        let (mut chosen, mut rest) = (
            Vec::with_capacity(findings.len()),
            Vec::with_capacity(findings.len()),
        );
        let mut last_prio = None;
        for (p, _, i) in order {
            if last_prio != Some(p) {
                taken.settle();
                last_prio = Some(p);
            }
            let f = &findings[i];
            let ok = match &f.fix {
                Some(parts) if f.confidence >= self.config.min_confidence && !parts.is_empty() => {
                    let valid = parts.iter().all(|(s, _)| {
                        s.start <= s.end
                            && s.end <= text.len()
                            && text.is_char_boundary(s.start)
                            && text.is_char_boundary(s.end)
                    });
                    let changes = parts.iter().any(|(s, r)| &text[s.start..s.end] != r);
                    // Pairwise free of conflicts among themselves (a few parts pair by pair;
                    // many through a set, so a fix with many parts costs n log n, not n^2).
                    let own_ok = match parts.len() {
                        0 | 1 => true,
                        2..=8 => parts
                            .iter()
                            .enumerate()
                            .all(|(k, (a, _))| parts[k + 1..].iter().all(|(b, _)| !a.conflicts(b))),
                        _ => {
                            let mut own = Taken::default();
                            parts.iter().all(|(s, _)| {
                                let free = !own.conflicts(s);
                                own.insert(*s);
                                free
                            })
                        }
                    };
                    valid && changes && own_ok && parts.iter().all(|(s, _)| !taken.conflicts(s))
                }
                _ => false,
            };
            if ok {
                for p in f.fix.as_ref().unwrap() {
                    taken.insert(p.0);
                }
                chosen.push(i);
            } else {
                rest.push(i);
            }
        }
        // A stable sort: ties keep the order of consideration.
        rest.sort_by_key(|&i| {
            let f = &findings[i];
            (f.span.start, f.span.end, f.rule)
        });
        (chosen, rest)
    }
}

#[cfg(test)]
thread_local! {
    /// Per pass of the fix loop on this thread: whether it was incremental (for tests).
    static PASS_TRACE: std::cell::RefCell<Vec<bool>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What line-local rules may assume unchanged between two passes: the profile fields they read.
/// Anything else in the profile (census, paragraphs, CJK zones) either moves with the text on
/// unchanged lines or is read only by the engine's routing, which runs again on every pass.
#[derive(Clone, PartialEq)]
struct ProfileKey {
    lang: String,
    script: String,
    zh_en: bool,
}

impl ProfileKey {
    fn of(p: &Profile) -> Self {
        ProfileKey {
            lang: p.lang.clone(),
            script: p.script.clone(),
            zh_en: p.zh_en,
        }
    }
}

/// Clean stretches shorter than this are checked again with the changed lines around them: a
/// rule's fixed cost per checked run is worth about this many bytes of scanning.
const MIN_CLEAN_RUN: usize = 64;

/// What a pass that fixed something leaves to the next one for line-local rules
/// ([`Rule::line_local`]): each rule's findings on the old text, the runs of whole lines no edit
/// came near (old offsets, and the shift that takes them to the new text), and the rest of the
/// new text, which those rules check again.
///
/// A line is dirty when an edit touches it (an insertion at its start or end included) or
/// touches the line before or after it; so a clean line keeps its `\n` and both neighbours, and
/// reads the same in the new text. Runs of dirty lines are checked as texts of their own.
struct Carry {
    key: ProfileKey,
    /// Per rule (the cleaner's order): its findings on the old text, for line-local rules run.
    found: Vec<Option<Vec<Finding>>>,
    /// Old text `start..end` is unchanged and moves by `shift` bytes; sorted, disjoint.
    clean: Vec<(usize, usize, isize)>,
    old_len: usize,
    /// The new text's runs of lines to check again; sorted, disjoint, whole lines.
    dirty: Vec<Span>,
}

impl Carry {
    /// `None` when nothing would be kept (the next pass is a full one).
    fn new(
        old: &str,
        edits: &[Edit],
        new_len: usize,
        found: Vec<Option<Vec<Finding>>>,
        key: ProfileKey,
    ) -> Option<Carry> {
        if edits.is_empty() || found.iter().all(Option::is_none) {
            return None;
        }
        // Line starts of the old text; line k is starts[k]..starts[k + 1] (or the text end).
        // (Room for lines of about 40 bytes, so the list seldom grows.)
        let mut starts = Vec::with_capacity(old.len() / 40 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', old.as_bytes()).map(|i| i + 1));
        if starts.len() > 1 && *starts.last().unwrap() == old.len() {
            starts.pop();
        }
        let n = starts.len();
        let line_of = |pos: usize| starts.partition_point(|&s| s <= pos) - 1;
        let line_end = |k: usize| starts.get(k + 1).copied().unwrap_or(old.len());
        // Dirty line ranges (inclusive), merged; the edits are sorted by start.
        let mut dirty_lines: Vec<(usize, usize)> = Vec::new();
        for e in edits {
            let lo = line_of(e.span.start).saturating_sub(1);
            let hi = (line_of(e.span.end) + 1).min(n - 1);
            match dirty_lines.last_mut() {
                Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
                _ => dirty_lines.push((lo, hi)),
            }
        }
        // Clean runs between them, with the shift of the edits before each.
        let mut clean = Vec::new();
        let mut shift: isize = 0;
        let mut ei = 0;
        let mut next_line = 0;
        for &(lo, hi) in dirty_lines.iter().chain(std::iter::once(&(n, n))) {
            if lo > next_line {
                let (a, b) = (starts[next_line], line_end(lo - 1));
                while ei < edits.len() && edits[ei].span.end <= a {
                    let e = &edits[ei];
                    shift += e.replacement.len() as isize - e.span.len() as isize;
                    ei += 1;
                }
                if b - a >= MIN_CLEAN_RUN {
                    clean.push((a, b, shift));
                }
            }
            next_line = hi + 1;
        }
        if clean.is_empty() {
            return None;
        }
        let mut dirty = Vec::new();
        let mut at = 0;
        for &(a, b, d) in &clean {
            let (na, nb) = ((a as isize + d) as usize, (b as isize + d) as usize);
            if na > at {
                dirty.push(Span::new(at, na));
            }
            at = nb;
        }
        if new_len > at {
            dirty.push(Span::new(at, new_len));
        }
        Some(Carry {
            key,
            found,
            clean,
            old_len: old.len(),
            dirty,
        })
    }

    /// The clean run holding old span `lo..hi`, if one does: its shift.
    fn shift_of(&self, lo: usize, hi: usize) -> Option<isize> {
        let k = self.clean.partition_point(|c| c.0 <= lo).checked_sub(1)?;
        let (a, b, d) = self.clean[k];
        // An empty span at a run's end belongs to the line after it (unless the text ends).
        (a <= lo && hi <= b && (lo < b || b == self.old_len)).then_some(d)
    }

    /// `rule`'s findings on the new text: the old ones on clean lines, moved, and a fresh check
    /// of each dirty run; by start, ties in the rule's own order.
    /// `subs` are the views of the dirty runs.
    fn recheck(&self, rule: &dyn Rule, subs: &[DocView<'_>], before: Vec<Finding>) -> Vec<Finding> {
        // The old findings are moved, not copied: the carry is spent by this pass.
        let mut own = before;
        own.retain_mut(|f| {
            let (mut lo, mut hi) = (f.span.start, f.span.end);
            for (s, _) in f.fix.iter().flatten() {
                lo = lo.min(s.start);
                hi = hi.max(s.end);
            }
            match self.shift_of(lo, hi) {
                Some(d) => {
                    shift_spans(f, d);
                    true
                }
                None => false,
            }
        });
        for (r, sub) in self.dirty.iter().zip(subs) {
            let from = own.len();
            rule.check(sub, &mut own);
            for f in &mut own[from..] {
                shift_spans(f, r.start as isize);
            }
        }
        own.sort_by_key(|f| f.span.start);
        own
    }
}

/// Moves a finding's spans by `d` bytes.
fn shift_spans(f: &mut Finding, d: isize) {
    let mv = |s: &mut Span| {
        s.start = (s.start as isize + d) as usize;
        s.end = (s.end as isize + d) as usize;
    };
    mv(&mut f.span);
    for (s, _) in f.fix.iter_mut().flatten() {
        mv(s);
    }
}

/// Two fixes of one pass that meet at a point and each bring a separating space ("caption :" ->
/// "Caption: " next to "4 month 18 Japan ," -> " On April 18,") would leave a doubled space for
/// the next pass to remove: the second one's leading space is dropped (an insertion left empty
/// goes), so the pass lands its final text and the loop needs one pass fewer.
fn join_spaces(edits: &mut Vec<Edit>) {
    let mut drop = false;
    for i in 1..edits.len() {
        let (a, b) = edits.split_at_mut(i);
        let (prev, cur) = (&a[i - 1], &mut b[0]);
        if prev.span.end == cur.span.start
            && prev.replacement.ends_with(' ')
            && cur.replacement.starts_with(' ')
        {
            cur.replacement.remove(0);
            drop |= cur.span.is_empty() && cur.replacement.is_empty();
        }
    }
    if drop {
        edits.retain(|e| !(e.span.is_empty() && e.replacement.is_empty()));
    }
}

/// A finding that does not belong where it was made: a fix of a Latin-script rule (`scoped`)
/// editing CJK text from the inside, or a flag of one lying inside CJK text; or any fix removing
/// spacing the document's language requires.
fn misrouted(text: &str, profile: &Profile, f: &Finding, scoped: bool) -> bool {
    match &f.fix {
        Some(parts) => parts.iter().any(|(s, r)| {
            (scoped && profile.touches_cjk(text, *s, r))
                || profile.breaks_spacing_convention(text, *s, r)
        }),
        None => {
            scoped
                && !f.span.is_empty()
                && profile
                    .cjk_zones_in(f.span)
                    .iter()
                    .any(|z| z.start <= f.span.start && f.span.end <= z.end)
        }
    }
}

/// Spans already claimed by chosen fixes, pairwise free of conflicts (see [`Span::conflicts`]).
///
/// Sorted by `(start, end)`, such a set also has non-decreasing ends, so the only members that can
/// conflict with a span `s` are found by walking back from the last member starting at or before
/// `s.end` while a member's end is not before `s.start`: O(log n) per check instead of a scan of
/// every member (which made long single-line documents quadratic).
///
/// The selection takes fixes by priority, then by start, so within one priority spans mostly
/// arrive in order: they are appended to `recent` (sorted), the few out of order go to `stray`,
/// and [`Taken::settle`] merges both into `settled` when the priority changes (a linear merge, at
/// most once per priority). Each part is a subset of a conflict-free set, so each is searched on
/// its own.
#[derive(Default)]
struct Taken {
    settled: Vec<(usize, usize)>,
    recent: Vec<(usize, usize)>,
    stray: std::collections::BTreeSet<(usize, usize)>,
    /// Room for [`Taken::settle`]'s next merge.
    spare: Vec<(usize, usize)>,
}

/// Whether a member of `set` (sorted, pairwise free of conflicts) conflicts with `s`.
fn sorted_conflicts<'a>(
    set: impl DoubleEndedIterator<Item = &'a (usize, usize)>,
    s: &Span,
) -> bool {
    for &(start, end) in set.rev() {
        if end < s.start {
            break;
        }
        if Span::new(start, end).conflicts(s) {
            return true;
        }
    }
    false
}

impl Taken {
    fn conflicts(&self, s: &Span) -> bool {
        let upto = |v: &[(usize, usize)]| v.partition_point(|&(a, _)| a <= s.end);
        sorted_conflicts(self.settled[..upto(&self.settled)].iter(), s)
            || sorted_conflicts(self.recent[..upto(&self.recent)].iter(), s)
            || (!self.stray.is_empty()
                && sorted_conflicts(self.stray.range(..=(s.end, usize::MAX)), s))
    }

    fn insert(&mut self, s: Span) {
        let k = (s.start, s.end);
        if !matches!(self.recent.last(), Some(&last) if last > k) {
            self.recent.push(k);
        } else {
            self.stray.insert(k);
        }
    }

    /// Merges the recent spans into the settled ones (call it when the priority changes). The
    /// vectors keep their room for the next merge (`spare` holds the one merged from).
    fn settle(&mut self) {
        if self.recent.is_empty() && self.stray.is_empty() {
            return;
        }
        if !self.stray.is_empty() {
            self.recent.extend(std::mem::take(&mut self.stray));
            self.recent.sort_unstable();
        }
        let mut merged = std::mem::take(&mut self.spare);
        merged.clear();
        merged.reserve(self.settled.len() + self.recent.len());
        let (mut a, mut b) = (
            self.settled.iter().copied().peekable(),
            self.recent.iter().copied().peekable(),
        );
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x <= y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            merged.extend(next);
        }
        self.spare = std::mem::replace(&mut self.settled, merged);
        self.recent.clear();
    }
}

/// [`crate::text::map_to_orig`] for many positions: a binary search over the edits' output spans instead of a
/// scan from the start for each position.
struct OrigMap<'e> {
    edits: &'e [Edit],
    /// Per edit: start and end of its replacement in the output, and the output-minus-original
    /// delta before it.
    cur: Vec<(usize, usize, isize)>,
    total: isize,
}

impl<'e> OrigMap<'e> {
    fn new(edits: &'e [Edit]) -> Self {
        let mut cur = Vec::with_capacity(edits.len());
        let mut d: isize = 0;
        for e in edits {
            let cs = (e.span.start as isize + d) as usize;
            cur.push((cs, cs + e.replacement.len(), d));
            d += e.replacement.len() as isize - e.span.len() as isize;
        }
        OrigMap {
            edits,
            cur,
            total: d,
        }
    }

    /// Same result as `map_to_orig(edits, pos, end)`.
    fn map(&self, pos: usize, end: bool) -> usize {
        // The first edit at which the scan of `map_to_orig` stops (monotone in the index).
        let k = self
            .cur
            .partition_point(|&(cs, ce, _)| !(pos < ce || pos == cs));
        let Some(&(cs, _, d)) = self.cur.get(k) else {
            return (pos as isize - self.total) as usize;
        };
        if pos < cs || (pos == cs && !end) {
            (pos as isize - d) as usize
        } else if end {
            self.edits[k].span.end
        } else {
            self.edits[k].span.start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orig_map_agrees_with_map_to_orig() {
        let c = Cleaner::new(Config::default()).unwrap();
        let input =
            "\u{FEFF}Sales  rose , the firm said .\r\nIt rose ( 5 % ) ;  then fell .\r\n\u{0}x";
        let cleaned = c.clean(input);
        assert!(cleaned.edits.len() > 4);
        let m = OrigMap::new(&cleaned.edits);
        for pos in 0..=cleaned.text.len() {
            for end in [false, true] {
                assert_eq!(
                    m.map(pos, end),
                    crate::text::map_to_orig(&cleaned.edits, pos, end),
                    "{pos} {end}"
                );
            }
        }
    }

    #[test]
    fn fixes_meeting_at_a_point_keep_one_space() {
        let e = |s, t, r: &str| {
            Edit::new(
                Span::new(s, t),
                r,
                "x/y",
                ArtifactKind::Other,
                Confidence::Certain,
            )
        };
        // "caption :4 month 18 Japan ," -> "Caption: " + " On April 18,"
        let text = "caption :4 month 18 Japan , the";
        let mut edits = vec![e(0, 9, "Caption: "), e(9, 27, " On April 18,")];
        join_spaces(&mut edits);
        assert_eq!(apply_str(text, &edits), "Caption: On April 18, the");
        // An inserted space next to a replacement that brings its own goes.
        let mut edits = vec![e(0, 3, "ab "), e(3, 3, " "), e(3, 4, "d")];
        join_spaces(&mut edits);
        assert_eq!(edits.len(), 2);
        assert_eq!(apply_str("abcx", &edits), "ab d");
        // Apart, or without a space on both sides, nothing changes.
        let mut edits = vec![e(0, 2, "a "), e(3, 4, " b"), e(4, 5, "c ")];
        let before = edits.clone();
        join_spaces(&mut edits);
        assert_eq!(edits, before);
    }

    #[test]
    fn taken_agrees_with_pairwise_conflicts() {
        let spans: Vec<Span> = [(0, 3), (3, 3), (3, 5), (7, 7), (9, 12), (12, 12), (20, 25)]
            .iter()
            .map(|&(a, b)| Span::new(a, b))
            .collect();
        // In order, out of order (some go astray), and settled part way (the parts searched on
        // their own).
        let n = spans.len();
        let orders: Vec<(Vec<usize>, usize)> = vec![
            ((0..n).collect(), n),
            ((0..n).rev().collect(), n),
            (vec![4, 0, 5, 1, 6, 2, 3], 3),
            (vec![2, 3, 4, 0, 1, 6, 5], 2),
        ];
        for (order, settle_at) in orders {
            let mut t = Taken::default();
            for (k, &i) in order.iter().enumerate() {
                if k == settle_at {
                    t.settle();
                }
                t.insert(spans[i]);
            }
            for a in 0..28 {
                for b in a..28 {
                    let q = Span::new(a, b);
                    let want = spans.iter().any(|s| s.conflicts(&q));
                    assert_eq!(t.conflicts(&q), want, "{order:?} {a}..{b}");
                }
            }
        }
    }

    #[test]
    fn unknown_rule_names_are_errors() {
        let cfg = Config {
            disable: vec!["generic/nope".into()],
            ..Config::default()
        };
        assert!(matches!(Cleaner::new(cfg), Err(BuildError::UnknownRule(_))));
    }

    #[test]
    fn strict_rejects_invalid_utf8() {
        let c = Cleaner::new(Config {
            strict: true,
            ..Config::default()
        })
        .unwrap();
        assert_eq!(
            c.try_clean_bytes(b"a\xffb"),
            Err(RejectReason::InvalidUtf8(1))
        );
        let c = Cleaner::new(Config::default()).unwrap();
        let out = c.try_clean_bytes(b"a\xffb").unwrap();
        assert_eq!(out.text, "a\u{FFFD}b");
        assert_eq!(
            crate::text::apply(b"a\xffb", &out.edits),
            out.text.as_bytes()
        );
    }
}

#[cfg(test)]
mod routing_tests {
    use super::*;

    /// A test rule of a given scope that rewrites every "。" to ". " and every " !" to "!".
    struct Probe(Scope, &'static str);

    impl Rule for Probe {
        fn id(&self) -> &'static str {
            self.1
        }
        fn kind(&self) -> ArtifactKind {
            ArtifactKind::Punctuation
        }
        fn describe(&self) -> &'static str {
            "test probe"
        }
        fn example(&self) -> (&'static str, &'static str) {
            ("", "")
        }
        fn scope(&self) -> Scope {
            self.0
        }
        fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
            for (pat, rep) in [("。", ". "), (" !", "!")] {
                for (i, _) in doc.text.match_indices(pat) {
                    let s = Span::new(i, i + pat.len());
                    out.push(Finding::fix(
                        self.1,
                        ArtifactKind::Punctuation,
                        s,
                        rep,
                        Confidence::Certain,
                        "probe",
                    ));
                }
            }
        }
    }

    fn cleaner(scope: Scope, config: Config) -> Cleaner {
        Cleaner {
            config,
            rules: vec![Box::new(Probe(scope, "test/probe"))],
            dicts: Dictionaries::embedded(),
            corpus_chrome: None,
            priority: BTreeMap::new(),
        }
    }

    const EN: &str = "The minister spoke for an hour and then said: “我们会继续努力。” Nobody was surprised by the speech at all。\n";
    const ZH: &str = "部长讲了一个小时，然后说我们会继续努力。没有人感到意外。\n";
    const FR: &str = "Le ministre a parlé pendant une heure et les journalistes ont applaudi à la fin du discours !\n";

    #[test]
    fn scopes_route_by_language() {
        for scope in [Scope::Latin, Scope::English] {
            let out = cleaner(scope, Config::default()).clean(EN);
            // The stray 。 in English is repaired; the one inside the Chinese quotation is not.
            assert_eq!(
                out.text,
                "The minister spoke for an hour and then said: “我们会继续努力。” Nobody was surprised by the speech at all. \n",
                "{scope:?}"
            );
            assert_eq!(
                cleaner(scope, Config::default()).clean(ZH).text,
                ZH,
                "{scope:?}"
            );
        }
        // Scope::Any rules see CJK text (they keep it safe themselves).
        let out = cleaner(Scope::Any, Config::default()).clean(ZH);
        assert_ne!(out.text, ZH);
        // No rule removes French spacing, whatever its scope.
        for scope in [Scope::Any, Scope::Latin] {
            assert_eq!(
                cleaner(scope, Config::default()).clean(FR).text,
                FR,
                "{scope:?}"
            );
        }
        // English rules do not run on French.
        let en_rule = cleaner(
            Scope::English,
            Config {
                lang: Some("en".into()),
                ..Config::default()
            },
        );
        assert!(en_rule.clean(FR).text.ends_with("discours!\n"));
    }

    #[test]
    fn latin_rules_reach_an_english_abstract_in_a_chinese_article() {
        let text = "Abstract: the survey covers twelve districts and two thousand homes !\n调查覆盖十二个区，两千户家庭，结果显示住得离公园越近的居民越常散步。\n";
        let out = cleaner(Scope::Latin, Config::default()).clean(text);
        assert_eq!(out.profile.lang, "zh");
        assert_eq!(out.text, "Abstract: the survey covers twelve districts and two thousand homes!\n调查覆盖十二个区，两千户家庭，结果显示住得离公园越近的居民越常散步。\n");
    }

    #[test]
    fn zh_en_scope_follows_the_score() {
        let mt = "Shanghai 5 month 3 , The company has 91 Employees return to work , and all stores reopened。\n";
        let open = cleaner(Scope::ZhEn, Config::default()).clean(mt);
        assert!(
            open.profile.zh_en && open.text.ends_with("reopened. \n"),
            "{:?}",
            open.profile
        );
        let shut = cleaner(
            Scope::ZhEn,
            Config {
                zh_en_min_score: 1000.0,
                ..Config::default()
            },
        )
        .clean(mt);
        assert_eq!(shut.text, mt);
    }
}

#[cfg(test)]
mod incremental_tests {
    use super::*;

    /// A line-local test rule: "ZZ" -> "Z" (a run of Zs takes several passes), " || " -> a line
    /// break, "~" + line break -> a space (joins two lines), "FLAG" is flagged, and a line
    /// holding "译" becomes an English sentence.
    struct LineProbe;

    const ID: &str = "test/line-probe";

    /// The parts of a test probe's [`Rule`] impl that say what it is: a line-local rule of
    /// kind Other with id `$id`.
    macro_rules! line_local_probe {
        ($id:expr) => {
            fn id(&self) -> &'static str {
                $id
            }
            fn kind(&self) -> ArtifactKind {
                ArtifactKind::Other
            }
            fn describe(&self) -> &'static str {
                "test probe"
            }
            fn example(&self) -> (&'static str, &'static str) {
                ("", "")
            }
            fn line_local(&self) -> bool {
                true
            }
        };
    }

    impl Rule for LineProbe {
        line_local_probe!(ID);
        fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
            let t = doc.text;
            let fix = |out: &mut Vec<Finding>, i: usize, len: usize, rep: &str| {
                let s = Span::new(i, i + len);
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Other,
                    s,
                    rep,
                    Confidence::Certain,
                    "probe",
                ));
            };
            for (i, _) in t.match_indices("ZZ") {
                fix(out, i, 2, "Z");
            }
            for (i, _) in t.match_indices(" || ") {
                fix(out, i, 4, "\n");
            }
            for (i, _) in t.match_indices("~\n") {
                fix(out, i, 2, " ");
            }
            for (i, _) in t.match_indices("FLAG") {
                out.push(Finding::flag(
                    ID,
                    ArtifactKind::Other,
                    Span::new(i, i + 4),
                    "flagged",
                ));
            }
            let mut at = 0;
            for line in t.split_inclusive('\n') {
                let body = line.trim_end_matches('\n');
                if body.contains('译') {
                    fix(
                        out,
                        at,
                        body.len(),
                        "The translated sentence reads well in English now.",
                    );
                }
                at += line.len();
            }
        }
    }

    fn cleaner() -> Cleaner {
        Cleaner {
            config: Config::default(),
            rules: vec![Box::new(LineProbe)],
            dicts: Dictionaries::embedded(),
            corpus_chrome: None,
            priority: BTreeMap::new(),
        }
    }

    /// Cleans `text` and returns, per pass, whether it was incremental.
    fn clean_traced(c: &Cleaner, text: &str) -> (Cleaned, Vec<bool>) {
        PASS_TRACE.with(|t| t.borrow_mut().clear());
        let out = c.clean(text);
        (out, PASS_TRACE.with(|t| t.borrow().clone()))
    }

    /// A long line of filler (clean runs shorter than MIN_CLEAN_RUN are checked again anyway).
    fn filler(tag: &str) -> String {
        format!(
            "{tag} {}\n",
            "plain words that no rule cares about at all. ".repeat(5)
        )
    }

    #[test]
    fn flags_on_untouched_lines_survive_several_incremental_passes() {
        let text = format!(
            "{}FLAG one\n{}ZZZZZZZZ\n{}FLAG two || FLAG three\n{}",
            filler("a"),
            filler("b"),
            filler("c"),
            filler("d")
        );
        let (out, trace) = clean_traced(&cleaner(), &text);
        // ZZZZZZZZ -> ZZZZ -> ZZ -> Z, then a pass that finds nothing.
        assert_eq!(out.passes, 4);
        assert_eq!(trace, vec![false, true, true, true]);
        let want = format!(
            "{}FLAG one\n{}Z\n{}FLAG two\nFLAG three\n{}",
            filler("a"),
            filler("b"),
            filler("c"),
            filler("d")
        );
        assert_eq!(out.text, want);
        let flagged: Vec<&str> = out.flags.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(flagged, ["FLAG", "FLAG", "FLAG"]);
        // Out spans are right in the final text.
        for f in &out.flags {
            assert_eq!(&out.text[f.out_span.start..f.out_span.end], "FLAG");
        }
        assert_eq!(crate::text::apply_str(&text, &out.edits), out.text);
    }

    #[test]
    fn line_breaks_inserted_and_removed() {
        // Two untouched lines between edited ones: one is a neighbour, the other stays clean.
        let two = |t: &str| filler(t) + &filler(t);
        let text = format!(
            "{}join~\nme FLAG ZZZZ\n{}split || here ZZZZ || FLAG\n{}FLAG at the end ZZ",
            two("a"),
            two("b"),
            two("c"),
        );
        let (out, trace) = clean_traced(&cleaner(), &text);
        assert!(trace.iter().skip(1).all(|&b| b), "{trace:?}");
        assert!(trace.len() >= 3, "{trace:?}");
        let want = format!(
            "{}join me FLAG Z\n{}split\nhere Z\nFLAG\n{}FLAG at the end Z",
            two("a"),
            two("b"),
            two("c"),
        );
        assert_eq!(out.text, want);
        assert_eq!(out.flags.len(), 3);
    }

    #[test]
    fn a_changed_profile_means_a_full_pass() {
        // Chinese lines outweigh the English ones until the probe translates them: the next
        // pass sees an English document and runs in full.
        let zh = "这一行需要翻译成英文，内容很长很长很长很长很长很长很长。\n";
        let text = format!("{}{}{}ZZZZ\n", filler("a"), zh.repeat(12), filler("b"));
        let c = cleaner();
        let before = Profile::compute(&text, c.config());
        let (out, trace) = clean_traced(&c, &text);
        assert_eq!(before.script, "Han");
        assert_ne!(Profile::compute(&out.text, c.config()).script, "Han");
        assert_eq!(trace[..2], [false, false], "{trace:?}");
        assert!(out.text.ends_with("\nZ\n"));
    }

    /// A rule that claims to be line-local but reads where the text starts.
    #[cfg(debug_assertions)]
    struct FalselyLocal;

    #[cfg(debug_assertions)]
    impl Rule for FalselyLocal {
        line_local_probe!("test/falsely-local");
        fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
            if doc.text.starts_with("HEAD") {
                out.push(Finding::flag(
                    self.id(),
                    ArtifactKind::Other,
                    Span::new(0, 4),
                    "head",
                ));
            }
            LineProbe.check(doc, out);
        }
    }

    /// The debug check catches a rule that is not line-local after all.
    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "differs from a full pass")]
    fn a_false_line_local_claim_is_caught() {
        let c = Cleaner {
            config: Config::default(),
            rules: vec![Box::new(FalselyLocal)],
            dicts: Dictionaries::embedded(),
            corpus_chrome: None,
            priority: BTreeMap::new(),
        };
        // The second pass checks "HEAD again" (next to the edit) as a text of its own.
        let text = format!("HEAD {}{}HEAD again\nZZZZ\n", filler("a"), filler("b"));
        c.clean(&text);
    }

    #[test]
    fn carry_marks_edited_lines_and_their_neighbours() {
        let line = |c: char| format!("{}\n", c.to_string().repeat(199)); // 200 bytes a line
        let old: String = "abcdefghij".chars().map(line).collect();
        let e = |s: usize, t: usize, r: &str| {
            Edit::new(
                Span::new(s, t),
                r,
                "x/y",
                ArtifactKind::Other,
                Confidence::Certain,
            )
        };
        let carry = |edits: &[Edit]| {
            let new_len = apply_str(&old, edits).len();
            let found = vec![Some(Vec::new())];
            let key = ProfileKey::of(&Profile::compute(&old, &Config::default()));
            Carry::new(&old, edits, new_len, found, key).unwrap()
        };
        // An edit inside line 4 (0-based): lines 3..=5 are dirty.
        let c = carry(&[e(810, 812, "xyz")]);
        assert_eq!(c.clean, vec![(0, 600, 0), (1200, 2000, 1)]);
        assert_eq!(c.dirty, vec![Span::new(600, 1201)]);
        // A line break inserted in line 2 and one removed at the end of line 7.
        let c = carry(&[e(450, 451, "\n"), e(1599, 1600, "")]);
        assert_eq!(c.clean, vec![(0, 200, 0), (800, 1200, 0)]);
        assert_eq!(c.dirty, vec![Span::new(200, 800), Span::new(1200, 1999)]);
        // An insertion at a line start dirties the line before it too; one at the text end,
        // the last two lines.
        let c = carry(&[e(1000, 1000, "+"), e(2000, 2000, "+")]);
        // (and the line after it, whose start moves).
        assert_eq!(c.clean, vec![(0, 800, 0), (1400, 1600, 1)]);
        assert_eq!(c.dirty, vec![Span::new(800, 1401), Span::new(1601, 2002)]);
        // Old findings are kept only inside clean runs, moved.
        assert_eq!(c.shift_of(1400, 1450), Some(1));
        assert_eq!(c.shift_of(1390, 1450), None);
        assert_eq!(c.shift_of(1599, 1600), Some(1));
        // An empty span at a run's end belongs to the next line.
        assert_eq!(c.shift_of(800, 800), None);
        assert_eq!(c.shift_of(1600, 1600), None);
        // Short clean stretches are checked again: nothing left to keep.
        assert!(Carry::new(
            "ab\ncd\nef\n",
            &[e(1, 1, "x")],
            10,
            vec![Some(Vec::new())],
            ProfileKey::of(&Profile::compute("ab", &Config::default()))
        )
        .is_none());
    }
}
