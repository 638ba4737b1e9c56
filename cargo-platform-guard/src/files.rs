//! Reading files the user names through the library's bounded reader
//! (`platform_guard::files`: only regular files, at most [`MAX_READ`]
//! bytes, UTF-8), with the command's wording: what the file is for.

use std::path::Path;

use crate::context::Failure;

pub use platform_guard::files::{kind, MAX_READ};

/// Reads `path` (`what` names it in messages: "manifest", "page", ...).
/// `Ok(None)` when it does not exist and `optional` is set.
pub fn read(path: &Path, what: &str, optional: bool) -> Result<Option<String>, Failure> {
    match platform_guard::files::read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if optional && e.is_not_found() => Ok(None),
        Err(e) => Err(Failure::error(format!(
            "cannot read the {} {}: {}",
            what,
            path.display(),
            e.reason()
        ))),
    }
}

/// Reads a file that must exist.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    read(path, what, false).map(|t| t.unwrap_or_default())
}

/// `path` relative to `root`, with `/` (the path as given when it is not
/// under `root`): how reports name a repository's files.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
