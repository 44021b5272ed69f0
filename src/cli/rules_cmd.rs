use super::common::{load_engine, ConfigArgs, Outcome};
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Check every rule (built-in and the config's) against its own [rules.examples]: list the
    /// examples a rule gets wrong and exit 1 if there is any.
    #[arg(long, conflicts_with = "json")]
    pub check: bool,
    /// Directory whose .leakguard.toml to use.
    #[arg(default_value = ".")]
    pub root: PathBuf,
}

pub fn run(a: Args) -> Result<Outcome> {
    let engine = load_engine(&a.config, &a.root)?;
    // Written, not println!'d: a closed pipe (`leakguard rules | head -1`) is then an error main
    // can recognise and end quietly on, instead of a panic.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if a.check {
        return check(&engine, &mut out);
    }
    if a.json {
        let rules: Vec<_> = engine
            .rules()
            .iter()
            .map(|r| {
                let mut rule = serde_json::json!({
                    "id": &*r.id,
                    "aliases": r.aliases,
                    "description": &*r.description,
                    "keywords": r.keywords,
                    "path": r.path.as_ref().map(|p| p.as_str()),
                    "entropy": r.entropy,
                    "tags": &*r.tags,
                    "severity": r.severity.as_str(),
                    "origin": r.origin,
                });
                // Only where a rule has one: the listing's shape stays as it was for the others.
                if let Some(v) = r.short_validator {
                    rule["shortValidator"] = v.name().into();
                }
                rule
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rules)?)?;
    } else {
        let width = engine.rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
        // gitleaks' ids for the same credential, which configs and .gitleaksignore may use.
        for r in engine.rules() {
            if r.aliases.is_empty() {
                writeln!(out, "{:width$}  {}", r.id, r.description)?;
            } else {
                writeln!(
                    out,
                    "{:width$}  {} (also: {})",
                    r.id,
                    r.description,
                    r.aliases.join(", ")
                )?;
            }
        }
        writeln!(out, "{} rules", engine.rules().len())?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

fn check(engine: &leakguard::Engine, out: &mut dyn Write) -> Result<Outcome> {
    let failures = leakguard::examples::check(engine);
    let rules = engine.rules();
    let with_examples = rules.iter().filter(|r| r.examples().is_some()).count();
    for f in &failures {
        writeln!(out, "FAIL {} ({}): {}", f.rule_id, f.origin, f.problem)?;
    }
    let failing: std::collections::BTreeSet<&str> =
        failures.iter().map(|f| f.rule_id.as_str()).collect();
    writeln!(
        out,
        "{} of {with_examples} rule{} with examples pass{}{}",
        with_examples - failing.len(),
        if with_examples == 1 { "" } else { "s" },
        if failures.is_empty() {
            ""
        } else {
            "; failing: "
        },
        failing.into_iter().collect::<Vec<_>>().join(", ")
    )?;
    let without = rules.len() - with_examples;
    if without > 0 {
        writeln!(
            out,
            "{without} rule{} without examples (add [rules.examples] to test {})",
            if without == 1 { "" } else { "s" },
            if without == 1 { "it" } else { "them" }
        )?;
    }
    out.flush()?;
    Ok(if failures.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
