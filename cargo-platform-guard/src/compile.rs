//! What one compile of a package gets that Cargo decides per compile: the
//! profile's debug assertions and panic strategy, and the enabled features,
//! for `check` and `explain` (`--release`, `--profile`, `--features`,
//! `--all-features`, `--no-default-features`, as Cargo takes them), read as
//! Cargo reads them:
//!
//! - profiles: the built-in `dev` (debug assertions on), `release` (off),
//!   `test` (inherits `dev`) and `bench` (inherits `release`); a custom
//!   profile must name what it `inherits`; settings from the workspace
//!   root's `[profile.<name>]`, then the config files' and `--config`'s,
//!   then `CARGO_PROFILE_<NAME>_DEBUG_ASSERTIONS` / `_PANIC` (each wins over
//!   the one before), a package's own `[profile.<name>.package.<name>]
//!   debug-assertions` over the profile's, unset values from the inherited
//!   profile; `panic` is ignored for `test` and `bench`;
//! - features: `default` unless `--no-default-features`, the named ones (or
//!   all with `--all-features`), and everything they enable in the
//!   package's `[features]` table, with an optional dependency's implicit
//!   feature unless a `dep:` value names it.

use std::path::Path;

use platform_guard::CompileSettings;
use toml::de::{DeTable, DeValue};

use crate::args::BuildArgs;
use crate::context::{Context, Failure};
use crate::files;
use crate::rustflags::{env_key, read_profiles, CargoConfig, ProfileSettings};
use crate::toml_doc::{self, get};

/// One compile's settings, and a sentence saying where they come from.
pub struct Compile {
    pub settings: CompileSettings,
    pub described: String,
}

/// The profile the arguments name: `--profile`, `release` for `--release`,
/// else `dev`.
fn profile_name(args: &BuildArgs) -> Result<String, Failure> {
    match (args.profile, args.release) {
        (Some(_), true) => Err(Failure::usage(
            "--release and --profile both name a profile: give one (as for Cargo)",
            Some(args.command),
        )),
        (Some(p), false) => Ok(p.to_string()),
        (None, true) => Ok("release".to_string()),
        (None, false) => Ok("dev".to_string()),
    }
}

/// The compile of `package` (its manifest `manifest`, the workspace root's
/// `root`; none for a preset outside any package) the arguments describe.
pub fn of(
    ctx: &Context,
    args: &BuildArgs,
    config: &CargoConfig,
    package: &str,
    manifest: Option<&Path>,
    root: Option<&Path>,
) -> Result<Compile, Failure> {
    let name = profile_name(args)?;
    let mut layers: Vec<(String, ProfileSettings)> = Vec::new();
    if let Some(root) = root {
        let root_text = files::read_text(root, "manifest")?;
        if let Ok(doc) = DeTable::parse(&root_text) {
            if let Some(p) = toml_doc::table(doc.get_ref(), "profile") {
                read_profiles(p, &root.display().to_string(), &mut layers)?;
            }
        }
    }
    layers.extend(config.profiles.iter().cloned());
    let profile = resolve(ctx, &layers, &name, package, 0)?;
    let features = match manifest {
        Some(m) => features(&files::read_text(m, "manifest")?, m, args)?,
        None if !args.features.is_empty() || args.all_features => {
            return Err(Failure::usage(
                "--features and --all-features need a package (not --preset): its manifest \
                 says which features exist",
                Some(args.command),
            ))
        }
        None => Vec::new(),
    };
    let panic = match name.as_str() {
        "test" | "bench" => None,
        _ => profile.panic,
    };
    let described = format!(
        "profile `{}` (debug-assertions {}, panic {}), features: {}",
        name,
        if profile.debug_assertions {
            "on"
        } else {
            "off"
        },
        panic
            .as_deref()
            .map_or_else(|| "the target's".to_string(), |p| format!("= {:?}", p)),
        if features.is_empty() {
            "none".to_string()
        } else {
            features.join(", ")
        }
    );
    Ok(Compile {
        settings: CompileSettings {
            debug_assertions: profile.debug_assertions,
            panic: panic.unwrap_or_default(),
            features,
        },
        described,
    })
}

/// A profile's resolved values.
struct Resolved {
    debug_assertions: bool,
    panic: Option<String>,
}

fn resolve(
    ctx: &Context,
    layers: &[(String, ProfileSettings)],
    name: &str,
    package: &str,
    depth: usize,
) -> Result<Resolved, Failure> {
    if depth > 16 {
        return Err(Failure::error(format!(
            "profile `{}` inherits in a circle: expected a chain that ends in dev or release",
            name
        )));
    }
    let mine: Vec<&ProfileSettings> = layers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, p)| p)
        .collect();
    // `CARGO_PROFILE_<NAME>_<KEY>`, as Cargo names a config key.
    let env = |key: &str| {
        ctx.var_str(&env_key(&["profile", name, key]))
            .map(str::to_string)
    };
    let inherits = env("inherits")
        .or_else(|| mine.iter().rev().find_map(|p| p.inherits.clone()))
        .or_else(|| match name {
            "test" => Some("dev".to_string()),
            "bench" => Some("release".to_string()),
            _ => None,
        });
    let parent = match (name, &inherits) {
        ("dev", _) => None,
        ("release", _) => None,
        (_, Some(parent)) => Some(resolve(ctx, layers, parent, package, depth + 1)?),
        (_, None) if mine.is_empty() => {
            return Err(Failure::error(format!(
                "profile `{}` is not defined (as for Cargo): expected dev, release, test, bench \
                 or a [profile.{}] table",
                name, name
            )))
        }
        (_, None) => {
            return Err(Failure::error(format!(
                "profile `{}` is missing an `inherits` directive (as for Cargo)",
                name
            )))
        }
    };
    let flag = |v: String| -> Result<bool, Failure> {
        match v.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(Failure::error(format!(
                "CARGO_PROFILE_..._DEBUG_ASSERTIONS is {:?}: expected true or false",
                v
            ))),
        }
    };
    let debug_assertions = match env("debug-assertions") {
        Some(v) => Some(flag(v)?),
        None => mine
            .iter()
            .rev()
            .find_map(|p| {
                p.package_debug_assertions
                    .iter()
                    .rev()
                    .find(|(spec, _)| spec == package || spec.split('@').next() == Some(package))
                    .map(|(_, on)| *on)
            })
            .or_else(|| mine.iter().rev().find_map(|p| p.debug_assertions)),
    };
    let panic = env("panic").or_else(|| mine.iter().rev().find_map(|p| p.panic.clone()));
    Ok(Resolved {
        debug_assertions: debug_assertions
            .or_else(|| parent.as_ref().map(|p| p.debug_assertions))
            .unwrap_or(name == "dev"),
        panic: panic.or_else(|| parent.and_then(|p| p.panic)),
    })
}

/// The package's enabled features for the arguments, sorted as Cargo
/// lists them (`CARGO_CFG_FEATURE`).
fn features(text: &str, manifest: &Path, args: &BuildArgs) -> Result<Vec<String>, Failure> {
    let doc = DeTable::parse(text).map_err(|e| {
        Failure::error(format!(
            "{}: not valid TOML: {}",
            manifest.display(),
            e.message()
        ))
    })?;
    let table = feature_table(doc.get_ref());
    let mut wanted: Vec<String> = Vec::new();
    if args.all_features {
        wanted.extend(table.iter().map(|(n, _)| n.clone()));
    }
    let requested: Vec<String> = args
        .features
        .iter()
        .flat_map(|f| f.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    for f in requested {
        // `dep/feature` (and `dep?/feature`) is a feature of a dependency:
        // it enables the package's implicit feature of an optional `dep`
        // (not for `?/`), and none of the package's own otherwise.
        if let Some((dep, _)) = f.split_once('/') {
            if !dep.ends_with('?') && table.iter().any(|(n, _)| n == dep) {
                wanted.push(dep.to_string());
            }
            continue;
        }
        if !table.iter().any(|(n, _)| *n == f) {
            return Err(Failure::error(format!(
                "the package {} does not contain this feature: {} (as for Cargo)",
                manifest.display(),
                f
            )));
        }
        wanted.push(f);
    }
    if !args.no_default_features && table.iter().any(|(n, _)| n == "default") {
        wanted.push("default".to_string());
    }
    let mut enabled: Vec<String> = Vec::new();
    while let Some(f) = wanted.pop() {
        if enabled.contains(&f) {
            continue;
        }
        if let Some((_, values)) = table.iter().find(|(n, _)| *n == f) {
            for v in values {
                if v.starts_with("dep:") || v.contains("?/") {
                    continue;
                }
                // `dep/feature` enables the dependency's implicit feature.
                let name = v.split('/').next().unwrap_or(v);
                if table.iter().any(|(n, _)| n == name) {
                    wanted.push(name.to_string());
                }
            }
        }
        enabled.push(f);
    }
    enabled.sort();
    Ok(enabled)
}

/// The package's features and what each enables, with the implicit
/// feature of each optional dependency that no `dep:` value names.
fn feature_table(root: &DeTable<'_>) -> Vec<(String, Vec<String>)> {
    let mut table: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(f) = toml_doc::table(root, "features") {
        for (name, values) in f.iter() {
            let values = values
                .get_ref()
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.get_ref().as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            table.push((name.get_ref().to_string(), values));
        }
    }
    // Optional dependencies get a feature of their name, unless a `dep:`
    // value names them.
    let named_dep = |dep: &str| {
        table
            .iter()
            .any(|(_, vs)| vs.iter().any(|v| v.strip_prefix("dep:") == Some(dep)))
    };
    let mut implicit = Vec::new();
    for dep in optional_deps(root) {
        if !named_dep(&dep) && !table.iter().any(|(n, _)| *n == dep) {
            implicit.push((dep.clone(), vec![format!("dep:{}", dep)]));
        }
    }
    table.extend(implicit);
    table
}

/// The names of the optional dependencies, from every dependency table.
fn optional_deps(root: &DeTable<'_>) -> Vec<String> {
    let mut tables: Vec<&DeTable<'_>> = Vec::new();
    for kind in ["dependencies", "build-dependencies", "build_dependencies"] {
        if let Some(t) = toml_doc::table(root, kind) {
            tables.push(t);
        }
    }
    if let Some(targets) = toml_doc::table(root, "target") {
        for (_, platform) in targets.iter() {
            if let Some(p) = platform.get_ref().as_table() {
                for kind in ["dependencies", "build-dependencies", "build_dependencies"] {
                    if let Some(t) = toml_doc::table(p, kind) {
                        tables.push(t);
                    }
                }
            }
        }
    }
    let mut deps = Vec::new();
    for t in tables {
        for (name, spec) in t.iter() {
            let optional = spec
                .get_ref()
                .as_table()
                .and_then(|s| get(s, "optional"))
                .and_then(DeValue::as_bool)
                == Some(true);
            let name = name.get_ref().to_string();
            if optional && !deps.contains(&name) {
                deps.push(name);
            }
        }
    }
    deps
}
