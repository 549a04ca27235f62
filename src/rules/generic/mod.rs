//! Rules for text in any language. Each keeps CJK text untouched by itself.

use super::RuleCtor;

pub mod cjk_punctuation;
pub mod mixed_language;
pub mod mojibake;
pub mod spacing;
pub mod unicode;
pub mod untranslated;

/// The pack's rules, one line each.
pub const RULES: &[RuleCtor] = &[
    unicode::build,
    mojibake::build,
    cjk_punctuation::build,
    spacing::build,
    untranslated::build,
    mixed_language::build,
];
