//! Configuration: what runs, with which thresholds and dictionaries.
//!
//! Read from `textmend.toml` (or `--config FILE`) and overridden by flags. Unknown keys are errors
//! that name the file and line.
//!
//! ```toml
//! disable = ["generic/mojibake"]     # rule ids or whole packs ("zh_en")
//! enable = []                        # re-enable rules that are off by default
//! dicts = ["zh_en/names=my-names.tsv"]
//! min_confidence = "likely"          # apply fixes at least this sure: "certain" or "likely"
//! zh_en_min_score = 2.0              # artifact score at which the zh_en pack runs
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::text::Confidence;

/// Everything a [`crate::Cleaner`] is built from. `Config::default()` needs no files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Rule ids or pack names to turn on (including rules that are off by default).
    pub enable: Vec<String>,
    /// Rule ids or pack names to turn off. Wins over `enable`.
    pub disable: Vec<String>,
    /// When non-empty, only these rule ids or packs run.
    pub only: Vec<String>,
    /// Extra dictionary files, each `TABLE=PATH` (e.g. `zh_en/names=mine.tsv`).
    pub dicts: Vec<String>,
    /// Fixes below this confidence are reported as flags and not applied.
    pub min_confidence: Confidence,
    /// Cap on fix-loop passes; reaching it is reported (it is a bug in a rule).
    pub max_passes: usize,
    /// Artifact score (signals per 100 words) from which the zh_en pack runs on English text.
    pub zh_en_min_score: f64,
    /// Force the document language (ISO 639-1 code, e.g. "en"); skips identification.
    pub lang: Option<String>,
    /// Candidate languages for identification (ISO 639-1 codes); empty = all supported.
    pub langs: Vec<String>,
    /// Reject documents with invalid UTF-8 instead of repairing them.
    pub strict: bool,
    /// JSONL field holding the text.
    pub text_field: String,
    /// JSONL field holding the document id.
    pub id_field: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enable: Vec::new(),
            disable: Vec::new(),
            only: Vec::new(),
            dicts: Vec::new(),
            min_confidence: Confidence::Likely,
            max_passes: 8,
            zh_en_min_score: 1.0,
            lang: None,
            langs: Vec::new(),
            strict: false,
            text_field: "text".into(),
            id_field: "id".into(),
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read config: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Value(String),
}

impl Config {
    /// Reads a TOML config file; errors name the file and the line.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.into(),
            source: e,
        })?;
        Self::from_toml(&text, path)
    }

    /// Parses TOML text; `path` is only used in messages.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(0);
            ConfigError::Invalid {
                path: path.into(),
                line,
                message: e.message().trim().to_string(),
            }
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_passes == 0 || self.max_passes > 64 {
            return Err(ConfigError::Value(format!(
                "max_passes must be 1..=64, got {}",
                self.max_passes
            )));
        }
        if !self.zh_en_min_score.is_finite() || self.zh_en_min_score < 0.0 {
            return Err(ConfigError::Value(
                "zh_en_min_score must be a non-negative number".into(),
            ));
        }
        for code in self.lang.iter().chain(&self.langs) {
            crate::lang::check_code(code).map_err(ConfigError::Value)?;
        }
        if let (Some(l), false) = (&self.lang, self.langs.is_empty()) {
            if !self.langs.contains(l) {
                return Err(ConfigError::Value(format!(
                    "lang {l:?} is not among langs {:?}",
                    self.langs
                )));
            }
        }
        if self.min_confidence == Confidence::Unsure {
            return Err(ConfigError::Value(
                "min_confidence \"unsure\" would apply guesses; use \"likely\" or \"certain\""
                    .into(),
            ));
        }
        Ok(())
    }

    /// Whether the rule `id` (in pack `pack`) runs, given its default.
    pub fn rule_enabled(&self, id: &str, default_on: bool) -> bool {
        let pack = id.split('/').next().unwrap_or(id);
        let hit = |list: &[String]| list.iter().any(|x| x == id || x == pack);
        if hit(&self.disable) {
            return false;
        }
        if !self.only.is_empty() {
            return hit(&self.only);
        }
        default_on || hit(&self.enable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_and_line() {
        let err = Config::from_toml("disable = []\n\nbogus = 1\n", Path::new("textmend.toml"))
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("textmend.toml:3:"), "{msg}");
        assert!(msg.contains("bogus"), "{msg}");
    }

    #[test]
    fn values_are_read() {
        let c = Config::from_toml(
            "disable = [\"zh_en\"]\nmin_confidence = \"certain\"\n",
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(c.min_confidence, Confidence::Certain);
        assert!(!c.rule_enabled("zh_en/date", true));
        assert!(c.rule_enabled("generic/spacing", true));
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(Config::from_toml("max_passes = 0\n", Path::new("x")).is_err());
        assert!(Config::from_toml("min_confidence = \"maybe\"\n", Path::new("x")).is_err());
        let e = Config::from_toml("langs = [\"en\", \"xx\"]\n", Path::new("x"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"xx\"") && e.contains("ISO 639-1"), "{e}");
        assert!(Config::from_toml("lang = \"english\"\n", Path::new("x")).is_err());
        assert!(Config::from_toml("lang = \"de\"\nlangs = [\"en\"]\n", Path::new("x")).is_err());
        assert!(
            Config::from_toml("lang = \"de\"\nlangs = [\"en\", \"de\"]\n", Path::new("x")).is_ok()
        );
    }

    #[test]
    fn only_and_enable() {
        let c = Config {
            only: vec!["generic".into()],
            ..Config::default()
        };
        assert!(c.rule_enabled("generic/x", true));
        assert!(!c.rule_enabled("zh_en/x", true));
        let c = Config {
            enable: vec!["en/extra".into()],
            ..Config::default()
        };
        assert!(c.rule_enabled("en/extra", false));
        assert!(!c.rule_enabled("en/other", false));
    }
}
