//! GitHub Actions: the targets each job of a workflow
//! (`.github/workflows/*.yml`, `*.yaml`) builds. Per job: the matrix (its
//! values and `include` entries, expanded as GitHub expands them,
//! `exclude` applied; `matrix`), `--target T` / `--target=T` and `rustup
//! target add T...` in `run` scripts, with `${{ matrix.KEY }}` read from
//! each matrix combination (`script`, `expr`), the `target`/`targets`
//! inputs of actions (dtolnay/rust-toolchain,
//! actions-rust-lang/setup-rust-toolchain, actions-rs/toolchain,
//! houseabsolute/actions-rust-cross, taiki-e/upload-rust-binary-action,
//! ...) and `--target` in an action's `args` (`steps`); a job that names no
//! target builds for its runner (`runs-on: ubuntu-latest` is
//! `x86_64-unknown-linux-gnu`) when it runs Cargo or cross (`runner`). A
//! workflow's targets are shipped when it is a release workflow, else
//! built (`shipping`).
//!
//! A matrix computed at run time (`${{ fromJSON(...) }}`) cannot be read:
//! it is reported as opaque, with its line.
//!
//! The pieces: `job` reads one job with the others; `matrix` expands a
//! matrix into combinations; `expr` evaluates GitHub expressions in a
//! combination; `script` recognises Cargo commands and targets in shell
//! text; `steps` reads `run` and `uses` steps; `runner` maps runner labels
//! to hosts; `shipping` decides whether a workflow ships.

use std::path::{Path, PathBuf};

use super::{Found, Inputs, Reader, Use, Workflow};
use crate::files;
use crate::yaml::{self, Node};
use crate::Failure;

mod expr;
mod job;
mod matrix;
mod runner;
mod script;
mod shipping;
mod steps;

pub const READER: Reader = Reader {
    files: workflows,
    manifest: super::no_manifest,
};

/// Every workflow under `.github/workflows`, by file name.
fn workflows(inputs: &Inputs<'_>) -> Result<Found, Failure> {
    let mut found = Found::default();
    let dir = inputs.root.join(".github").join("workflows");
    if !dir.is_dir() {
        return Ok(found);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Failure::error(format!("cannot read {}: {}", dir.display(), e)))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    paths.sort();
    for p in paths {
        let rel = files::relative(inputs.root, &p);
        let w = read_workflow(&p, &rel, inputs.known)?;
        found.files.push(rel);
        found.workflows.push(w);
    }
    Ok(found)
}

/// Reads one workflow file (`rel` names it in messages and mentions;
/// `known` is rustc's target list).
pub fn read_workflow(path: &Path, rel: &str, known: &[String]) -> Result<Workflow, Failure> {
    let text = files::read_text(path, "workflow")?;
    let doc = parse(&text, rel)?;
    let used = if shipping::is_release(&doc, rel) {
        Use::Ships
    } else {
        Use::Builds
    };
    let origin = job::Origin { rel, used, known };
    let jobs = doc
        .get("jobs")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(id, node)| job::read(id, node, &origin))
        .collect();
    Ok(Workflow {
        file: rel.to_string(),
        jobs,
    })
}

/// The workflow's YAML: a mapping, else an error naming the file and line.
fn parse(text: &str, rel: &str) -> Result<Node, Failure> {
    let doc = yaml::parse(text).map_err(|(line, col, why)| {
        Failure::error(format!("{}:{}:{}: not valid YAML: {}", rel, line, col, why))
    })?;
    if !matches!(doc.kind, yaml::Kind::Map(_)) {
        return Err(Failure::error(format!(
            "{}:{}: expected a GitHub Actions workflow (a mapping with `jobs`), found {}",
            rel,
            doc.line,
            match doc.kind {
                yaml::Kind::Seq(_) => "a sequence",
                _ => "a scalar",
            }
        )));
    }
    Ok(doc)
}
