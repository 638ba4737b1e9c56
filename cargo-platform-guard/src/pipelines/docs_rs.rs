//! docs.rs: the targets it documents, from `targets` and `default-target`
//! in `[package.metadata.docs.rs]` of Cargo.toml (it has no file of its
//! own).

use super::{Inputs, Mention, Reader, TomlFile, Use};
use crate::toml_doc;

pub const READER: Reader = Reader {
    files: super::no_files,
    manifest,
};

/// `[package.metadata.docs.rs]` `targets`, then `default-target`.
fn manifest(file: &TomlFile<'_>, inputs: &Inputs<'_>) -> Vec<Mention> {
    let Some(t) = toml_doc::table_at(file.root(), "package.metadata.docs.rs") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["targets", "default-target"] {
        let what = format!("[package.metadata.docs.rs] {}", key);
        out.extend(file.targets(t, key, &what, Use::Documents, inputs.known));
    }
    file.of_package(out)
}
