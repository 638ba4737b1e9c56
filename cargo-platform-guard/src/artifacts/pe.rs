//! PE: the machine, the subsystem (a UEFI image is another target), the
//! toolchain that linked it (MSVC's link.exe writes a Rich header, GNU ld
//! a linker version 2.x), and the oldest Windows it asks for (the greater
//! of the optional header's operating system and subsystem versions, the
//! subsystem version being the one the loader enforces). MinGW's linker
//! drops a section that only `#[used]` keeps, so the guard writes no record
//! there and PE files carry none.

use object::pe;
use object::read::pe::{ImageNtHeaders, ImageOptionalHeader, PeFile, PeFile32, PeFile64};
use object::read::Result;
use object::FileKind;

use super::{Data, Facts, MinOs};

pub fn read(data: Data<'_>, kind: FileKind) -> Result<Facts> {
    match kind {
        FileKind::Pe32 => read_as(&PeFile32::parse(data)?),
        _ => read_as(&PeFile64::parse(data)?),
    }
}

fn read_as<'a, Pe: ImageNtHeaders>(file: &PeFile<'a, Pe, Data<'a>>) -> Result<Facts> {
    let nt = file.nt_headers();
    let machine = nt.file_header().machine.get(object::LittleEndian);
    let optional = nt.optional_header();
    let (arch, prefix) = arch_of(machine);
    let subsystem = optional.subsystem();
    let uefi = matches!(
        subsystem,
        pe::IMAGE_SUBSYSTEM_EFI_APPLICATION
            | pe::IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER
            | pe::IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER
    );
    let linker = optional.major_linker_version();
    let rich = file.rich_header_info().is_some();
    let mut clues = vec![
        format!(
            "PE machine {:#06x}, subsystem {}",
            machine,
            subsystem_name(subsystem)
        ),
        format!(
            "linker version {}.{}{}",
            linker,
            optional.minor_linker_version(),
            if rich {
                ", Rich header (MSVC's link.exe)"
            } else {
                ""
            }
        ),
    ];
    let candidates = candidates(prefix, uefi, rich, linker, &mut clues);
    let os = (
        optional.major_operating_system_version(),
        optional.minor_operating_system_version(),
    );
    let sub = (
        optional.major_subsystem_version(),
        optional.minor_subsystem_version(),
    );
    let version = sub.max(os);
    Ok(Facts {
        format: "PE",
        slice: None,
        kind: kind_of(
            nt.file_header().characteristics.get(object::LittleEndian),
            uefi,
        ),
        arch: arch.to_string(),
        bits: if nt.is_type_64() { 64 } else { 32 },
        endian: "little",
        candidates,
        clues,
        libc: None,
        needs: Vec::new(),
        min_os: Some(MinOs {
            os: if uefi { "uefi" } else { "windows" }.to_string(),
            version: format!("{}.{}", version.0, version.1),
            from: format!(
                "PE optional header: subsystem {}.{}, operating system {}.{}",
                sub.0, sub.1, os.0, os.1
            ),
        }),
        records: Vec::new(),
        record_error: None,
    })
}

/// The targets a PE file fits: a UEFI image's, or Windows' with the
/// environment its linker tells (MSVC's Rich header, GNU ld's version 2.x;
/// lld says neither: MSVC or gnullvm).
fn candidates(
    prefix: &str,
    uefi: bool,
    rich: bool,
    linker: u8,
    clues: &mut Vec<String>,
) -> Vec<String> {
    if prefix.is_empty() {
        return Vec::new();
    }
    if uefi {
        return vec![format!("{}-unknown-uefi", prefix)];
    }
    let envs: &[&str] = if rich {
        &["msvc"]
    } else if linker == 2 {
        clues.push("GNU ld (linker version 2.x): MinGW".to_string());
        &["gnu"]
    } else {
        &["msvc", "gnullvm"]
    };
    envs.iter()
        .map(|env| format!("{}-pc-windows-{}", prefix, env))
        .collect()
}

fn kind_of(characteristics: u16, uefi: bool) -> &'static str {
    if uefi {
        "UEFI image"
    } else if characteristics & pe::IMAGE_FILE_DLL != 0 {
        "shared library (DLL)"
    } else {
        "executable"
    }
}

/// rustc's `target_arch` and the triples' first part.
fn arch_of(machine: u16) -> (&'static str, &'static str) {
    match machine {
        pe::IMAGE_FILE_MACHINE_AMD64 => ("x86_64", "x86_64"),
        pe::IMAGE_FILE_MACHINE_I386 => ("x86", "i686"),
        pe::IMAGE_FILE_MACHINE_ARM64 => ("aarch64", "aarch64"),
        pe::IMAGE_FILE_MACHINE_ARMNT => ("arm", "thumbv7a"),
        _ => ("unknown", ""),
    }
}

fn subsystem_name(subsystem: u16) -> &'static str {
    match subsystem {
        pe::IMAGE_SUBSYSTEM_WINDOWS_CUI => "console",
        pe::IMAGE_SUBSYSTEM_WINDOWS_GUI => "windows",
        pe::IMAGE_SUBSYSTEM_EFI_APPLICATION => "EFI application",
        pe::IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER => "EFI boot service driver",
        pe::IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER => "EFI runtime driver",
        pe::IMAGE_SUBSYSTEM_NATIVE => "native",
        _ => "another",
    }
}
