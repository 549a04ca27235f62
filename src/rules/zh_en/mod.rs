//! The `zh_en` pack. One rule per file; register each with one line in `RULES`.

use super::RuleCtor;

pub mod approximation;
pub mod date;
pub mod numeral;
pub mod time;
pub mod unit_number;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[
    approximation::build,
    date::build,
    time::build,
    unit_number::build,
];
