//! textmend repairs scraped, machine-translated news into clean, normalized articles, and says
//! for every edit what changed where and by which rule.
//!
//! ```
//! use textmend::{Cleaner, Config};
//!
//! let cleaner = Cleaner::new(Config::default())?;
//! let out = cleaner.clean("Sales rose 5% , the company said .\n");
//! assert_eq!(out.text, "Sales rose 5%, the company said.\n");
//! for edit in &out.edits {
//!     println!("{} {:?} -> {:?}", edit.rule, edit.span, edit.replacement);
//! }
//! # Ok::<(), textmend::BuildError>(())
//! ```
//!
//! The pieces: [`text`] (spans, edits, decoding), [`lang`] (language profile), [`rules`] (the
//! [`rules::Rule`] trait and every rule), [`dict`] (dictionaries as data), [`Cleaner`] (the fix
//! loop), [`io`] and [`pipeline`] (batch cleaning of corpora).

pub mod cleaner;
pub mod config;
pub mod corpus_chrome;
pub mod dict;
pub mod lang;
pub mod review;
pub mod rules;
pub mod text;

pub use cleaner::{BuildError, Cleaned, Cleaner, Flag, RejectReason};
pub use config::Config;
pub use lang::Profile;
pub use rules::{DocView, Finding, Rule, Scope};
pub use text::{ArtifactKind, Confidence, Edit, Span};
pub mod io;
pub mod pipeline;
