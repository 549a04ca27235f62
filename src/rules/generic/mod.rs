//! Rules for text in any language. Each keeps CJK text untouched by itself.

use super::RuleCtor;

pub mod mixed_language;
pub mod spacing;
pub mod untranslated;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[spacing::build, untranslated::build, mixed_language::build];
