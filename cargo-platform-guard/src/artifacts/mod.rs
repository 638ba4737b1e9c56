//! What a shipped file says about the platform it is for, read from its
//! headers with the `object` crate (ELF, Mach-O, PE; read-only): the
//! architecture, the rustc targets it can be, the C library and the
//! newest symbol versions it needs, the oldest macOS or Windows it states,
//! and its platform-guard records (the ELF notes of `.note.pguard`, Mach-O
//! `__TEXT,__pguard`).
//!
//! Only the headers and the small sections named here are read, through
//! `object`'s read cache over the open file (never the whole file): a
//! 100 MB program is read in a few hundred kilobytes.

use std::fs::File;
use std::path::Path;

use object::read::ReadCache;
use object::FileKind;
use platform_guard::EmbeddedRecord;
use serde::Serialize;

use crate::context::Failure;

mod elf;
mod macho;
mod pe;

/// Files read: each as named, with its facts (one per slice).
pub type Files = Vec<(String, Vec<Facts>)>;

/// The data a file is read through: only the ranges asked for.
type Data<'a> = &'a ReadCache<File>;

/// What one program (or one slice of a universal Mach-O file) says.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// `ELF`, `Mach-O` or `PE`.
    pub format: &'static str,
    /// The slice of a universal (fat) Mach-O file: its architecture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slice: Option<String>,
    /// `executable`, `shared library`, `object file`, ...
    pub kind: &'static str,
    /// rustc's `target_arch` (`x86_64`, `x86`, `aarch64`, ...).
    pub arch: String,
    pub bits: u8,
    /// `little` or `big`.
    pub endian: &'static str,
    /// The rustc targets the headers fit, the likeliest first.
    pub candidates: Vec<String>,
    /// What the candidates were told from (`interpreter
    /// /lib64/ld-linux-x86-64.so.2`, `GNU ABI note: Linux 3.2.0`, ...).
    pub clues: Vec<String>,
    pub libc: Option<Libc>,
    /// The newest version needed of each versioned library (`GLIBC_2.34`,
    /// `GCC_4.2.0`, `GLIBCXX_3.4.29`, `CXXABI_1.3.13`).
    pub needs: Vec<Need>,
    /// The oldest operating system the file states it runs on.
    pub min_os: Option<MinOs>,
    #[serde(skip)]
    pub records: Vec<EmbeddedRecord>,
    /// The records' section (`.note.pguard`, `__TEXT,__pguard`) and why it
    /// could not be read, if it could not.
    #[serde(skip)]
    pub record_error: Option<(String, String)>,
}

/// The C library a program uses, and how it is linked.
#[derive(Debug, Clone, Serialize)]
pub struct Libc {
    /// `glibc`, `musl`, `bionic`, or `unknown`.
    pub name: &'static str,
    /// `dynamic` or `static`.
    pub linking: &'static str,
}

/// The newest version of a versioned library a program needs, and some of
/// the symbols that need it.
#[derive(Debug, Clone, Serialize)]
pub struct Need {
    /// `GLIBC_2.34`.
    pub version: String,
    /// The library that defines it (`libc.so.6`).
    pub library: String,
    /// Up to three symbols that need it.
    pub symbols: Vec<String>,
}

impl Need {
    /// `GLIBC` of `GLIBC_2.34`.
    pub fn prefix(&self) -> &str {
        self.version.rsplit_once('_').map_or("", |(p, _)| p)
    }

    /// `2.34` of `GLIBC_2.34`.
    pub fn number(&self) -> &str {
        self.version.rsplit_once('_').map_or("", |(_, n)| n)
    }
}

/// The oldest system a file states it runs on.
#[derive(Debug, Clone, Serialize)]
pub struct MinOs {
    /// `macos`, `ios`, `linux` (kernel), `windows`, ...
    pub os: String,
    pub version: String,
    /// Where it is written (`LC_BUILD_VERSION`, `MajorSubsystemVersion`,
    /// `GNU ABI note`).
    pub from: String,
}

/// Reads the facts of the file at `path` (one per slice of a universal
/// Mach-O file). A file that is not a regular file, cannot be read, or is
/// not an ELF, Mach-O or PE file is an error naming it.
pub fn read(path: &Path) -> Result<Vec<Facts>, Failure> {
    let fail = |why: String| Failure::error(format!("cannot inspect {}: {}", path.display(), why));
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail(format!(
            "it is {}: expected a program or library (ELF, Mach-O or PE)",
            platform_guard::files::kind(&meta)
        )));
    }
    let file = File::open(path).map_err(|e| fail(e.to_string()))?;
    let data = ReadCache::new(file);
    let kind = FileKind::parse(&data).map_err(|_| {
        fail(format!(
            "it is not an ELF, Mach-O or PE file ({})",
            describe_start(&data)
        ))
    })?;
    let malformed =
        |e: object::read::Error| fail(format!("a malformed {}: {}", kind_name(kind), e));
    match kind {
        FileKind::Elf32 | FileKind::Elf64 => elf::read(&data, kind).map(|f| vec![f]),
        FileKind::MachO32 | FileKind::MachO64 => macho::read(&data, 0, None).map(|f| vec![f]),
        FileKind::MachOFat32 | FileKind::MachOFat64 => macho::read_fat(&data, kind),
        FileKind::Pe32 | FileKind::Pe64 => pe::read(&data, kind).map(|f| vec![f]),
        _ => {
            return Err(fail(format!(
                "it is {}: expected a program or library (ELF, Mach-O or PE)",
                kind_name(kind)
            )))
        }
    }
    .map_err(malformed)
}

/// Every program or library (ELF, Mach-O, PE) under `dir`, read, in
/// path order, named relative to `shown` (the directory as given); the
/// number of other files skipped. Symbolic links to directories are not
/// followed; a malformed program is an error naming it.
pub fn read_dir(dir: &Path, shown: &Path) -> Result<(Files, usize), Failure> {
    let mut found = Vec::new();
    let mut skipped = 0;
    let mut pending = vec![(dir.to_path_buf(), shown.to_path_buf(), 0)];
    while let Some((at, name, depth)) = pending.pop() {
        let entries = std::fs::read_dir(&at)
            .map_err(|e| Failure::error(format!("--artifacts {}: {}", name.display(), e)))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries.into_iter().rev() {
            let path = entry.path();
            let shown = name.join(entry.file_name());
            let kind = entry
                .file_type()
                .map_err(|e| Failure::error(format!("{}: {}", shown.display(), e)))?;
            if kind.is_dir() && depth < 16 {
                pending.push((path, shown, depth + 1));
            } else if kind.is_file() && is_program(&path) {
                found.push((shown.display().to_string(), read(&path)?));
            } else {
                skipped += 1;
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((found, skipped))
}

/// Whether the file starts like an ELF, Mach-O or PE file.
fn is_program(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let data = ReadCache::new(file);
    matches!(
        FileKind::parse(&data),
        Ok(FileKind::Elf32
            | FileKind::Elf64
            | FileKind::MachO32
            | FileKind::MachO64
            | FileKind::MachOFat32
            | FileKind::MachOFat64
            | FileKind::Pe32
            | FileKind::Pe64)
    )
}

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Elf32 | FileKind::Elf64 => "ELF file",
        FileKind::MachO32 | FileKind::MachO64 => "Mach-O file",
        FileKind::MachOFat32 | FileKind::MachOFat64 => "universal Mach-O file",
        FileKind::Pe32 | FileKind::Pe64 => "PE file",
        FileKind::Coff | FileKind::CoffBig | FileKind::CoffImport => "a COFF object file",
        FileKind::DyldCache => "a dyld shared cache",
        _ => "a file of another format",
    }
}

/// `it is empty`, or its first bytes, for the message about a file that
/// is not a program.
fn describe_start(data: Data<'_>) -> String {
    use object::ReadRef;
    let len = data.len().unwrap_or(0);
    if len == 0 {
        return "it is empty".to_string();
    }
    let head = data.read_bytes_at(0, len.min(8)).unwrap_or(&[]);
    let hex: Vec<String> = head.iter().map(|b| format!("{:02x}", b)).collect();
    format!("it starts with {}", hex.join(" "))
}

/// The records in a Mach-O records section's bytes (text), or why they
/// cannot be read.
fn read_records(bytes: &[u8]) -> Result<Vec<EmbeddedRecord>, String> {
    EmbeddedRecord::parse_section(bytes).map_err(|e| e.to_string())
}

/// A NUL-terminated or plain byte string as text.
fn text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// `major.minor.patch` from Mach-O's packed `xxxx.yy.zz`, without a zero
/// patch.
fn packed_version(v: u32) -> String {
    let (major, minor, patch) = (v >> 16, (v >> 8) & 0xff, v & 0xff);
    if patch == 0 {
        format!("{}.{}", major, minor)
    } else {
        format!("{}.{}.{}", major, minor, patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_names_read_as_written() {
        assert_eq!(packed_version(0x000b_0000), "11.0");
        assert_eq!(packed_version(0x000a_0f07), "10.15.7");
        assert_eq!(text(b"libc.so.6\0junk"), "libc.so.6");
        let need = Need {
            version: "GLIBC_2.34".to_string(),
            library: "libc.so.6".to_string(),
            symbols: Vec::new(),
        };
        assert_eq!((need.prefix(), need.number()), ("GLIBC", "2.34"));
    }
}
