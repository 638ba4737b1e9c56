//! Reading the files a build or `cargo platform-guard` is given, bounded:
//! only regular files (a FIFO, a device or a directory is an error at once,
//! never a hang or an endless read), at most [`MAX_READ`] bytes. The one
//! reader of the manifest reader, the build script's look at `Cargo.toml`
//! and `build.rs`, and the command's every file.
//!
//! ```
//! # extern crate platform_guard_core as platform_guard;
//! # #[cfg(feature = "manifest")] {
//! use platform_guard::files;
//!
//! let e = files::read_text(std::path::Path::new("/")).unwrap_err();
//! assert_eq!(e.to_string(), "cannot read /: it is a directory: expected a regular file");
//! # }
//! ```

// Without `manifest` only the build script's checks use it: its bytes.
#![cfg_attr(not(feature = "manifest"), allow(dead_code))]

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The most any file is read: 16 MiB (a manifest, a build script, a Cargo
/// config file, a workflow, a page for `doc --check`).
pub const MAX_READ: u64 = 16 << 20;

/// A file that could not be read: its path and why.
#[derive(Debug)]
pub struct ReadError {
    path: PathBuf,
    pub(crate) why: Why,
}

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum Why {
    /// Opening, reading or asking about it failed (it does not exist, no
    /// permission, ...).
    Io(io::Error),
    /// It is not a regular file: what it is ([`kind`]).
    NotAFile(&'static str),
    /// It is larger than [`MAX_READ`].
    TooLarge,
    /// Its bytes are not UTF-8 text; the offset of the first that is not.
    NotUtf8(usize),
}

impl ReadError {
    fn new(path: &Path, why: Why) -> ReadError {
        ReadError {
            path: path.to_path_buf(),
            why,
        }
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file does not exist (for a caller to whom a missing file
    /// is no error).
    pub fn is_not_found(&self) -> bool {
        matches!(&self.why, Why::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }

    /// Why, without the path: `it is a directory: expected a regular file`,
    /// `it is larger than 16 MiB`, `it is not UTF-8 text (byte 12)`, or the
    /// system's message.
    pub fn reason(&self) -> impl fmt::Display + '_ {
        &self.why
    }
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::Io(e) => write!(f, "{}", e),
            Why::NotAFile(kind) => write!(f, "it is {}: expected a regular file", kind),
            Why::TooLarge => write!(f, "it is larger than {} MiB", MAX_READ >> 20),
            Why::NotUtf8(at) => write!(f, "it is not UTF-8 text (byte {})", at),
        }
    }
}

impl fmt::Display for ReadError {
    /// `cannot read <path>: <reason>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.why)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.why {
            Why::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// What a file is when it is not a regular file: `a directory`, `a FIFO
/// (named pipe)`, `a character device`, `a block device`, `a socket`, else
/// `not a regular file`.
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

/// The bytes of the regular file at `path`, at most [`MAX_READ`] of them.
/// The file is asked about before it is opened (so a FIFO is never opened,
/// which could block) and again once open (so a file swapped in between is
/// not read either).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let fail = |why| ReadError::new(path, why);
    let regular = |meta: &Metadata| {
        if !meta.is_file() {
            Err(fail(Why::NotAFile(kind(meta))))
        } else if meta.len() > MAX_READ {
            Err(fail(Why::TooLarge))
        } else {
            Ok(())
        }
    };
    regular(&std::fs::metadata(path).map_err(|e| fail(Why::Io(e)))?)?;
    let file = File::open(path).map_err(|e| fail(Why::Io(e)))?;
    regular(&file.metadata().map_err(|e| fail(Why::Io(e)))?)?;
    let mut bytes = Vec::new();
    file.take(MAX_READ + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(Why::Io(e)))?;
    if bytes.len() as u64 > MAX_READ {
        return Err(fail(Why::TooLarge));
    }
    Ok(bytes)
}

/// The text of the regular file at `path`: [`read_bytes`], which must be
/// UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(path)?)
        .map_err(|e| ReadError::new(path, Why::NotUtf8(e.utf8_error().valid_up_to())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "platform-guard-files-{}-{}",
            name,
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn regular_files_are_read_and_the_rest_is_refused_with_its_kind() {
        let d = dir("kinds");
        let file = d.join("Cargo.toml");
        std::fs::write(&file, "[package]\n").unwrap();
        assert_eq!(read_text(&file).unwrap(), "[package]\n");
        assert_eq!(read_bytes(&file).unwrap(), b"[package]\n");

        let e = read_text(&d).unwrap_err();
        assert_eq!(e.path(), d);
        assert!(!e.is_not_found());
        assert_eq!(
            e.reason().to_string(),
            "it is a directory: expected a regular file"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "cannot read {}: it is a directory: expected a regular file",
                d.display()
            )
        );

        let missing = read_bytes(&d.join("missing")).unwrap_err();
        assert!(missing.is_not_found());
        assert!(std::error::Error::source(&missing).is_some());

        let latin1 = d.join("latin1.txt");
        std::fs::write(&latin1, b"abc\xe9").unwrap();
        assert_eq!(
            read_text(&latin1).unwrap_err().reason().to_string(),
            "it is not UTF-8 text (byte 3)"
        );
        assert_eq!(read_bytes(&latin1).unwrap(), b"abc\xe9");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn files_over_the_limit_are_refused_unread() {
        let d = dir("large");
        let big = d.join("big");
        let f = File::create(&big).unwrap();
        f.set_len(MAX_READ + 1).unwrap();
        assert_eq!(
            read_bytes(&big).unwrap_err().reason().to_string(),
            "it is larger than 16 MiB"
        );
        f.set_len(MAX_READ).unwrap();
        assert_eq!(read_bytes(&big).unwrap().len() as u64, MAX_READ);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_being_opened() {
        let e = read_bytes(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            e.reason().to_string(),
            "it is a character device: expected a regular file"
        );
    }
}
