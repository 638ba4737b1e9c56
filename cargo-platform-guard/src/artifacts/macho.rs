//! Mach-O: the CPU type, and the platform and oldest OS version from
//! `LC_BUILD_VERSION` or `LC_VERSION_MIN_*`; the platform-guard records in
//! the section `__TEXT,__pguard`; each slice of a universal (fat) file on
//! its own.

use object::macho::{self, FatArch32, FatArch64, MachHeader32, MachHeader64};
use object::read::macho::{FatArch, LoadCommandData, MachHeader, MachOFatFile, Section, Segment};
use object::read::{ReadRef, Result};
use object::{Endianness, FileKind};
use platform_guard::{EmbeddedRecord, RECORD_MACHO_SECTION, RECORD_MACHO_SEGMENT};

use super::{packed_version, read_records, Data, Facts, MinOs};

pub fn read_fat(data: Data<'_>, kind: FileKind) -> Result<Vec<Facts>> {
    let slices: Vec<(u64, u32)> = match kind {
        FileKind::MachOFat64 => MachOFatFile::<FatArch64>::parse(data)?
            .arches()
            .iter()
            .map(|a| (a.offset(), a.cputype()))
            .collect(),
        _ => MachOFatFile::<FatArch32>::parse(data)?
            .arches()
            .iter()
            .map(|a| (a.offset().into(), a.cputype()))
            .collect(),
    };
    slices
        .into_iter()
        .map(|(offset, cputype)| read(data, offset, Some(cpu_name(cputype).to_string())))
        .collect()
}

/// The Mach-O file at `offset` (a slice of a universal file, or 0).
pub fn read(data: Data<'_>, offset: u64, slice: Option<String>) -> Result<Facts> {
    match object::FileKind::parse_at(data, offset)? {
        FileKind::MachO64 => read_as::<MachHeader64<Endianness>>(data, offset, slice),
        _ => read_as::<MachHeader32<Endianness>>(data, offset, slice),
    }
}

fn read_as<Mach: MachHeader<Endian = Endianness>>(
    data: Data<'_>,
    offset: u64,
    slice: Option<String>,
) -> Result<Facts> {
    let header = Mach::parse(data, offset)?;
    let endian = header.endian()?;
    let mut commands = header.load_commands(endian, data, offset)?;
    // (platform, version, the command it is written in)
    let mut min: Option<(u32, u32, &'static str)> = None;
    // The records' section: (offset in the file or slice, size).
    let mut record_range = None;
    while let Some(command) = commands.next()? {
        if let Some(range) = record_section::<Mach>(command, endian)? {
            record_range = Some(range);
        } else if let Some(build) = command.build_version()? {
            min = Some((
                build.platform.get(endian),
                build.minos.get(endian),
                "LC_BUILD_VERSION",
            ));
        } else if let Ok(v) = command.data::<macho::VersionMinCommand<Endianness>>() {
            let (platform, name) = match command.cmd() {
                macho::LC_VERSION_MIN_MACOSX => (macho::PLATFORM_MACOS, "LC_VERSION_MIN_MACOSX"),
                macho::LC_VERSION_MIN_IPHONEOS => (macho::PLATFORM_IOS, "LC_VERSION_MIN_IPHONEOS"),
                macho::LC_VERSION_MIN_TVOS => (macho::PLATFORM_TVOS, "LC_VERSION_MIN_TVOS"),
                macho::LC_VERSION_MIN_WATCHOS => {
                    (macho::PLATFORM_WATCHOS, "LC_VERSION_MIN_WATCHOS")
                }
                _ => continue,
            };
            min = Some((platform, v.version.get(endian), name));
        }
    }
    let cputype = header.cputype(endian);
    let (arch, prefix) = arch_of(cputype);
    let platform = min.map_or(macho::PLATFORM_MACOS, |m| m.0);
    let (os, suffix) = platform_of(platform);
    let mut clues = vec![format!("Mach-O CPU type {}", cpu_name(cputype))];
    match min {
        Some((_, _, from)) => clues.push(format!("{} platform {}", from, os)),
        None => clues.push("no LC_BUILD_VERSION or LC_VERSION_MIN_* (macOS assumed)".to_string()),
    }
    let candidates = match (prefix, suffix) {
        ("", _) | (_, "") => Vec::new(),
        (p, s) => vec![format!("{}-apple-{}", p, s)],
    };
    let (records, record_error) = records(data, offset, record_range);
    Ok(Facts {
        format: "Mach-O",
        slice,
        kind: kind_of(header.filetype(endian)),
        arch: arch.to_string(),
        bits: if header.is_type_64() { 64 } else { 32 },
        endian: if header.is_big_endian() {
            "big"
        } else {
            "little"
        },
        candidates,
        clues,
        libc: None,
        needs: Vec::new(),
        min_os: min.map(|(_, version, from)| MinOs {
            os: os.to_string(),
            version: packed_version(version),
            from: from.to_string(),
        }),
        records,
        record_error,
    })
}

/// The records in the section at `range` (its offset in the Mach-O file
/// at `offset`, and its size), or the section and why it cannot be read.
fn records(
    data: Data<'_>,
    offset: u64,
    range: Option<(u64, u64)>,
) -> (Vec<EmbeddedRecord>, Option<(String, String)>) {
    let Some((at, size)) = range else {
        return (Vec::new(), None);
    };
    let read = data
        .read_bytes_at(offset.saturating_add(at), size)
        .map_err(|()| format!("its {} bytes at offset {} are not in the file", size, at))
        .and_then(read_records);
    match read {
        Ok(records) => (records, None),
        Err(why) => {
            let section = format!("{},{}", RECORD_MACHO_SEGMENT, RECORD_MACHO_SECTION);
            (Vec::new(), Some((section, why)))
        }
    }
}

/// The file range (offset, size) of the records' section
/// (`RECORD_MACHO_SEGMENT`, `RECORD_MACHO_SECTION`) if `command` is the
/// segment that holds it.
fn record_section<Mach: MachHeader<Endian = Endianness>>(
    command: LoadCommandData<'_, Endianness>,
    endian: Endianness,
) -> Result<Option<(u64, u64)>> {
    let Some((segment, sections)) = Mach::Segment::from_command(command)? else {
        return Ok(None);
    };
    if segment.name() != RECORD_MACHO_SEGMENT.as_bytes() {
        return Ok(None);
    }
    Ok(segment
        .sections(endian, sections)?
        .iter()
        .find(|s| s.name() == RECORD_MACHO_SECTION.as_bytes())
        .and_then(|s| s.file_range(endian)))
}

fn kind_of(filetype: u32) -> &'static str {
    match filetype {
        macho::MH_EXECUTE => "executable",
        macho::MH_DYLIB => "shared library",
        macho::MH_BUNDLE => "bundle",
        macho::MH_OBJECT => "object file",
        _ => "Mach-O file of another type",
    }
}

/// rustc's `target_arch` and the triples' first part.
fn arch_of(cputype: u32) -> (&'static str, &'static str) {
    match cputype {
        macho::CPU_TYPE_X86_64 => ("x86_64", "x86_64"),
        macho::CPU_TYPE_X86 => ("x86", "i686"),
        macho::CPU_TYPE_ARM64 => ("aarch64", "aarch64"),
        macho::CPU_TYPE_ARM64_32 => ("arm64_32", "arm64_32"),
        macho::CPU_TYPE_ARM => ("arm", "armv7"),
        macho::CPU_TYPE_POWERPC => ("powerpc", ""),
        macho::CPU_TYPE_POWERPC64 => ("powerpc64", ""),
        _ => ("unknown", ""),
    }
}

/// Apple's name of a CPU type.
fn cpu_name(cputype: u32) -> &'static str {
    match cputype {
        macho::CPU_TYPE_X86_64 => "x86_64",
        macho::CPU_TYPE_X86 => "i386",
        macho::CPU_TYPE_ARM64 => "arm64",
        macho::CPU_TYPE_ARM64_32 => "arm64_32",
        macho::CPU_TYPE_ARM => "arm",
        macho::CPU_TYPE_POWERPC => "ppc",
        macho::CPU_TYPE_POWERPC64 => "ppc64",
        _ => "unknown",
    }
}

/// The OS a platform number names, and the triple's last part.
fn platform_of(platform: u32) -> (&'static str, &'static str) {
    match platform {
        macho::PLATFORM_MACOS => ("macos", "darwin"),
        macho::PLATFORM_IOS => ("ios", "ios"),
        macho::PLATFORM_IOSSIMULATOR => ("ios", "ios-sim"),
        macho::PLATFORM_MACCATALYST => ("ios", "ios-macabi"),
        macho::PLATFORM_TVOS => ("tvos", "tvos"),
        macho::PLATFORM_TVOSSIMULATOR => ("tvos", "tvos-sim"),
        macho::PLATFORM_WATCHOS => ("watchos", "watchos"),
        macho::PLATFORM_WATCHOSSIMULATOR => ("watchos", "watchos-sim"),
        macho::PLATFORM_XROS => ("visionos", "visionos"),
        macho::PLATFORM_XROSSIMULATOR => ("visionos", "visionos-sim"),
        _ => ("another Apple system", ""),
    }
}
