//! The `en` pack. One rule per file; register each with one line in `RULES`.

use super::RuleCtor;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[];
