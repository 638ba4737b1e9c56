//! Where the policies come from: the manifest found as Cargo finds it
//! (`--manifest-path`, else `Cargo.toml` in the current directory or the
//! nearest parent that has one), the packages selected as Cargo selects
//! them (`-p`, `--workspace`, else Cargo's default members; the members as
//! the library's `Workspace` finds them, Cargo's rules), and for each
//! package its policy:
//!
//! - its `[package.metadata.platform-guard]` table, read by the library;
//! - `workspace = true` there: the workspace root's
//!   `[workspace.metadata.platform-guard]` (same keys), with the member's
//!   own `<PACKAGE>_UNSUPPORTED_ARCH` unless the table names a variable;
//! - no table, platform-guard only a normal dependency (so no build script
//!   of its own can call it): zero setup, the default policy with the
//!   package's `<PACKAGE>_UNSUPPORTED_ARCH`, as the build and the program
//!   use;
//! - no table and platform-guard a build-dependency: the policy is Rust in
//!   build.rs, which the command cannot read: an error that says how to
//!   move it into the table;
//!
//! or `--preset`.

use std::path::{Path, PathBuf};

use platform_guard::suggest::did_you_mean;
use platform_guard::{package_override_var, ManifestPolicy, Policy, Preset, Workspace};
use toml::de::{DeTable, DeValue};

use crate::args::PolicyArgs;
use crate::context::{Context, Failure};
use crate::files;
use crate::toml_doc::{self, get};

/// The manifest table's path, and the workspace's (the library's names).
const PACKAGE_TABLE: &str = platform_guard::MANIFEST_TABLE;
const WORKSPACE_TABLE: &str = platform_guard::WORKSPACE_TABLE;

/// Where a policy was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The package's own table.
    Table,
    /// The workspace root's table (this manifest), through `workspace = true`.
    Workspace(PathBuf),
    /// No table and no build script that uses the guard: the default policy.
    ZeroSetup,
    /// `--preset`.
    Preset(Preset),
}

/// One policy to work with, and what documents say besides it.
pub struct PackagePolicy {
    /// The package it belongs to (`None` for a preset outside any package).
    pub package: Option<String>,
    pub manifest: Option<PathBuf>,
    pub origin: Origin,
    pub policy: Policy,
    /// The project's name in documents (`None` for a preset outside any
    /// package: documents then speak of "the project").
    pub project: Option<String>,
    /// The repository's URL (`package.repository`), for links.
    pub repository: Option<String>,
    /// The override variable is a stand-in: a preset outside any package,
    /// whose programs read their own `<PACKAGE>_UNSUPPORTED_ARCH`.
    pub generic_var: bool,
    pub known_issues: Vec<String>,
    /// Whether the package depends on platform-guard (so its programs may
    /// expand `enforce!()`/`check!()`); false for a preset.
    pub depends_on_guard: bool,
}

impl PackagePolicy {
    /// Where the policy comes from, for headings and notes.
    pub fn describe(&self) -> String {
        let manifest = self
            .manifest
            .as_ref()
            .map_or_else(String::new, |m| m.display().to_string());
        match &self.origin {
            Origin::Table => format!("[{}] in {}", PACKAGE_TABLE, manifest),
            Origin::Workspace(root) => format!(
                "[{}] in {} (workspace = true in {})",
                WORKSPACE_TABLE,
                root.display(),
                manifest
            ),
            Origin::ZeroSetup => format!(
                "the default policy (zero setup: {} has no table and no build script using \
                 platform-guard)",
                manifest
            ),
            Origin::Preset(p) => format!("--preset {}", p),
        }
    }
}

/// The policies the arguments name, adjusted by `--override-var` and
/// `--deny`, each validated.
pub fn load(ctx: &Context, args: &PolicyArgs) -> Result<Vec<PackagePolicy>, Failure> {
    let command = Some(args.command);
    let mut sources = match args.preset {
        Some(preset) => {
            for (given, name) in [
                (args.manifest_path.is_some(), "--manifest-path"),
                (!args.packages.is_empty(), "--package"),
                (args.workspace, "--workspace"),
            ] {
                if given {
                    return Err(Failure::usage(
                        format!("{} and --preset both name a policy: give one", name),
                        command,
                    ));
                }
            }
            vec![preset_source(ctx, preset, args.override_var)]
        }
        None => packages(ctx, args)?,
    };
    for s in &mut sources {
        if let (Some(var), false) = (args.override_var, matches!(s.origin, Origin::Preset(_))) {
            s.policy = s.policy.clone().with_override_var(var);
        }
        if let Some(level) = args.deny {
            s.policy = s.policy.clone().deny(level);
        }
        s.policy.validate()?;
    }
    Ok(sources)
}

/// A preset. Its variable: the preset's own (`ETCD_UNSUPPORTED_ARCH`),
/// else `--override-var`, else the variable of the package the current
/// directory belongs to (what its programs read), else
/// `PLATFORM_GUARD_UNSUPPORTED_ARCH`.
fn preset_source(ctx: &Context, preset: Preset, override_var: Option<&str>) -> PackagePolicy {
    let manifest = find_manifest(&ctx.cwd)
        .and_then(|path| files::read_text(&path, "manifest").ok())
        .and_then(|text| Manifest::parse(Path::new("Cargo.toml"), &text).ok());
    let package = manifest.as_ref().and_then(|m| m.package.clone());
    let named = override_var
        .map(str::to_string)
        .or_else(|| preset.override_var().map(str::to_string))
        .or_else(|| package.as_deref().map(package_override_var));
    let generic_var = named.is_none();
    let var = named.unwrap_or_else(|| "PLATFORM_GUARD_UNSUPPORTED_ARCH".to_string());
    PackagePolicy {
        project: preset.project().map(str::to_string).or(package),
        repository: manifest.and_then(|m| m.repository),
        generic_var,
        package: None,
        manifest: None,
        origin: Origin::Preset(preset),
        depends_on_guard: false,
        policy: preset.policy(&var),
        known_issues: preset
            .known_issues()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

/// The directory of the workspace root the package at `manifest` belongs
/// to (as Cargo finds it: the library's `Workspace`), else the package's
/// own directory: where a repository keeps `.github/workflows`,
/// `Cross.toml` and `dist-workspace.toml`.
pub fn repository_dir(manifest: &Path) -> Result<PathBuf, Failure> {
    let dir = |p: &Path| p.parent().unwrap_or(Path::new(".")).to_path_buf();
    Ok(match Workspace::root_of(manifest)? {
        Some(root) => dir(&root),
        None => dir(manifest),
    })
}

/// The manifest text and the dotted path of the table the policy was read
/// from (`package.metadata.platform-guard`, or the workspace's), when it
/// was read from one.
pub fn policy_table(source: &PackagePolicy) -> Option<(PathBuf, &'static str)> {
    match &source.origin {
        Origin::Table => Some((source.manifest.clone()?, PACKAGE_TABLE)),
        Origin::Workspace(root) => Some((root.clone(), WORKSPACE_TABLE)),
        _ => None,
    }
}

/// `Cargo.toml` in `dir` or the nearest parent that has one (anything of
/// that name, as for Cargo: one that is not a file is then an error).
pub fn find_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|p| p.exists())
}

/// What the command needs from a Cargo.toml.
#[derive(Debug, Default)]
struct Manifest {
    path: PathBuf,
    package: Option<String>,
    /// `package.repository`, and whether it says `workspace = true`.
    repository: Option<String>,
    repository_from_workspace: bool,
    /// `workspace.package.repository`.
    workspace_repository: Option<String>,
    workspace: Option<WorkspaceTable>,
    table: Table,
    /// Dependency names (keys and `package = ...`) of each kind.
    normal_deps: Vec<Dep>,
    build_deps: Vec<Dep>,
}

#[derive(Debug)]
struct Dep {
    key: String,
    package: Option<String>,
    from_workspace: bool,
}

/// What the command needs from a `[workspace]` table (membership is the
/// library's `Workspace`).
#[derive(Debug, Default)]
struct WorkspaceTable {
    /// `[workspace.dependencies]`: key -> package name (`package = ...`).
    dependencies: Vec<(String, Option<String>)>,
}

/// The package's `[package.metadata.platform-guard]`.
#[derive(Debug, Default, PartialEq, Eq)]
enum Table {
    #[default]
    Missing,
    /// `workspace = true`, alone.
    Inherit,
    Own,
}

impl Manifest {
    fn read(path: &Path) -> Result<(Manifest, String), Failure> {
        let text = files::read_text(path, "manifest")?;
        let m = Manifest::parse(path, &text)?;
        Ok((m, text))
    }

    fn parse(path: &Path, text: &str) -> Result<Manifest, Failure> {
        let doc = match DeTable::parse(text) {
            Ok(d) => d,
            // The library names the line and column.
            Err(e) => {
                return Err(match ManifestPolicy::parse(text, path) {
                    Err(le) => le.into(),
                    Ok(_) => Failure::error(format!(
                        "{}: not valid TOML: {}",
                        path.display(),
                        e.message()
                    )),
                })
            }
        };
        let root = doc.get_ref();
        let mut m = Manifest {
            path: path.to_path_buf(),
            ..Manifest::default()
        };
        if let Some(package) = toml_doc::table(root, "package") {
            m.read_package(package)?;
        }
        if let Some(ws) = toml_doc::table(root, "workspace") {
            m.read_workspace(ws);
        }
        m.read_dependencies(root);
        Ok(m)
    }

    /// `[package]`: the name, the repository, and the policy table's kind.
    fn read_package(&mut self, package: &DeTable<'_>) -> Result<(), Failure> {
        self.package = get(package, "name")
            .and_then(DeValue::as_str)
            .map(str::to_string);
        match get(package, "repository") {
            Some(DeValue::String(s)) => self.repository = Some(s.to_string()),
            Some(DeValue::Table(t)) => {
                self.repository_from_workspace =
                    get(t, "workspace").and_then(DeValue::as_bool) == Some(true)
            }
            _ => {}
        }
        let table = toml_doc::table(package, "metadata").and_then(|t| get(t, "platform-guard"));
        self.table = match table {
            None => Table::Missing,
            Some(v) => match v.as_table() {
                Some(t) if get(t, "workspace").and_then(DeValue::as_bool) == Some(true) => {
                    let others: Vec<&str> = t
                        .iter()
                        .map(|(k, _)| &**k.get_ref())
                        .filter(|k| *k != "workspace")
                        .collect();
                    if !others.is_empty() {
                        return Err(Failure::error(format!(
                            "{}: {}: `workspace = true` takes the whole policy from the \
                             workspace's [{}]: expected no other key, found {}",
                            self.path.display(),
                            PACKAGE_TABLE,
                            WORKSPACE_TABLE,
                            others.join(", ")
                        )));
                    }
                    Table::Inherit
                }
                _ => Table::Own,
            },
        };
        Ok(())
    }

    /// `[workspace]`: the repository and `[workspace.dependencies]`.
    fn read_workspace(&mut self, ws: &DeTable<'_>) {
        self.workspace_repository = toml_doc::table(ws, "package")
            .and_then(|p| get(p, "repository"))
            .and_then(DeValue::as_str)
            .map(str::to_string);
        self.workspace = Some(WorkspaceTable {
            dependencies: toml_doc::table(ws, "dependencies")
                .map(|deps| {
                    deps.iter()
                        .map(|(k, v)| {
                            let package = v
                                .get_ref()
                                .as_table()
                                .and_then(|t| get(t, "package"))
                                .and_then(DeValue::as_str)
                                .map(str::to_string);
                            (k.get_ref().to_string(), package)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        });
    }

    /// The normal and build dependencies, the target-specific ones too.
    fn read_dependencies(&mut self, root: &DeTable<'_>) {
        let mut tables: Vec<(&DeTable<'_>, &str)> = Vec::new();
        for kind in platform_guard::DEPENDENCY_TABLES {
            if let Some(t) = toml_doc::table(root, kind) {
                tables.push((t, kind));
            }
        }
        if let Some(targets) = toml_doc::table(root, "target") {
            for (_, platform) in targets.iter() {
                if let Some(p) = platform.get_ref().as_table() {
                    for kind in platform_guard::DEPENDENCY_TABLES {
                        if let Some(t) = toml_doc::table(p, kind) {
                            tables.push((t, kind));
                        }
                    }
                }
            }
        }
        for (table, kind) in tables {
            for (k, v) in table.iter() {
                let spec = v.get_ref().as_table();
                let field = |name: &str| spec.and_then(|t| get(t, name));
                let dep = Dep {
                    key: k.get_ref().to_string(),
                    package: field("package")
                        .and_then(DeValue::as_str)
                        .map(str::to_string),
                    from_workspace: field("workspace").and_then(DeValue::as_bool) == Some(true),
                };
                match kind {
                    "dependencies" => self.normal_deps.push(dep),
                    "build-dependencies" | "build_dependencies" => self.build_deps.push(dep),
                    _ => {}
                }
            }
        }
    }

    /// Whether one of `deps` is platform-guard (under its own name or
    /// renamed, directly or through `[workspace.dependencies]`).
    fn uses_guard(deps: &[Dep], root: Option<&WorkspaceTable>) -> bool {
        deps.iter().any(|d| {
            let mut name = d.package.clone().unwrap_or_else(|| d.key.clone());
            if d.from_workspace {
                if let Some(ws) = root {
                    if let Some((_, Some(p))) = ws.dependencies.iter().find(|(k, _)| *k == d.key) {
                        name = p.clone();
                    }
                }
            }
            name == "platform-guard"
        })
    }
}

/// A package to load, and whether naming it was explicit (then a package
/// without a policy is an error, not a note).
struct Selected {
    manifest: Manifest,
    text: String,
    explicit: bool,
}

/// The selected packages' policies.
fn packages(ctx: &Context, args: &PolicyArgs) -> Result<Vec<PackagePolicy>, Failure> {
    let path = match args.manifest_path {
        Some(p) => ctx.cwd.join(p),
        None => find_manifest(&ctx.cwd).ok_or_else(|| {
            Failure::error(format!(
                "could not find Cargo.toml in {} or any parent directory: expected a package \
                 with a [{}] table, --manifest-path <PATH> or --preset etcd|default",
                ctx.cwd.display(),
                PACKAGE_TABLE
            ))
        })?,
    };
    // The manifest itself first: what is wrong with it is said in the
    // command's own words (a FIFO, a device, too large, not TOML).
    Manifest::read(&path)?;
    // The workspace as Cargo loads it here (the library's one
    // implementation of Cargo's rules): its root, members and default
    // members. A package below a root that does not list it is an error, as
    // for Cargo.
    let ws = Workspace::find(&path)?;
    // The root's manifest, for [workspace.dependencies] and
    // workspace.package.repository.
    let root = if ws.has_root() {
        Some(Manifest::read(ws.root_manifest())?.0)
    } else {
        None
    };
    let selected = if args.packages.is_empty() {
        select_here(&ws, args.workspace)?
    } else {
        select_named(&ws, &args.packages)?
    };
    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    for s in selected {
        match policy_of(&s.manifest, &s.text, root.as_ref())? {
            Ok(source) => sources.push(source),
            Err(why) if s.explicit => return Err(Failure::error(why)),
            Err(why) => skipped.push(why),
        }
    }
    note_skipped(ctx, &skipped);
    if sources.is_empty() {
        return Err(Failure::error(format!(
            "no selected package of the workspace at {} has a platform-guard policy: expected a \
             member with a [{}] table (or `workspace = true` and a [{}] table in the root)",
            ws.root_manifest().display(),
            PACKAGE_TABLE,
            WORKSPACE_TABLE
        )));
    }
    Ok(sources)
}

/// The packages skipped for having no policy: one line, the reason for
/// each under `-v`.
fn note_skipped(ctx: &Context, skipped: &[String]) {
    match skipped {
        [] => {}
        [one] => ctx.note(&format!("skipped: {}", one)),
        many => {
            ctx.note(&format!(
                "skipped {} packages without a platform-guard policy{}",
                many.len(),
                if ctx.is_verbose() {
                    ":"
                } else {
                    " (-v says which and why)"
                }
            ));
            for why in many {
                ctx.verbose(&format!("skipped: {}", why));
            }
        }
    }
}

/// `-p NAME...`: each named member, in the order named (a name given
/// twice once); a name that is not a member is an error with the members.
fn select_named(ws: &Workspace, names: &[&str]) -> Result<Vec<Selected>, Failure> {
    let loaded: Vec<(Manifest, String)> = ws
        .members()
        .iter()
        .map(|p| Manifest::read(p))
        .collect::<Result<_, _>>()?;
    let known: Vec<String> = loaded
        .iter()
        .filter_map(|(m, _)| m.package.clone())
        .collect();
    let mut loaded: Vec<Option<(Manifest, String)>> = loaded.into_iter().map(Some).collect();
    let mut selected: Vec<Selected> = Vec::new();
    for &name in names {
        let at = loaded.iter().position(|m| {
            m.as_ref()
                .is_some_and(|(m, _)| m.package.as_deref() == Some(name))
        });
        if let Some((manifest, text)) = at.and_then(|i| loaded[i].take()) {
            selected.push(Selected {
                manifest,
                text,
                explicit: true,
            });
        } else if !selected
            .iter()
            .any(|s| s.manifest.package.as_deref() == Some(name))
        {
            let hint = did_you_mean(name, known.iter().map(String::as_str))
                .map_or_else(String::new, |h| format!(" ({})", h));
            return Err(Failure::error(format!(
                "package {:?} is not a member of the workspace at {}{}: its members are {}",
                name,
                ws.root_manifest().display(),
                hint,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(selected)
}

/// `--workspace`: every member; else what Cargo builds here without `-p`:
/// at the root, default-members (or every member of a virtual workspace,
/// or the root's package); at a member, that member.
fn select_here(ws: &Workspace, all: bool) -> Result<Vec<Selected>, Failure> {
    let chosen = if all {
        ws.members()
    } else {
        ws.default_members()
    };
    if chosen.is_empty() {
        return Err(Failure::error(format!(
            "{} is a workspace without members: expected members with a [{}] table",
            ws.current_manifest().display(),
            PACKAGE_TABLE
        )));
    }
    // The package Cargo would build here alone was named by being here:
    // without a policy, an error rather than a note.
    let alone = !all && chosen == [ws.current_manifest()];
    chosen
        .iter()
        .map(|p| {
            let (manifest, text) = Manifest::read(p)?;
            Ok(Selected {
                manifest,
                text,
                explicit: alone,
            })
        })
        .collect()
}

/// A package's policy; `Ok(Err(why))` when it has none.
fn policy_of(
    m: &Manifest,
    text: &str,
    root: Option<&Manifest>,
) -> Result<Result<PackagePolicy, String>, Failure> {
    let name = m.package.clone().unwrap_or_default();
    let ws = root.and_then(|r| r.workspace.as_ref());
    let depends_on_guard = Manifest::uses_guard(&m.normal_deps, ws);
    let source = |policy: Policy, origin: Origin, known_issues: Vec<String>| PackagePolicy {
        package: m.package.clone(),
        manifest: Some(m.path.clone()),
        origin,
        project: (!name.is_empty()).then(|| name.clone()),
        repository: m.repository.clone().or_else(|| {
            m.repository_from_workspace
                .then(|| root.and_then(|r| r.workspace_repository.clone()))
                .flatten()
        }),
        generic_var: false,
        policy,
        known_issues,
        depends_on_guard,
    };
    match m.table {
        Table::Own => {
            let table = ManifestPolicy::parse(text, &m.path)?;
            let issues = table.known_issues().to_vec();
            Ok(Ok(source(table.into_policy(), Origin::Table, issues)))
        }
        Table::Inherit => {
            // The library finds the workspace that lists the package and
            // reads its table, or says why it cannot (a published package).
            let table = ManifestPolicy::read(&m.path)?;
            let root = table
                .workspace_manifest()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let issues = table.known_issues().to_vec();
            Ok(Ok(source(
                table.into_policy(),
                Origin::Workspace(root),
                issues,
            )))
        }
        Table::Missing => Ok(without_table(m, ws, depends_on_guard)
            .map(|policy| source(policy, Origin::ZeroSetup, Vec::new()))),
    }
}

/// The policy of a package without a table: zero setup when it depends
/// on platform-guard; else why it has none.
fn without_table(
    m: &Manifest,
    ws: Option<&WorkspaceTable>,
    depends_on_guard: bool,
) -> Result<Policy, String> {
    let name = m.package.clone().unwrap_or_default();
    if m.package.is_none() {
        return Err(format!(
            "{} is a workspace root without a package of its own",
            m.path.display()
        ));
    }
    if Manifest::uses_guard(&m.build_deps, ws) {
        return Err(format!(
            "{} has no [{}] table, and its build script (platform-guard is a \
                 build-dependency) states the policy in Rust, which the command cannot read: \
                 move the rules into the table (rules = [{{ level = \"stable\", cfg = '...' }}, \
                 ...], one per .stable()/.experimental()/.unstable()/.unsupported() call, with \
                 override-var and deny if set) and make build.rs \
                 `platform_guard::Policy::from_manifest().build();`",
            m.path.display(),
            PACKAGE_TABLE
        ));
    }
    if depends_on_guard {
        let var = package_override_var(&name);
        return Ok(Preset::Default.policy(&var));
    }
    Err(format!(
        "package {} ({}) has no [{}] table and does not depend on platform-guard: \
             expected a table stating its policy, such as `preset = \"default\"`, or \
             --preset etcd|default",
        name,
        m.path.display(),
        PACKAGE_TABLE
    ))
}
