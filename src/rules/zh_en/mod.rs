//! The `zh_en` pack. One rule per file; register each with one line in `RULES`.

use super::RuleCtor;

pub mod attribution;
pub mod case;
pub mod counted_noun;
pub mod flags;
pub mod names;
pub mod sentence_split;
pub mod words;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[
    attribution::build_dateline,
    attribution::build_reporter,
    case::build,
    counted_noun::build,
    flags::build_missing_figure,
    flags::build_yuan_dollar,
    flags::build_first_person_place,
    names::build,
    names::build_company,
    sentence_split::build,
];
