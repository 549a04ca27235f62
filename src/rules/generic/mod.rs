//! Rules for text in any language. Each keeps CJK text untouched by itself.

use super::RuleCtor;

pub mod spacing;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[spacing::build];
