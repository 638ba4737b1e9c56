//! Where the policies come from: the manifest found as Cargo finds it
//! (`--manifest-path`, else `Cargo.toml` in the current directory or the
//! nearest parent that has one), the packages selected as Cargo selects
//! them (`-p`, `--workspace`, a virtual manifest's default members), and
//! for each package its policy:
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

use platform_guard::{package_override_var, ManifestPolicy, Policy, Preset};
use toml::de::{DeTable, DeValue};

use crate::args::{Args, Key};
use crate::files;
use crate::suggest::did_you_mean;
use crate::{Context, Failure};

/// The manifest table's path, and the workspace's (the library's names).
const PACKAGE_TABLE: &str = platform_guard::MANIFEST_TABLE;
const WORKSPACE_TABLE: &str = platform_guard::WORKSPACE_TABLE;
/// The tables of a manifest (or of one of its `[target.'cfg(..)']` tables)
/// that list dependencies, in both spellings Cargo accepts.
const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "build-dependencies",
    "build_dependencies",
    "dev_dependencies",
];

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
pub struct Source {
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
}

impl Source {
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
pub fn load(ctx: &Context, args: &Args) -> Result<Vec<Source>, Failure> {
    let command = Some(args.command.name);
    let mut sources = match args.preset(Key::Preset) {
        Some(preset) => {
            for (key, name) in [
                (Key::ManifestPath, "--manifest-path"),
                (Key::Package, "--package"),
                (Key::Workspace, "--workspace"),
            ] {
                if args.given(key) {
                    return Err(Failure::usage(
                        format!("{} and --preset both name a policy: give one", name),
                        command,
                    ));
                }
            }
            vec![preset_source(ctx, preset, args.text(Key::OverrideVar))]
        }
        None => packages(ctx, args)?,
    };
    for s in &mut sources {
        if let (Some(var), false) = (
            args.text(Key::OverrideVar),
            matches!(s.origin, Origin::Preset(_)),
        ) {
            s.policy = s.policy.clone().with_override_var(var);
        }
        if let Some(level) = args.level(Key::Deny) {
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
fn preset_source(ctx: &Context, preset: Preset, override_var: Option<&str>) -> Source {
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
    Source {
        project: preset.project().map(str::to_string).or(package),
        repository: manifest.and_then(|m| m.repository),
        generic_var,
        package: None,
        manifest: None,
        origin: Origin::Preset(preset),
        policy: preset.policy(&var),
        known_issues: preset
            .known_issues()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

/// The directory of the workspace root the package at `manifest` belongs
/// to (as Cargo finds it), else the package's own directory: where a
/// repository keeps `.github/workflows`, `Cross.toml` and
/// `dist-workspace.toml`.
pub fn repository_dir(manifest: &Path) -> Result<PathBuf, Failure> {
    let (m, _) = Manifest::read(manifest)?;
    let dir = |p: &Path| p.parent().unwrap_or(Path::new(".")).to_path_buf();
    Ok(match workspace_root(&m)? {
        Some((root, _)) => dir(&root.path),
        None => dir(manifest),
    })
}

/// The manifest text and the dotted path of the table the policy was read
/// from (`package.metadata.platform-guard`, or the workspace's), when it
/// was read from one.
pub fn policy_table(source: &Source) -> Option<(PathBuf, &'static str)> {
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
    /// `package.workspace`: the root's directory, relative to this one.
    workspace_path: Option<String>,
    /// `package.repository`, and whether it says `workspace = true`.
    repository: Option<String>,
    repository_from_workspace: bool,
    /// `workspace.package.repository`.
    workspace_repository: Option<String>,
    workspace: Option<Workspace>,
    table: Table,
    /// Dependency names (keys and `package = ...`) of each kind.
    normal_deps: Vec<Dep>,
    build_deps: Vec<Dep>,
    /// `path = "..."` of every dependency, for implicit workspace members.
    path_deps: Vec<String>,
}

#[derive(Debug)]
struct Dep {
    key: String,
    package: Option<String>,
    from_workspace: bool,
}

#[derive(Debug, Default)]
struct Workspace {
    members: Vec<String>,
    exclude: Vec<String>,
    default_members: Option<Vec<String>>,
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

fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeValue<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v.get_ref())
}

fn get_table<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    get(table, key).and_then(DeValue::as_table)
}

fn strings(v: Option<&DeValue<'_>>) -> Vec<String> {
    match v {
        Some(DeValue::Array(items)) => items
            .iter()
            .filter_map(|i| i.get_ref().as_str().map(str::to_string))
            .collect(),
        Some(DeValue::String(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
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
        if let Some(package) = get_table(root, "package") {
            m.package = get(package, "name")
                .and_then(DeValue::as_str)
                .map(str::to_string);
            m.workspace_path = get(package, "workspace")
                .and_then(DeValue::as_str)
                .map(str::to_string);
            match get(package, "repository") {
                Some(DeValue::String(s)) => m.repository = Some(s.to_string()),
                Some(DeValue::Table(t)) => {
                    m.repository_from_workspace =
                        get(t, "workspace").and_then(DeValue::as_bool) == Some(true)
                }
                _ => {}
            }
            let table = get_table(package, "metadata").and_then(|t| get(t, "platform-guard"));
            m.table = match table {
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
                                path.display(),
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
        }
        if let Some(ws) = get_table(root, "workspace") {
            m.workspace_repository = get_table(ws, "package")
                .and_then(|p| get(p, "repository"))
                .and_then(DeValue::as_str)
                .map(str::to_string);
            m.workspace = Some(Workspace {
                members: strings(get(ws, "members")),
                exclude: strings(get(ws, "exclude")),
                default_members: get(ws, "default-members").map(|v| strings(Some(v))),
                dependencies: get_table(ws, "dependencies")
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
        let mut tables: Vec<(&DeTable<'_>, &str)> = Vec::new();
        for kind in DEPENDENCY_TABLES {
            if let Some(t) = get_table(root, kind) {
                tables.push((t, kind));
            }
        }
        if let Some(targets) = get_table(root, "target") {
            for (_, platform) in targets.iter() {
                if let Some(p) = platform.get_ref().as_table() {
                    for kind in DEPENDENCY_TABLES {
                        if let Some(t) = get_table(p, kind) {
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
                if let Some(p) = field("path").and_then(DeValue::as_str) {
                    m.path_deps.push(p.to_string());
                }
                match kind {
                    "dependencies" => m.normal_deps.push(dep),
                    "build-dependencies" | "build_dependencies" => m.build_deps.push(dep),
                    _ => {}
                }
            }
        }
        Ok(m)
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Whether one of `deps` is platform-guard (under its own name or
    /// renamed, directly or through `[workspace.dependencies]`).
    fn uses_guard(deps: &[Dep], root: Option<&Workspace>) -> bool {
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

/// The workspace a package manifest belongs to: its root manifest.
fn workspace_root(m: &Manifest) -> Result<Option<(Manifest, String)>, Failure> {
    if m.workspace.is_some() {
        return Ok(None); // it is the root itself
    }
    if let Some(rel) = &m.workspace_path {
        let path = m.dir().join(rel).join("Cargo.toml");
        return Manifest::read(&path).map(Some);
    }
    let me = canonical(m.dir());
    for dir in m.dir().ancestors().skip(1) {
        let path = dir.join("Cargo.toml");
        if !path.is_file() {
            continue;
        }
        let (root, text) = Manifest::read(&path)?;
        if root.workspace.is_none() {
            continue;
        }
        // The first [workspace] above is the only candidate, as for Cargo.
        let members = members(&root)?;
        return Ok(members
            .iter()
            .any(|p| canonical(p.parent().unwrap_or(p)) == me)
            .then_some((root, text)));
    }
    Ok(None)
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `*`, `?` and `[...]`-free glob matching of one path component.
fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// The directories a member pattern names, relative to `root`.
fn expand(root: &Path, pattern: &str) -> Vec<(PathBuf, bool)> {
    let mut dirs = vec![root.to_path_buf()];
    let globbed = pattern.contains(['*', '?']);
    for part in pattern
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
    {
        let mut next = Vec::new();
        for d in &dirs {
            if part.contains(['*', '?']) {
                let mut found: Vec<PathBuf> = std::fs::read_dir(d)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| e.path().is_dir())
                    .filter(|e| e.file_name().to_str().is_some_and(|n| glob_match(part, n)))
                    .map(|e| e.path())
                    .collect();
                found.sort();
                next.extend(found);
            } else {
                next.push(d.join(part));
            }
        }
        dirs = next;
    }
    dirs.into_iter().map(|d| (d, globbed)).collect()
}

/// The manifest paths of a workspace's members, root package first, then
/// `members` in order, then path dependencies inside the root (Cargo makes
/// them members), each once; `exclude` left out.
fn members(root: &Manifest) -> Result<Vec<PathBuf>, Failure> {
    let ws = root.workspace.as_ref().expect("a workspace root");
    let dir = root.dir().to_path_buf();
    let excluded = |p: &Path| {
        ws.exclude
            .iter()
            .any(|e| canonical(p).starts_with(canonical(&dir.join(e))))
    };
    let mut out: Vec<PathBuf> = Vec::new();
    let push = |path: PathBuf, out: &mut Vec<PathBuf>| {
        let c = canonical(&path);
        if !out.iter().any(|o| canonical(o) == c) {
            out.push(path);
        }
    };
    if root.package.is_some() {
        push(root.path.clone(), &mut out);
    }
    for pattern in &ws.members {
        for (d, globbed) in expand(&dir, pattern) {
            let manifest = d.join("Cargo.toml");
            if manifest.is_file() {
                push(manifest, &mut out);
            } else if !globbed {
                return Err(Failure::error(format!(
                    "{}: workspace member {:?} has no Cargo.toml at {}",
                    root.path.display(),
                    pattern,
                    manifest.display()
                )));
            }
        }
    }
    // Path dependencies inside the workspace's directory, transitively.
    let mut i = 0;
    while i < out.len() {
        let path = out[i].clone();
        i += 1;
        let deps = if path == root.path {
            root.path_deps.clone()
        } else {
            match Manifest::read(&path) {
                Ok((m, _)) => m.path_deps,
                Err(_) => continue,
            }
        };
        for dep in deps {
            let d = path.parent().unwrap_or(Path::new(".")).join(&dep);
            let manifest = d.join("Cargo.toml");
            if manifest.is_file() && canonical(&d).starts_with(canonical(&dir)) && !excluded(&d) {
                push(manifest, &mut out);
            }
        }
    }
    out.retain(|p| *p == root.path || !excluded(p.parent().unwrap_or(p)));
    Ok(out)
}

/// A package to load, and whether naming it was explicit (then a package
/// without a policy is an error, not a note).
struct Selected {
    manifest: Manifest,
    text: String,
    explicit: bool,
}

/// The selected packages' policies.
fn packages(ctx: &Context, args: &Args) -> Result<Vec<Source>, Failure> {
    let path = match args.path(Key::ManifestPath) {
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
    let (manifest, text) = Manifest::read(&path)?;
    let root = workspace_root(&manifest)?.map(|(r, _)| r);
    // The workspace root: this manifest, or the one found above it.
    let root_ref: Option<&Manifest> = if manifest.workspace.is_some() {
        Some(&manifest)
    } else {
        root.as_ref()
    };
    let names = args.texts(Key::Package);
    let all = args.flag(Key::Workspace);
    let member_paths = match root_ref {
        Some(r) => members(r)?,
        None => vec![manifest.path.clone()],
    };
    let load_member = |p: &PathBuf| -> Result<(Manifest, String), Failure> {
        if canonical(p) == canonical(&manifest.path) {
            Ok((Manifest::parse(&manifest.path, &text)?, text.clone()))
        } else {
            Manifest::read(p)
        }
    };
    let mut selected: Vec<Selected> = Vec::new();
    if !names.is_empty() {
        let loaded: Vec<(Manifest, String)> = member_paths
            .iter()
            .map(load_member)
            .collect::<Result<_, _>>()?;
        let mut loaded: Vec<Option<(Manifest, String)>> = loaded.into_iter().map(Some).collect();
        for name in &names {
            let at = loaded.iter().position(|m| {
                m.as_ref()
                    .is_some_and(|(m, _)| m.package.as_deref() == Some(name))
            });
            match at {
                Some(i) => {
                    let (m, t) = loaded[i].take().expect("not taken yet");
                    selected.push(Selected {
                        manifest: m,
                        text: t,
                        explicit: true,
                    });
                }
                None if selected
                    .iter()
                    .any(|s| s.manifest.package.as_deref() == Some(name)) => {}
                None => {
                    let known: Vec<String> = member_paths
                        .iter()
                        .filter_map(|p| load_member(p).ok().and_then(|(m, _)| m.package))
                        .collect();
                    let hint = did_you_mean(name, known.iter().map(String::as_str))
                        .map_or_else(String::new, |h| format!(" ({})", h));
                    return Err(Failure::error(format!(
                        "package {:?} is not a member of the workspace at {}{}: its members are \
                         {}",
                        name,
                        root_ref.map_or(&manifest.path, |r| &r.path).display(),
                        hint,
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )));
                }
            }
        }
    } else if all || manifest.package.is_none() {
        let chosen: Vec<PathBuf> = match (&manifest.workspace, all) {
            (Some(ws), false) => match &ws.default_members {
                Some(d) => d
                    .iter()
                    .flat_map(|pat| expand(manifest.dir(), pat))
                    .map(|(d, _)| d.join("Cargo.toml"))
                    .filter(|p| p.is_file())
                    .collect(),
                None => member_paths.clone(),
            },
            _ => member_paths.clone(),
        };
        if chosen.is_empty() {
            return Err(Failure::error(format!(
                "{} is a workspace without members: expected members with a [{}] table",
                manifest.path.display(),
                PACKAGE_TABLE
            )));
        }
        for p in &chosen {
            let (m, t) = load_member(p)?;
            selected.push(Selected {
                manifest: m,
                text: t,
                explicit: false,
            });
        }
    } else {
        selected.push(Selected {
            manifest: Manifest::parse(&manifest.path, &text)?,
            text: text.clone(),
            explicit: true,
        });
    }

    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    for s in selected {
        match policy_of(&s.manifest, &s.text, root_ref)? {
            Ok(source) => sources.push(source),
            Err(why) if s.explicit => return Err(Failure::error(why)),
            Err(why) => skipped.push(why),
        }
    }
    for why in &skipped {
        ctx.note(&format!("skipped: {}", why));
    }
    if sources.is_empty() {
        return Err(Failure::error(format!(
            "no selected package of the workspace at {} has a platform-guard policy: expected a \
             member with a [{}] table (or `workspace = true` and a [{}] table in the root)",
            manifest.path.display(),
            PACKAGE_TABLE,
            WORKSPACE_TABLE
        )));
    }
    Ok(sources)
}

/// A package's policy; `Ok(Err(why))` when it has none.
fn policy_of(
    m: &Manifest,
    text: &str,
    root: Option<&Manifest>,
) -> Result<Result<Source, String>, Failure> {
    let name = m.package.clone().unwrap_or_default();
    let source = |policy: Policy, origin: Origin, known_issues: Vec<String>| Source {
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
        Table::Missing => {
            let ws = root.and_then(|r| r.workspace.as_ref());
            if m.package.is_none() {
                return Ok(Err(format!(
                    "{} is a workspace root without a package of its own",
                    m.path.display()
                )));
            }
            if Manifest::uses_guard(&m.build_deps, ws) {
                return Ok(Err(format!(
                    "{} has no [{}] table, and its build script (platform-guard is a \
                     build-dependency) states the policy in Rust, which the command cannot read: \
                     move the rules into the table (rules = [{{ level = \"stable\", cfg = '...' }}, \
                     ...], one per .stable()/.experimental()/.unstable()/.unsupported() call, with \
                     override-var and deny if set) and make build.rs \
                     `platform_guard::Policy::from_manifest().build();`",
                    m.path.display(),
                    PACKAGE_TABLE
                )));
            }
            if Manifest::uses_guard(&m.normal_deps, ws) {
                let var = package_override_var(&name);
                return Ok(Ok(source(
                    Preset::Default.policy(&var),
                    Origin::ZeroSetup,
                    Vec::new(),
                )));
            }
            Ok(Err(format!(
                "package {} ({}) has no [{}] table and does not depend on platform-guard: \
                 expected a table stating its policy, such as `preset = \"default\"`, or \
                 --preset etcd|default",
                name,
                m.path.display(),
                PACKAGE_TABLE
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_one_component() {
        assert!(glob_match("*", "app"));
        assert!(glob_match("app-*", "app-cli"));
        assert!(glob_match("a?p", "app"));
        assert!(!glob_match("app-*", "tool"));
    }
}
