//! The `zh_en` pack. One rule per file; register each with one line in `RULES`.

use super::RuleCtor;

pub mod approximation;
pub mod attribution;
pub mod case;
pub mod counted_noun;
pub mod date;
pub mod flags;
pub mod names;
pub mod numeral;
pub mod sentence_split;
pub mod time;
pub mod unit_number;
pub mod words;
pub mod year;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[
    approximation::build,
    attribution::build_dateline,
    attribution::build_reporter,
    case::build,
    counted_noun::build,
    date::build,
    flags::build_missing_figure,
    flags::build_yuan_dollar,
    flags::build_first_person_place,
    flags::build_scrambled_order,
    names::build,
    names::build_company,
    sentence_split::build,
    time::build,
    unit_number::build,
    year::build,
];
