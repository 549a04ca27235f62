//! `textmend rules`: every rule with its id, kind, default, description and an example.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;
use textmend::dict::Dictionaries;
use textmend::rules::{all_rules, Scope};

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct RuleInfo {
    id: &'static str,
    kind: &'static str,
    default_on: bool,
    scope: &'static str,
    priority: u8,
    description: &'static str,
    example: Example,
}

#[derive(Serialize)]
struct Example {
    before: &'static str,
    after: &'static str,
}

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Any => "any",
        Scope::Latin => "latin",
        Scope::English => "english",
        Scope::ZhEn => "zh-en",
    }
}

pub fn run(args: RulesArgs) -> Result<u8> {
    let dicts = Dictionaries::embedded();
    let rules: Vec<RuleInfo> = all_rules(&dicts)
        .iter()
        .map(|r| {
            let (before, after) = r.example();
            RuleInfo {
                id: r.id(),
                kind: r.kind().as_str(),
                default_on: r.default_on(),
                scope: scope_name(r.scope()),
                priority: r.priority(),
                description: r.describe(),
                example: Example { before, after },
            }
        })
        .collect();
    // The byte-level decoding stage runs before every rule; its edits carry these ids.
    let mut rules: Vec<RuleInfo> = textmend::text::decode::STAGE
        .iter()
        .map(|&(id, description, before, after)| RuleInfo {
            id,
            kind: textmend::ArtifactKind::Encoding.as_str(),
            default_on: true,
            scope: "bytes",
            priority: 0,
            description,
            example: Example { before, after },
        })
        .chain(rules)
        .collect();
    rules.sort_by_key(|r| r.id);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &rules {
                let on = if r.default_on { "on" } else { "off" };
                writeln!(
                    out,
                    "{:<w$}  {:<14} {:<3}  {}",
                    r.id, r.kind, on, r.description
                )?;
                writeln!(
                    out,
                    "{:<w$}  example: {:?} -> {:?}",
                    "", r.example.before, r.example.after
                )?;
            }
        }
    }
    out.flush()?;
    Ok(super::EXIT_OK)
}
