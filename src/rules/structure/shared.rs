//! Facts about a pass's text that several rules need (not a rule): the line list, the title
//! line, the kept label of each line (the `structure` rules), the spaces after numbers (the
//! `zh_en` number rules). Each is worked out on first use and kept in the
//! [`DocView`] (one per pass, see [`DocView::structure`]), so the rules of one pass share it.
//!
//! Every rule builds the same [`Chrome`] from the same dictionaries, so whichever rule asks first
//! fills a fact in with its own and the others get what theirs would find.

use std::cell::OnceCell;

use super::chrome::{Chrome, Label};
use super::lines::{is_blank, trimmed};
use crate::rules::DocView;

/// The shared facts of one view's text (empty until asked for).
#[derive(Debug, Default)]
pub struct Shared<'a> {
    lines: OnceCell<Vec<(usize, usize)>>,
    title: OnceCell<Option<usize>>,
    labels: OnceCell<Vec<Option<Label<'a>>>>,
    /// See [`number_spaces`] and [`digit_before_non_ascii`].
    number_spaces: OnceCell<(Vec<usize>, bool)>,
}

/// [`crate::rules::zh_en::words::number_spaces`] of the view's text: the number rules share
/// one scan for digits.
pub fn number_spaces<'v>(doc: &'v DocView<'_>) -> &'v [usize] {
    &number_scan(doc).0
}

/// Whether a run of ASCII digits in the view's text ends at a non-ASCII byte (found by the same
/// scan as [`number_spaces`]).
pub fn digit_before_non_ascii(doc: &DocView<'_>) -> bool {
    number_scan(doc).1
}

fn number_scan<'v>(doc: &'v DocView<'_>) -> &'v (Vec<usize>, bool) {
    doc.structure
        .number_spaces
        .get_or_init(|| crate::rules::zh_en::words::number_scan(doc.text))
}

/// Byte ranges of all lines of the view's text (see [`super::lines::lines`]).
pub fn lines<'v>(doc: &'v DocView<'_>) -> &'v [(usize, usize)] {
    doc.structure
        .lines
        .get_or_init(|| super::lines::lines(doc.text))
}

/// [`Chrome::title_index`] of the view's text.
pub fn title_index(doc: &DocView<'_>, chrome: &Chrome) -> Option<usize> {
    *doc.structure
        .title
        .get_or_init(|| chrome.title_index(doc.text, lines(doc)))
}

/// [`Chrome::label`] of line `i` (trimmed); `None` for a blank line.
pub fn label<'v, 'a>(doc: &'v DocView<'a>, chrome: &Chrome, i: usize) -> Option<&'v Label<'a>> {
    let text: &'a str = doc.text;
    doc.structure
        .labels
        .get_or_init(|| {
            lines(doc)
                .iter()
                .map(|&l| {
                    if is_blank(text, l) {
                        return None;
                    }
                    chrome.label(trimmed(text, l).0)
                })
                .collect()
        })
        .get(i)?
        .as_ref()
}
