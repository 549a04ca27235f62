//! The `structure` pack: page chrome out, metadata kept, title and captions recognized.
//! One rule per file; register each with one line in `RULES`.

use super::RuleCtor;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[];
