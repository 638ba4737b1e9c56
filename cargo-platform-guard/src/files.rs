//! Reading files the user names, bounded: only regular files (a FIFO, a
//! device or a directory is an error at once, never a hang or an endless
//! read), at most [`MAX_READ`] bytes, UTF-8.

use std::fs::{File, Metadata};
use std::io::{ErrorKind, Read};
use std::path::Path;

use crate::Failure;

/// The most any file is read: a manifest, a Cargo config file, a page for
/// `doc --check`, a cache file.
pub const MAX_READ: u64 = 16 * 1024 * 1024;

/// What the file is when it is not a regular file.
pub fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Reads `path` (`what` names it in messages: "manifest", "page", ...).
/// `Ok(None)` when it does not exist and `optional` is set.
pub fn read(path: &Path, what: &str, optional: bool) -> Result<Option<String>, Failure> {
    let fail = |why: String| {
        Failure::error(format!(
            "cannot read the {} {}: {}",
            what,
            path.display(),
            why
        ))
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if optional && e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(e.to_string())),
    };
    if !meta.is_file() {
        return Err(fail(format!(
            "it is {}: expected a regular file",
            kind(&meta)
        )));
    }
    let too_large = || {
        fail(format!(
            "it is larger than {} MiB",
            MAX_READ / (1024 * 1024)
        ))
    };
    if meta.len() > MAX_READ {
        return Err(too_large());
    }
    let file = File::open(path).map_err(|e| fail(e.to_string()))?;
    // The same file, not one swapped in since.
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail(format!(
            "it is {}: expected a regular file",
            kind(&meta)
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_READ {
        return Err(too_large());
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        fail(format!(
            "it is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
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
