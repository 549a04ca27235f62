//! The `zh_en` pack. One rule per file; register each with one line in `RULES`.

use super::RuleCtor;

pub mod attribution;
pub mod case;
pub mod counted_noun;
pub mod names;
pub mod sentence_split;
pub mod words;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[
    attribution::build_dateline,
    attribution::build_reporter,
    case::build,
    counted_noun::build,
    names::build,
    names::build_company,
    sentence_split::build,
];
