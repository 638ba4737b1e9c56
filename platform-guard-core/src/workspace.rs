//! Workspace membership as Cargo reads it (feature `manifest`): the one
//! implementation that `ManifestPolicy::read` (for `workspace = true`) and
//! the `cargo platform-guard` command share.
//!
//! Cargo's rules (its `src/cargo/core/workspace.rs`), followed here step
//! for step:
//!
//! - **The root.** A manifest with a `[workspace]` table is its own root
//!   (unless its own `exclude` names it). Otherwise `package.workspace`
//!   points to the root's directory. Otherwise the directories above the
//!   package's are searched upward, from its parent: the first `Cargo.toml`
//!   with a `[workspace]` table that does not `exclude` the package is the
//!   root (one that excludes it is passed over and the search goes on
//!   above it); a package there with `package.workspace` points to the
//!   root instead. The search stops below a `target/package` directory
//!   (where `cargo package` verifies a package).
//! - **The members.** Every `members` entry is a glob pattern expanded with
//!   the `glob` crate, as Cargo does (`*`, `?`, `[...]`, `**`; a pattern
//!   that matches nothing stands for itself); what is not a directory is
//!   left out; every directory must hold a `Cargo.toml`. Then, from each
//!   member and from the root's package, every path dependency (of every
//!   table: normal, dev, build, each under `[target.'...']`, and
//!   `workspace = true` entries that take a `path` from
//!   `[workspace.dependencies]`) is a member too, transitively, when it lies
//!   inside the root's directory (or, outside it, when its own root is this
//!   one). A path under an `exclude` entry is not a member, unless it is
//!   also under a `members` entry written out (not a pattern). The root's
//!   package is a member.
//! - **The default members.** For a command run at the root:
//!   `default-members` (patterns as for `members`; each must be a member),
//!   else every member of a virtual workspace, else the root's package. For
//!   a command run at a member: that member.
//! - A package whose root does not list it is an error for Cargo ("current
//!   package believes it's in a workspace when it's not"): here too.
//!
//! Paths are made absolute with the current directory and normalised as
//! Cargo does (`.` and `..` removed by their names, symbolic links kept).
//! Manifests are read only from regular files of at most 16 MiB. Unlike
//! Cargo, the upward search does not stop at Cargo's home directory (that
//! would need the environment); it only matters for a package inside it
//! that relies on a workspace, which is an error either way.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use toml::de::DeValue;

use crate::error::Error;
use crate::manifest::{find, problem, read_manifest, Cx, Problem, Table, Value};

/// The tables of a manifest (and of each of its `[target.'...']` tables)
/// that list dependencies, in both spellings Cargo accepts.
pub const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "build-dependencies",
    "dev_dependencies",
    "build_dependencies",
];

/// A Cargo workspace as Cargo loads it for one manifest: its root, its
/// members and its default members.
///
/// ```no_run
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::Workspace;
/// use std::path::Path;
///
/// let ws = Workspace::find(Path::new("crates/app-cli/Cargo.toml"))?;
/// println!("root: {}", ws.root_manifest().display());
/// for member in ws.members() {
///     println!("member: {}", member.display());
/// }
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The manifest it was found for.
    current: PathBuf,
    /// The root's `Cargo.toml`; for a package outside any workspace, its
    /// own.
    root: PathBuf,
    /// Whether a `[workspace]` root was found (or the manifest is one).
    has_root: bool,
    /// The members' manifests (packages only), in Cargo's order.
    members: Vec<PathBuf>,
    default_members: Vec<PathBuf>,
}

impl Workspace {
    /// The workspace Cargo loads for the manifest at `manifest` (a
    /// package's, or a workspace root's), as a Cargo command run there sees
    /// it. A package outside any workspace is a workspace of its own. A
    /// package below a root that does not list it is an error, as for
    /// Cargo; so are listed members without a `Cargo.toml`, member patterns
    /// that do not parse, path dependencies without a `Cargo.toml`, and
    /// `default-members` that are not members.
    pub fn find(manifest: &Path) -> Result<Workspace, Error> {
        match Search::new().workspace(manifest)? {
            Found::Workspace(ws) => Ok(ws),
            Found::Outside { root, package } => Err(problem(Problem::OutsideWorkspace {
                root: root.display().to_string(),
                package: package.display().to_string(),
            })),
        }
    }

    /// The root manifest Cargo finds for the manifest at `manifest`, without
    /// loading the workspace's members (so without checking that the root
    /// lists it): the manifest itself when it has a `[workspace]` table,
    /// else the one `package.workspace` points to, else the nearest
    /// `[workspace]` above that does not exclude it. `None` when there is
    /// none: the package is a workspace of its own.
    pub fn root_of(manifest: &Path) -> Result<Option<PathBuf>, Error> {
        let manifest = absolute(manifest)?;
        Search::new().find_root(&manifest)
    }

    /// The manifest the workspace was found for, absolute and normalised.
    pub fn current_manifest(&self) -> &Path {
        &self.current
    }

    /// The root's `Cargo.toml` (for a package outside any workspace, its
    /// own), absolute and normalised.
    pub fn root_manifest(&self) -> &Path {
        &self.root
    }

    /// The root's directory, where Cargo puts `target` (for a package
    /// outside any workspace, its own).
    pub fn root_dir(&self) -> &Path {
        self.root.parent().unwrap_or(Path::new("/"))
    }

    /// Whether the workspace has a `[workspace]` root: false for a package
    /// outside any workspace (Cargo then treats it as a workspace of its
    /// own).
    pub fn has_root(&self) -> bool {
        self.has_root
    }

    /// The members' manifests (packages only, not a virtual root), in
    /// Cargo's order: each `members` entry with the path dependencies it
    /// brings, then the root's package with its own.
    pub fn members(&self) -> &[PathBuf] {
        &self.members
    }

    /// The packages a Cargo command run at the manifest this workspace was
    /// found for selects without `-p` or `--workspace`: at the root,
    /// `default-members`, else every member of a virtual workspace, else
    /// the root's package; at a member, that member.
    pub fn default_members(&self) -> &[PathBuf] {
        &self.default_members
    }

    /// Whether the package whose manifest is at `manifest` is a member
    /// (the path is made absolute and normalised first).
    pub fn is_member(&self, manifest: &Path) -> bool {
        absolute(manifest).map_or(false, |m| self.members.contains(&m))
    }
}

/// The root manifest of the workspace that has the package at `manifest`
/// as a member, for `workspace = true`: an error saying so when no
/// workspace encloses the package (as `cargo package` ships it) or when
/// the root Cargo finds does not list it.
pub(crate) fn member_root(manifest: &Path) -> Result<PathBuf, Error> {
    let shown = || manifest.display().to_string();
    match Search::new().workspace(manifest)? {
        Found::Workspace(ws) if ws.has_root => Ok(ws.root),
        Found::Workspace(_) => Err(problem(Problem::NoWorkspace(shown()))),
        Found::Outside { root, .. } => Err(problem(Problem::NotMember(
            root.display().to_string(),
            shown(),
        ))),
    }
}

/// What Cargo's rules need from one `Cargo.toml`.
struct Facts {
    /// It has a `[package]` table.
    package: bool,
    /// `package.workspace`.
    pointer: Option<String>,
    /// Its `[workspace]` table.
    root: Option<RootConfig>,
    /// The dependencies that may be path dependencies, in manifest order.
    deps: Vec<Dep>,
}

/// A `[workspace]` table.
struct RootConfig {
    members: Option<Vec<String>>,
    default_members: Option<Vec<String>>,
    exclude: Vec<String>,
    /// `[workspace.dependencies]` entries with a `path`.
    dependency_paths: Vec<(String, String)>,
}

/// A dependency that may come from a path.
struct Dep {
    key: String,
    /// `path = "..."`.
    path: Option<String>,
    /// `workspace = true`: the path, if any, is the workspace's.
    inherited: bool,
}

impl RootConfig {
    /// Cargo's `is_excluded`: under an `exclude` entry and under no
    /// `members` entry, both taken as written (not expanded).
    fn is_excluded(&self, root_dir: &Path, path: &Path) -> bool {
        let excluded = self
            .exclude
            .iter()
            .any(|ex| path.starts_with(root_dir.join(ex)));
        let explicit = self
            .members
            .iter()
            .flatten()
            .any(|m| path.starts_with(root_dir.join(m)));
        excluded && !explicit
    }
}

/// The answer for one manifest.
enum Found {
    Workspace(Workspace),
    /// Below `root`, which does not list it.
    Outside {
        root: PathBuf,
        package: PathBuf,
    },
}

/// One search: the manifests read so far, each read once.
struct Search {
    read: HashMap<PathBuf, Rc<Facts>>,
}

/// A manifest to visit while collecting members, and who named it.
struct Visit {
    manifest: PathBuf,
    by: By,
}

enum By {
    /// A `members` entry (`pattern` when it was expanded from a glob).
    Member { pattern: Option<String> },
    /// The root itself.
    Root,
    /// A path dependency `key` of the package at `of`, at `path`.
    Dependency {
        of: PathBuf,
        key: String,
        path: PathBuf,
    },
}

impl Search {
    fn new() -> Search {
        Search {
            read: HashMap::new(),
        }
    }

    /// The facts of the manifest at `path` (absolute, normalised).
    fn load(&mut self, path: &Path) -> Result<Rc<Facts>, Error> {
        if let Some(facts) = self.read.get(path) {
            return Ok(Rc::clone(facts));
        }
        let text = read_manifest(path)?;
        let facts = Rc::new(parse(path, &text)?);
        self.read.insert(path.to_path_buf(), Rc::clone(&facts));
        Ok(facts)
    }

    /// Cargo's `Workspace::new` for `manifest`, less the checks that fail
    /// every package of a broken workspace alike.
    fn workspace(&mut self, manifest: &Path) -> Result<Found, Error> {
        let current = absolute(manifest)?;
        let root = match self.find_root(&current)? {
            None => {
                let facts = self.load(&current)?;
                let members: Vec<PathBuf> = if facts.package {
                    vec![current.clone()]
                } else {
                    Vec::new()
                };
                return Ok(Found::Workspace(Workspace {
                    root: current.clone(),
                    current,
                    has_root: false,
                    default_members: members.clone(),
                    members,
                }));
            }
            Some(root) => root,
        };
        let facts = match self.load_root(&root)? {
            Some(facts) => facts,
            None => {
                return Err(problem(Problem::NotAWorkspaceRoot {
                    root: root.display().to_string(),
                    package: current.display().to_string(),
                }))
            }
        };
        let config = facts.root.as_ref().expect("checked by load_root");
        let root_dir = parent(&root).to_path_buf();
        let listed = members_paths(&root, config.members.as_deref().unwrap_or_default())?;
        let mut visits: Vec<Visit> = listed
            .iter()
            .map(|(dir, pattern)| Visit {
                manifest: dir.join("Cargo.toml"),
                by: By::Member {
                    pattern: pattern.clone(),
                },
            })
            .collect();
        visits.push(Visit {
            manifest: root.clone(),
            by: By::Root,
        });
        // Cargo's `find_members`: every listed member, then the root, each
        // with its path dependencies, depth first. `seen` is Cargo's set of
        // members (a virtual manifest among them), `packages` what this
        // API calls members.
        let mut packages: Vec<PathBuf> = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        for visit in visits {
            let mut stack = vec![visit];
            while let Some(Visit { manifest, by }) = stack.pop() {
                let manifest = normalize(&manifest);
                if seen.contains(&manifest) {
                    continue;
                }
                let dependency = matches!(by, By::Dependency { .. });
                if dependency {
                    Search::expect_manifest(&root, &manifest, &by)?;
                }
                if dependency
                    && !parent(&manifest).starts_with(&root_dir)
                    && self.find_root(&manifest)?.as_deref() != Some(root.as_path())
                {
                    continue; // a path dependency outside the workspace
                }
                if config.is_excluded(&root_dir, &manifest) {
                    continue;
                }
                if !dependency {
                    Search::expect_manifest(&root, &manifest, &by)?;
                }
                seen.insert(manifest.clone());
                let facts = self.load(&manifest)?;
                if !facts.package {
                    continue; // a virtual manifest: a member, not a package
                }
                packages.push(manifest.clone());
                let dir = parent(&manifest).to_path_buf();
                let mut deps: Vec<Visit> = Vec::new();
                for dep in &facts.deps {
                    let path = match (&dep.path, dep.inherited) {
                        (Some(path), false) => dir.join(path),
                        (_, true) => match config
                            .dependency_paths
                            .iter()
                            .find(|(key, _)| *key == dep.key)
                        {
                            Some((_, path)) => root_dir.join(path),
                            None => continue,
                        },
                        (None, false) => continue,
                    };
                    let path = normalize(&path);
                    deps.push(Visit {
                        manifest: path.join("Cargo.toml"),
                        by: By::Dependency {
                            of: manifest.clone(),
                            key: dep.key.clone(),
                            path,
                        },
                    });
                }
                stack.extend(deps.into_iter().rev());
            }
        }
        if !seen.contains(&current) {
            return Ok(Found::Outside {
                root,
                package: current,
            });
        }
        let default_members = if current != root {
            vec![current.clone()]
        } else if let Some(default) = &config.default_members {
            let mut chosen = Vec::new();
            for (dir, pattern) in members_paths(&root, default)? {
                let dir = normalize(&dir);
                let manifest = dir.join("Cargo.toml");
                if !seen.contains(&manifest) {
                    // An excluded default member that `members` names is
                    // left out; any other is an error.
                    if listed.iter().any(|(m, _)| *m == dir) && config.is_excluded(&root_dir, &dir)
                    {
                        continue;
                    }
                    return Err(problem(Problem::DefaultMemberNotMember {
                        root: root.display().to_string(),
                        path: dir.display().to_string(),
                        pattern,
                    }));
                }
                if packages.contains(&manifest) {
                    chosen.push(manifest);
                }
            }
            chosen
        } else if facts.package {
            vec![root.clone()]
        } else {
            packages.clone()
        };
        Ok(Found::Workspace(Workspace {
            current,
            root,
            has_root: true,
            members: packages,
            default_members,
        }))
    }

    /// The facts of the root manifest Cargo found, when it is a workspace
    /// root (`None` when it is missing or has no `[workspace]` table).
    fn load_root(&mut self, root: &Path) -> Result<Option<Rc<Facts>>, Error> {
        if !root.exists() {
            return Ok(None);
        }
        let facts = self.load(root)?;
        Ok(facts.root.is_some().then_some(facts))
    }

    /// Whether the manifest a member or a path dependency names exists; an
    /// error naming who named it when it does not.
    fn expect_manifest(root: &Path, manifest: &Path, by: &By) -> Result<(), Error> {
        if manifest.exists() {
            return Ok(());
        }
        Err(problem(match by {
            By::Member { pattern } => Problem::MissingMember {
                root: root.display().to_string(),
                member: parent(manifest).display().to_string(),
                pattern: pattern.clone(),
            },
            By::Dependency { of, key, path } => Problem::MissingPathDependency {
                manifest: of.display().to_string(),
                dependency: key.clone(),
                path: path.display().to_string(),
            },
            By::Root => return Ok(()),
        }))
    }

    /// Cargo's `find_root` for the manifest at `manifest` (absolute,
    /// normalised).
    fn find_root(&mut self, manifest: &Path) -> Result<Option<PathBuf>, Error> {
        let facts = self.load(manifest)?;
        if let Some(root) = ws_root(&facts, manifest, manifest) {
            return Ok(Some(root));
        }
        // From the package's parent directory up; not past a
        // `target/package` directory (as `cargo package` verifies there).
        for dir in manifest
            .ancestors()
            .skip(2)
            .take_while(|d| !d.ends_with("target/package"))
        {
            let candidate = dir.join("Cargo.toml");
            if !candidate.exists() {
                continue;
            }
            let facts = self.load(&candidate)?;
            if let Some(root) = ws_root(&facts, &candidate, manifest) {
                return Ok(Some(root));
            }
        }
        Ok(None)
    }
}

/// Cargo's `get_ws_root`: what the manifest at `at` says about the root of
/// the package at `package`: `at` itself when it is a root that does not
/// exclude the package, the root `package.workspace` points to, or nothing.
fn ws_root(facts: &Facts, at: &Path, package: &Path) -> Option<PathBuf> {
    match (&facts.root, &facts.pointer) {
        (Some(config), _) => (!config.is_excluded(parent(at), package)).then(|| at.to_path_buf()),
        (None, Some(pointer)) => Some(normalize(&parent(at).join(pointer).join("Cargo.toml"))),
        (None, None) => None,
    }
}

/// Cargo's `members_paths`: each pattern expanded against the root's
/// directory with the `glob` crate, directories only; a pattern that
/// matches nothing stands for itself. With each path, the pattern when it
/// was a glob.
fn members_paths(
    root: &Path,
    patterns: &[String],
) -> Result<Vec<(PathBuf, Option<String>)>, Error> {
    let root_dir = parent(root);
    let mut out = Vec::new();
    for pattern in patterns {
        let path = root_dir.join(pattern);
        let expanded = expand(root, pattern, &path)?;
        if expanded.is_empty() {
            out.push((path, None));
            continue;
        }
        let globbed = expanded.len() > 1 || expanded[0] != path;
        for dir in expanded {
            if dir.is_dir() {
                out.push((dir, globbed.then(|| pattern.clone())));
            }
        }
    }
    Ok(out)
}

/// The paths the glob `path` (the root's directory joined with `pattern`)
/// matches; none when it is not UTF-8, as for Cargo.
fn expand(root: &Path, pattern: &str, path: &Path) -> Result<Vec<PathBuf>, Error> {
    let bad = |message: String| {
        problem(Problem::MemberPattern {
            root: root.display().to_string(),
            pattern: pattern.to_string(),
            message,
        })
    };
    let text = match path.to_str() {
        Some(text) => text,
        None => return Ok(Vec::new()),
    };
    glob::glob(text)
        .map_err(|e| bad(e.to_string()))?
        .map(|entry| entry.map_err(|e| bad(e.to_string())))
        .collect()
}

/// `path` made absolute (with the current directory) and normalised.
fn absolute(path: &Path) -> Result<PathBuf, Error> {
    if path.is_absolute() {
        return Ok(normalize(path));
    }
    std::env::current_dir()
        .map(|cwd| normalize(&cwd.join(path)))
        .map_err(|e| {
            problem(Problem::CannotRead {
                path: path.display().to_string(),
                message: e.to_string(),
            })
        })
}

/// Cargo's `normalize_path`: `.` dropped, `..` taking away the component
/// before it, by name only (symbolic links are not followed).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(p) => out.push(p.as_os_str()),
            Component::RootDir => out.push(Component::RootDir),
            Component::CurDir => {}
            Component::ParentDir => {
                // `..` stays where there is nothing to take away.
                if out.ends_with(Component::ParentDir) || (!out.pop() && !out.has_root()) {
                    out.push(Component::ParentDir);
                }
            }
            Component::Normal(c) => out.push(c),
        }
    }
    out
}

/// A manifest's directory.
fn parent(manifest: &Path) -> &Path {
    manifest.parent().unwrap_or(Path::new("/"))
}

/// The facts of the manifest `text` (read from `path`); a key that decides
/// membership with the wrong type is an error naming it.
fn parse(path: &Path, text: &str) -> Result<Facts, Error> {
    let file = path.display().to_string();
    let cx = Cx { file: &file, text };
    let doc = cx.document()?;
    let doc = doc.get_ref();
    let package = find(doc, "package")
        .map(|v| cx.table(v, "package"))
        .transpose()?;
    let pointer = package
        .and_then(|p| find(p, "workspace"))
        .map(|v| cx.string(v, "package.workspace").map(str::to_string))
        .transpose()?;
    let root = match find(doc, "workspace") {
        None => None,
        Some(v) => {
            let ws = cx.table(v, "workspace")?;
            let list = |key: &str| {
                find(ws, key)
                    .map(|v| string_array(&cx, v, &format!("workspace.{}", key)))
                    .transpose()
            };
            let mut dependency_paths = Vec::new();
            if let Some(deps) = find(ws, "dependencies") {
                let deps = cx.table(deps, "workspace.dependencies")?;
                for (key, dep) in deps.iter() {
                    let at = format!("workspace.dependencies.{}", key.get_ref());
                    if let Some(path) = dep_path(&cx, dep, &at)? {
                        dependency_paths.push((key.get_ref().to_string(), path));
                    }
                }
            }
            Some(RootConfig {
                members: list("members")?,
                default_members: list("default-members")?,
                exclude: list("exclude")?.unwrap_or_default(),
                dependency_paths,
            })
        }
    };
    fn add<'t, 'i>(out: &mut Vec<(String, &'t Table<'i>)>, within: &'t Table<'i>, prefix: &str) {
        for kind in DEPENDENCY_TABLES {
            if let Some(t) = find(within, kind).and_then(|v| v.get_ref().as_table()) {
                out.push((format!("{}{}", prefix, kind), t));
            }
        }
    }
    let mut tables = Vec::new();
    add(&mut tables, doc, "");
    if let Some(targets) = find(doc, "target").and_then(|v| v.get_ref().as_table()) {
        for (platform, t) in targets.iter() {
            if let Some(t) = t.get_ref().as_table() {
                add(&mut tables, t, &format!("target.{}.", platform.get_ref()));
            }
        }
    }
    let mut deps = Vec::new();
    for (at, table) in tables {
        for (key, dep) in table.iter() {
            let inherited = dep
                .get_ref()
                .as_table()
                .and_then(|t| find(t, "workspace"))
                .map_or(false, |w| matches!(w.get_ref(), DeValue::Boolean(true)));
            let path = dep_path(&cx, dep, &format!("{}.{}", at, key.get_ref()))?;
            if path.is_some() || inherited {
                deps.push(Dep {
                    key: key.get_ref().to_string(),
                    path,
                    inherited,
                });
            }
        }
    }
    Ok(Facts {
        package: package.is_some(),
        pointer,
        root,
        deps,
    })
}

/// A dependency's `path`, if it has one.
fn dep_path(cx: &Cx<'_>, dep: &Value<'_>, at: &str) -> Result<Option<String>, Error> {
    dep.get_ref()
        .as_table()
        .and_then(|t| find(t, "path"))
        .map(|v| cx.string(v, &format!("{}.path", at)).map(str::to_string))
        .transpose()
}

/// An array of strings (`members`, `exclude`, `default-members`).
fn string_array(cx: &Cx<'_>, v: &Value<'_>, key: &str) -> Result<Vec<String>, Error> {
    const EXPECTED: &str = "an array of strings";
    match v.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .map(|item| {
                item.get_ref()
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| cx.wrong_type(v, key, EXPECTED))
            })
            .collect(),
        _ => Err(cx.wrong_type(v, key, EXPECTED)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_by_name_as_cargo_does() {
        for (given, expected) in [
            ("/a/b/../c", "/a/c"),
            ("/a/./b/", "/a/b"),
            ("/a/../../b", "/b"),
            ("a/../../b", "../b"),
            ("/", "/"),
        ] {
            assert_eq!(
                normalize(Path::new(given)),
                Path::new(expected),
                "{}",
                given
            );
        }
    }

    #[test]
    fn exclude_yields_to_members_written_out() {
        let config = RootConfig {
            members: Some(vec!["ex/b".into(), "crates/*".into()]),
            default_members: None,
            exclude: vec!["ex".into(), "crates".into()],
            dependency_paths: Vec::new(),
        };
        let root = Path::new("/w");
        assert!(!config.is_excluded(root, Path::new("/w/ex/b/Cargo.toml")));
        assert!(config.is_excluded(root, Path::new("/w/ex/c/Cargo.toml")));
        // A pattern is not a path: crates/* does not override the exclusion.
        assert!(config.is_excluded(root, Path::new("/w/crates/x/Cargo.toml")));
        assert!(!config.is_excluded(root, Path::new("/w/other/Cargo.toml")));
    }
}
