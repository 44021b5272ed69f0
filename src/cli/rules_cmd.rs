use super::common::{load_engine, ConfigArgs, Outcome};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Directory whose .leakguard.toml to use.
    #[arg(default_value = ".")]
    pub root: PathBuf,
}

pub fn run(a: Args) -> Result<Outcome> {
    let engine = load_engine(&a.config, &a.root)?;
    if a.json {
        let rules: Vec<_> = engine
            .rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": &*r.id,
                    "aliases": r.aliases,
                    "description": &*r.description,
                    "keywords": r.keywords,
                    "path": r.path.as_ref().map(|p| p.as_str()),
                    "entropy": r.entropy,
                    "tags": &*r.tags,
                    "origin": r.origin,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rules)?);
    } else {
        let width = engine.rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
        // gitleaks' ids for the same credential, which configs and .gitleaksignore may use.
        for r in engine.rules() {
            if r.aliases.is_empty() {
                println!("{:width$}  {}", r.id, r.description);
            } else {
                println!(
                    "{:width$}  {} (also: {})",
                    r.id,
                    r.description,
                    r.aliases.join(", ")
                );
            }
        }
        println!("{} rules", engine.rules().len());
    }
    Ok(Outcome::Clean)
}
