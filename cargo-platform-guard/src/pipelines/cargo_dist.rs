//! cargo-dist: the targets a release ships, from `targets` in `[dist]` of
//! `dist-workspace.toml`, and in `[workspace.metadata.dist]` and
//! `[package.metadata.dist]` of Cargo.toml.

use super::{own_toml, Found, Inputs, Mention, Reader, TomlFile, Use};
use crate::context::Failure;
use crate::toml_doc;

pub const READER: Reader = Reader {
    files: dist_workspace,
    manifest,
};

/// `dist-workspace.toml`'s `[dist] targets`.
fn dist_workspace(inputs: &Inputs<'_>) -> Result<Found, Failure> {
    own_toml(
        inputs,
        "dist-workspace.toml",
        "cargo-dist configuration",
        |file| match toml_doc::table(file.root(), "dist") {
            Some(t) => file.targets(
                t,
                "targets",
                "cargo-dist [dist] targets",
                Use::Ships,
                inputs.known,
            ),
            None => Vec::new(),
        },
    )
}

/// `[workspace.metadata.dist]` and `[package.metadata.dist]` `targets`.
fn manifest(file: &TomlFile<'_>, inputs: &Inputs<'_>) -> Vec<Mention> {
    let mut out = Vec::new();
    for path in ["workspace.metadata.dist", "package.metadata.dist"] {
        if let Some(t) = toml_doc::table_at(file.root(), path) {
            let what = format!("[{}] targets", path);
            let found = file.targets(t, "targets", &what, Use::Ships, inputs.known);
            out.extend(if path.starts_with("package.") {
                file.of_package(found)
            } else {
                found
            });
        }
    }
    out
}
