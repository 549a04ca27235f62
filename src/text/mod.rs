//! Text machinery: spans and edits, byte decoding, character classes and segmentation helpers.

pub mod chars;
pub mod context;
pub mod cp1252;
pub mod decode;
pub mod edit;
pub(crate) mod lanes;
pub mod scan;

pub use edit::{
    apply, apply_str, compose, compose_owned, map_to_orig, ArtifactKind, Confidence, Edit, Span,
};
