//! The `structure` pack: page chrome out, metadata kept, title and captions recognized.
//! One rule per file; register each with one line in `RULES`.
//!
//! Chrome rules remove whole lines (kind `chrome`, priority 10) so the change log says what went
//! and can be undone; what the page says about the article (title, date, author, reporter,
//! dateline, source, image source) is kept as metadata. The phrase lists are data:
//! `dictionaries/boilerplate/<lang>.tsv` (all languages are loaded for every document) and
//! `dictionaries/structure/labels.tsv` (labels of kept lines: bylines, source, captions).
//!
//! Corpus mode: lines repeated across many documents of a corpus are chrome too (site footers,
//! navigation). See [`crate::corpus_chrome`] for the counting pass and
//! [`crate::Cleaner::with_corpus_chrome`]; the rule [`repeated_line`] removes them.

use super::{Finding, RuleCtor};
use crate::text::{ArtifactKind, Confidence};

pub mod chrome;
pub mod lines;
pub mod shared;

pub mod boilerplate;
pub mod breadcrumb;
pub mod byline;
pub mod caption;
pub mod dateline;
pub mod duplicate_title;
pub mod end_mark;
pub mod page_stamp;
pub mod repeated_line;
pub mod site_name;
pub mod source_line;
pub mod title;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[
    boilerplate::build,
    breadcrumb::build,
    byline::build,
    caption::build,
    dateline::build,
    duplicate_title::build,
    end_mark::build,
    page_stamp::build,
    repeated_line::build,
    site_name::build,
    source_line::build,
    title::build,
];

/// Priority of chrome removal (wins over every repair inside the removed line).
pub const CHROME_PRIORITY: u8 = 10;

/// A finding that removes line `i` of `text` whole (see [`lines::removal_span`]).
pub(crate) fn remove_line(
    rule: &'static str,
    text: &str,
    ls: &[(usize, usize)],
    i: usize,
    confidence: Confidence,
    message: impl Into<std::borrow::Cow<'static, str>>,
) -> Option<Finding> {
    let span = lines::removal_span(text, ls, i)?;
    Some(Finding::fix(
        rule,
        ArtifactKind::Chrome,
        span,
        "",
        confidence,
        message,
    ))
}
