//! The record a program that uses the guard carries: what it was built
//! for, in a named section a tool can find without running the program (as
//! `go version -m` reads Go's build information, and as cargo-auditable
//! embeds a dependency list).
//!
//! Every `enforce!()` and `check!()` puts one record in the ELF section
//! `.pguard`, on Linux, Android, the BSDs, illumos and Solaris. It is a
//! `#[used]` static, which the section keeps through the linker's
//! `--gc-sections` as `SHF_GNU_RETAIN` (GNU ld 2.36 or later, lld 13 or
//! later; an older linker may drop it). Other targets carry none yet: for
//! PE (Windows) and Mach-O (Apple) `#[used]` only binds the compiler, and
//! MinGW's linker drops such a section.
//! The record is text, at most [`MAX`] bytes: a first line naming the format
//! and its version, `key=value` lines, and an empty line that ends it, so
//! records from several call sites or crates can follow each other in the
//! section:
//!
//! ```text
//! platform-guard record 1
//! target=x86_64-unknown-linux-gnu
//! level=stable
//! override-var=MYAPP_UNSUPPORTED_ARCH
//! override-value=x86_64
//! features=avx,avx2,bmi1,...
//! x86-64-level=3
//! cpu-gate=enforce
//! package=myapp 1.2.0
//! guard=0.1.0
//!
//! ```
//!
//! - `target`, `level`, `override-var`, `override-value`: the verdict the
//!   program enforces (the target triple, its support level, the variable
//!   that lifts a refusal and the value it must hold).
//! - `features`: the CPU features beyond the architecture's baseline that
//!   the compile assumes, comma-separated, among those platform-guard knows
//!   (x86_64 and aarch64; empty for a baseline build or another
//!   architecture).
//! - `x86-64-level`: x86_64 only, the microarchitecture level those
//!   features reach (1 to 4).
//! - `cpu-gate`: `enforce` or `check` when the program tests the CPU before
//!   `main` for those features, `none` when it does not (a baseline build,
//!   or a target the gate does not know).
//! - `package`: the package that expands the macro and its version;
//!   `guard`: platform-guard's version.
//!
//! Values never contain a newline. A reader splits the section at empty
//! lines, checks the first line, and reads the keys it knows (later
//! versions may add keys; a new first line means a format it cannot read).
//! A line that would take a record past [`MAX`] bytes is left out, and the
//! record then ends with a `cut` line before its empty line.

/// The largest a record may be, in bytes.
pub const MAX: usize = 512;

/// The first line, naming the format and its version.
pub(crate) const MAGIC: &str = "platform-guard record 1";

/// A record built at compile time.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Record {
    bytes: [u8; MAX],
    len: usize,
    cut: bool,
}

/// Room kept for `cut\n` and the final empty line.
const RESERVE: usize = 5;

impl Record {
    #[inline]
    pub(crate) const fn new() -> Record {
        let r = Record {
            bytes: [0; MAX],
            len: 0,
            cut: false,
        };
        r.line(&[MAGIC])
    }

    /// Appends one line made of `parts` and a newline, if it fits.
    #[inline]
    pub(crate) const fn line(mut self, parts: &[&str]) -> Record {
        let mut need = 1;
        let mut i = 0;
        while i < parts.len() {
            need += parts[i].len();
            i += 1;
        }
        if self.len + need > MAX - RESERVE {
            self.cut = true;
            return self;
        }
        let mut i = 0;
        while i < parts.len() {
            self = self.put(parts[i].as_bytes());
            i += 1;
        }
        self.put(b"\n")
    }

    #[inline]
    const fn put(mut self, bytes: &[u8]) -> Record {
        let mut i = 0;
        while i < bytes.len() {
            self.bytes[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// Ends the record: `cut` if a line was left out, then the empty line.
    #[inline]
    pub(crate) const fn end(mut self) -> Record {
        if self.cut {
            self = self.put(b"cut\n");
        }
        self.put(b"\n")
    }

    /// Its length in bytes.
    #[doc(hidden)]
    #[inline]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty (never: it has at least its first line).
    #[doc(hidden)]
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Its bytes, as an array of its exact length `N` (= [`Record::len`]).
    #[doc(hidden)]
    #[inline]
    pub const fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut out = [0; N];
        let mut i = 0;
        while i < N && i < self.len {
            out[i] = self.bytes[i];
            i += 1;
        }
        out
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap()
    }
}

/// A record's `key=value` for a comma-separated list built at compile time
/// (the feature names): `names` joined by `,`, cut at `MAX`.
pub(crate) struct List {
    bytes: [u8; MAX],
    len: usize,
}

impl List {
    #[inline]
    pub(crate) const fn new() -> List {
        List {
            bytes: [0; MAX],
            len: 0,
        }
    }

    #[inline]
    pub(crate) const fn push(mut self, name: &str) -> List {
        let name = name.as_bytes();
        if self.len + name.len() + 1 > MAX {
            return self;
        }
        if self.len > 0 {
            self.bytes[self.len] = b',';
            self.len += 1;
        }
        let mut i = 0;
        while i < name.len() {
            self.bytes[self.len] = name[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    #[inline]
    pub(crate) const fn as_str(&self) -> &str {
        match core::str::from_utf8(crate::const_text::prefix(&self.bytes, self.len)) {
            Ok(s) => s,
            Err(_) => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_do_not_fit_are_left_out_and_the_record_says_so() {
        let r = Record::new().line(&["a=", "b"]).end();
        assert_eq!(r.as_str(), "platform-guard record 1\na=b\n\n");
        assert_eq!(r.len(), r.as_str().len());
        let long = "x".repeat(600);
        let r = Record::new().line(&["k=", &long]).line(&["z=1"]).end();
        assert_eq!(r.as_str(), "platform-guard record 1\nz=1\ncut\n\n");
        let mut r = Record::new();
        for _ in 0..100 {
            r = r.line(&["key=value"]);
        }
        let r = r.end();
        assert!(r.len() <= MAX, "{}", r.len());
        assert!(r.as_str().ends_with("key=value\ncut\n\n"));
        const R: Record = Record::new().line(&["a=b"]).end();
        let bytes: [u8; R.len()] = R.bytes();
        assert_eq!(&bytes[..], b"platform-guard record 1\na=b\n\n");
    }

    #[test]
    fn lists_are_comma_separated() {
        assert_eq!(List::new().as_str(), "");
        assert_eq!(List::new().push("avx").push("avx2").as_str(), "avx,avx2");
    }
}
