//! cross: the targets it builds, from its target tables (`[target.<triple>]`)
//! and `[build] default-target`, in `Cross.toml` and in
//! `[package.metadata.cross]` and `[workspace.metadata.cross]` of
//! Cargo.toml.

use toml::de::DeTable;

use super::{own_toml, Found, Inputs, Mention, Reader, TomlFile, Use};
use crate::context::Failure;
use crate::toml_doc;

pub const READER: Reader = Reader {
    files: cross_toml,
    manifest,
};

/// `Cross.toml`.
fn cross_toml(inputs: &Inputs<'_>) -> Result<Found, Failure> {
    own_toml(inputs, "Cross.toml", "cross configuration", |file| {
        tables(file, file.root(), "Cross.toml", inputs.known)
    })
}

/// `[package.metadata.cross]` and `[workspace.metadata.cross]`.
fn manifest(file: &TomlFile<'_>, inputs: &Inputs<'_>) -> Vec<Mention> {
    let mut out = Vec::new();
    for path in ["package.metadata.cross", "workspace.metadata.cross"] {
        if let Some(t) = toml_doc::table_at(file.root(), path) {
            let what = format!("[{}]", path);
            let found = tables(file, t, &what, inputs.known);
            out.extend(if path.starts_with("package.") {
                file.of_package(found)
            } else {
                found
            });
        }
    }
    out
}

/// The `[target.<triple>]` tables and `[build] default-target` of `t`, a
/// cross configuration (`what` names it: `Cross.toml`, `[package.metadata.cross]`).
fn tables(file: &TomlFile<'_>, t: &DeTable<'_>, what: &str, known: &[String]) -> Vec<Mention> {
    let mut out = Vec::new();
    if let Some(targets) = toml_doc::table(t, "target") {
        for (k, _) in targets.iter() {
            out.push(Mention::new(
                k.get_ref(),
                &file.rel,
                file.line(k.span().start),
                Use::Builds,
                format!("cross {} target table", what),
                known,
            ));
        }
    }
    if let Some(build) = toml_doc::table(t, "build") {
        let what = format!("cross {} default-target", what);
        out.extend(file.targets(build, "default-target", &what, Use::Builds, known));
    }
    out
}
