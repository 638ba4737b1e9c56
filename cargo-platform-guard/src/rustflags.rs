//! What Cargo's configuration says about the compiler for a target: the
//! rustflags that apply, the compiler and its wrappers, and the default
//! target, read as Cargo reads them.
//!
//! Rustflags, the first source that gives any (Cargo's `extra_args`):
//! 1. `CARGO_ENCODED_RUSTFLAGS` (split on `\x1f`; set but empty: none);
//! 2. `RUSTFLAGS` (split on spaces);
//! 3. `target.<triple>.rustflags` and then every `target.'cfg(..)'.rustflags`
//!    whose expression matches the target (in the order of their keys),
//!    from the config files and `CARGO_TARGET_<TRIPLE>_RUSTFLAGS`;
//! 4. `build.rustflags`, from the config files and `CARGO_BUILD_RUSTFLAGS`.
//!
//! Config files: `.cargo/config.toml` (or `.cargo/config`) in the current
//! directory and each parent, then `$CARGO_HOME/config.toml`; a string wins
//! from the deepest directory, arrays are joined with the deeper file's
//! items later, and the environment's values come last (they win).
//!
//! Because `cfg(..)` tables depend on the target's cfg, which depends on
//! the flags, Cargo asks the compiler twice at most and warns when the two
//! answers still disagree; [`crate::toolchain`] does the same.

use std::path::{Path, PathBuf};

use platform_guard::{BuildEnv, CfgExpr, TargetCfg};
use toml::de::{DeTable, DeValue};

use crate::context::{Context, Failure};
use crate::files;
use crate::toml_doc::{self, get};

/// A value and the directory a relative path in it is relative to.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: String,
    /// For a config file, the directory that holds its `.cargo`; for the
    /// environment, the current directory.
    pub base: PathBuf,
    /// Where it was set, for messages.
    pub from: String,
}

/// One `[target.'cfg(..)']` table with rustflags.
#[derive(Debug)]
struct CfgTable {
    key: String,
    expr: CfgExpr,
    flags: Vec<String>,
}

/// Cargo's configuration, as far as the command needs it.
#[derive(Debug, Default)]
pub struct CargoConfig {
    encoded: Option<Vec<String>>,
    rustflags_env: Option<Vec<String>>,
    build_rustflags: Option<Vec<String>>,
    /// `target.<triple>.rustflags` from files, by triple, merged.
    triple_flags: Vec<(String, Vec<String>)>,
    cfg_tables: Vec<CfgTable>,
    /// The environment, for `CARGO_TARGET_<TRIPLE>_RUSTFLAGS`.
    env: BuildEnv,
    /// `build.target`: the targets a plain `cargo build` builds.
    pub build_target: Option<(Vec<String>, String)>,
    pub rustc: Option<Located>,
    pub rustc_wrapper: Option<Located>,
    pub rustc_workspace_wrapper: Option<Located>,
    /// The config files read, lowest precedence first.
    pub files: Vec<PathBuf>,
    /// The environment a build script (and the compiles) get: the
    /// process's, with Cargo's `[env]` table applied as Cargo applies it.
    pub build_env: BuildEnv,
    /// `[profile.<name>]` settings from the config files and `--config`,
    /// by profile name, later layers last.
    pub profiles: Vec<(String, ProfileSettings)>,
    /// What the command cannot know, said rather than guessed.
    pub notes: Vec<String>,
}

/// Cargo's name for a config key in the environment:
/// `target.x86_64-unknown-linux-gnu.rustflags` ->
/// `CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS`.
pub fn env_key(parts: &[&str]) -> String {
    let mut key = String::from("CARGO");
    for p in parts {
        key.push('_');
        key.extend(p.chars().map(|c| match c {
            '-' | '.' => '_',
            c => c.to_ascii_uppercase(),
        }));
    }
    key
}

/// The config files, lowest precedence first: `$CARGO_HOME/config.toml`,
/// then from the root directory down to `cwd`.
fn config_files(ctx: &Context) -> Vec<PathBuf> {
    fn in_dir(dir: &Path) -> Option<PathBuf> {
        // As Cargo: `config` wins over `config.toml` when both exist.
        let plain = dir.join("config");
        if plain.is_file() {
            return Some(plain);
        }
        let toml = dir.join("config.toml");
        toml.is_file().then_some(toml)
    }
    let mut found: Vec<PathBuf> = ctx
        .cwd
        .ancestors()
        .filter_map(|d| in_dir(&d.join(".cargo")))
        .collect();
    if let Some(home) = cargo_home(ctx) {
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if let Some(file) = in_dir(&home) {
            if !found.iter().any(|f| canon(f) == canon(&file)) {
                found.push(file);
            }
        }
    }
    found.reverse();
    found
}

/// `$CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home(ctx: &Context) -> Option<PathBuf> {
    match ctx.var("CARGO_HOME").filter(|v| !v.is_empty()) {
        Some(h) => Some(ctx.cwd.join(h)),
        None => home_dir(ctx).map(|h| h.join(".cargo")),
    }
}

/// The user's home directory: `HOME` (`USERPROFILE` on Windows).
pub fn home_dir(ctx: &Context) -> Option<PathBuf> {
    let key = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    ctx.var(key)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// A config string list: a string split on whitespace, or an array of
/// strings.
fn string_list(v: &DeValue<'_>, file: &Path, key: &str) -> Result<Vec<String>, Failure> {
    let wrong = || {
        Failure::error(format!(
            "{}: {}: expected a string or an array of strings",
            file.display(),
            key
        ))
    };
    match v {
        DeValue::String(s) => Ok(s.split_whitespace().map(str::to_string).collect()),
        DeValue::Array(items) => items
            .iter()
            .map(|i| i.get_ref().as_str().map(str::to_string).ok_or_else(wrong))
            .collect(),
        _ => Err(wrong()),
    }
}

fn env_list(ctx: &Context, key: &str) -> Result<Option<Vec<String>>, Failure> {
    match ctx.var(key) {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Some(s) => Ok(Some(s.split_whitespace().map(str::to_string).collect())),
            None => Err(Failure::error(format!(
                "{} is not valid UTF-8 ({:?}): expected UTF-8 text",
                key,
                v.to_string_lossy()
            ))),
        },
    }
}

/// One source of configuration, lowest precedence first: a file, or one
/// `--config` argument.
struct Layer {
    text: String,
    /// What relative paths in it are relative to (Cargo's
    /// `Definition::root`): the directory holding a file's `.cargo` (for
    /// `$CARGO_HOME/config.toml`, CARGO_HOME's parent; for a `--config`
    /// file, its directory's parent), or the current directory for a
    /// `--config KEY=VALUE`.
    base: PathBuf,
    /// For messages: the file, or `--config ...`.
    from: String,
}

/// One `[env]` entry, merged field by field over the layers.
#[derive(Debug, Default, Clone)]
struct EnvEntry {
    value: Option<(String, PathBuf)>,
    force: bool,
    relative: bool,
}

/// What the config layers add up to while they are read in order.
#[derive(Default)]
struct LayersRead {
    build_flags: Option<Vec<String>>,
    cfg_tables: Vec<CfgTable>,
    env_table: Vec<(String, EnvEntry)>,
}

impl CargoConfig {
    /// Reads the config files, the `--config` arguments (`KEY=VALUE` in
    /// TOML's dotted-key form, or a file when one exists at that path) and
    /// the environment, as Cargo does.
    pub fn read(ctx: &Context, cli: &[&str]) -> Result<CargoConfig, Failure> {
        let mut c = CargoConfig::default();
        c.read_env_flags(ctx);
        c.files = config_files(ctx);
        let mut layers: Vec<Layer> = Vec::new();
        for file in &c.files {
            layers.push(Layer {
                text: files::read_text(file, "Cargo config file")?,
                base: config_base(file),
                from: file.display().to_string(),
            });
        }
        for arg in cli {
            layers.push(cli_layer(ctx, arg)?);
        }
        let mut read = LayersRead::default();
        for layer in &layers {
            c.read_layer(layer, &mut read)?;
        }
        // The environment's values come after the files' (they win).
        if let Some(env) = env_list(ctx, "CARGO_BUILD_RUSTFLAGS")? {
            read.build_flags.get_or_insert_with(Vec::new).extend(env);
        }
        c.build_rustflags = read.build_flags;
        read.cfg_tables.sort_by(|a, b| a.key.cmp(&b.key));
        c.cfg_tables = read.cfg_tables;
        c.env = ctx.env.clone();
        c.build_env = build_env(ctx, read.env_table)?;
        c.read_env_build(ctx)?;
        Ok(c)
    }

    /// `CARGO_ENCODED_RUSTFLAGS` and `RUSTFLAGS`: the environment alone.
    /// Cargo ignores a value that is not UTF-8; say so.
    fn read_env_flags(&mut self, ctx: &Context) {
        if let Some(v) = ctx.var("CARGO_ENCODED_RUSTFLAGS") {
            match v.to_str() {
                Some("") => self.encoded = Some(Vec::new()),
                Some(s) => self.encoded = Some(s.split('\u{1f}').map(str::to_string).collect()),
                None => self.notes.push(
                    "CARGO_ENCODED_RUSTFLAGS is not valid UTF-8, so Cargo ignores it; so does \
                     this command"
                        .to_string(),
                ),
            }
        }
        if let Some(v) = ctx.var("RUSTFLAGS") {
            match v.to_str() {
                Some(s) => {
                    self.rustflags_env = Some(
                        s.split(' ')
                            .map(str::trim)
                            .filter(|f| !f.is_empty())
                            .map(str::to_string)
                            .collect(),
                    )
                }
                None => self.notes.push(
                    "RUSTFLAGS is not valid UTF-8, so Cargo ignores it; so does this command"
                        .to_string(),
                ),
            }
        }
    }

    /// `CARGO_BUILD_RUSTC`, `CARGO_BUILD_RUSTC_WRAPPER`,
    /// `CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER` and `CARGO_BUILD_TARGET`: over
    /// the files' values.
    fn read_env_build(&mut self, ctx: &Context) -> Result<(), Failure> {
        let env_located = |key: &str| {
            ctx.var_str(key).map(|v| Located {
                value: v.to_string(),
                base: ctx.cwd.clone(),
                from: key.to_string(),
            })
        };
        if let Some(l) = env_located("CARGO_BUILD_RUSTC") {
            self.rustc = Some(l);
        }
        if let Some(l) = env_located("CARGO_BUILD_RUSTC_WRAPPER") {
            self.rustc_wrapper = Some(l);
        }
        if let Some(l) = env_located("CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER") {
            self.rustc_workspace_wrapper = Some(l);
        }
        if let Some(t) = env_list(ctx, "CARGO_BUILD_TARGET")? {
            self.build_target = Some((t, "CARGO_BUILD_TARGET".to_string()));
        }
        Ok(())
    }

    /// One config file (or `--config` value): its `build`, `target`, `env`
    /// and `profile` tables.
    fn read_layer(&mut self, layer: &Layer, read: &mut LayersRead) -> Result<(), Failure> {
        let doc = DeTable::parse(&layer.text).map_err(|e| {
            Failure::error(format!("{}: not valid TOML: {}", layer.from, e.message()))
        })?;
        let root = doc.get_ref();
        if get(root, "include").is_some() {
            self.notes.push(format!(
                "{} uses `include`, which this command does not follow: settings from \
                 included files are not applied",
                layer.from
            ));
        }
        if let Some(build) = toml_doc::table(root, "build") {
            self.read_build(build, layer, &mut read.build_flags)?;
        }
        if let Some(targets) = toml_doc::table(root, "target") {
            self.read_targets(targets, layer, &mut read.cfg_tables)?;
        }
        if let Some(env) = toml_doc::table(root, "env") {
            read_env_table(env, layer, &mut read.env_table)?;
        }
        if let Some(profiles) = toml_doc::table(root, "profile") {
            read_profiles(profiles, &layer.from, &mut self.profiles)?;
        }
        Ok(())
    }

    /// A layer's `[build]`: rustflags add up; strings, the later layer wins.
    fn read_build(
        &mut self,
        build: &DeTable<'_>,
        layer: &Layer,
        build_flags: &mut Option<Vec<String>>,
    ) -> Result<(), Failure> {
        let file = Path::new(&layer.from);
        if let Some(v) = get(build, "rustflags") {
            build_flags.get_or_insert_with(Vec::new).extend(string_list(
                v,
                file,
                "build.rustflags",
            )?);
        }
        let located = |key: &str| -> Result<Option<Located>, Failure> {
            match get(build, key) {
                None => Ok(None),
                Some(v) => v
                    .as_str()
                    .map(|s| {
                        Some(Located {
                            value: s.to_string(),
                            base: layer.base.clone(),
                            from: format!("build.{} in {}", key, layer.from),
                        })
                    })
                    .ok_or_else(|| {
                        Failure::error(format!("{}: build.{}: expected a string", layer.from, key))
                    }),
            }
        };
        if let Some(l) = located("rustc")? {
            self.rustc = Some(l);
        }
        if let Some(l) = located("rustc-wrapper")? {
            self.rustc_wrapper = Some(l);
        }
        if let Some(l) = located("rustc-workspace-wrapper")? {
            self.rustc_workspace_wrapper = Some(l);
        }
        if let Some(v) = get(build, "target") {
            self.build_target = Some((
                string_list(v, file, "build.target")?,
                format!("build.target in {}", layer.from),
            ));
        }
        Ok(())
    }

    /// A layer's `[target.<triple>]` and `[target.'cfg(..)']` rustflags.
    fn read_targets(
        &mut self,
        targets: &DeTable<'_>,
        layer: &Layer,
        cfg_tables: &mut Vec<CfgTable>,
    ) -> Result<(), Failure> {
        let file = Path::new(&layer.from);
        for (key, table) in targets.iter() {
            let key: &str = key.get_ref();
            let Some(flags) = table.get_ref().as_table().and_then(|t| get(t, "rustflags")) else {
                continue;
            };
            let flags = string_list(flags, file, &format!("target.{}.rustflags", key))?;
            if !key.starts_with("cfg(") {
                match self.triple_flags.iter_mut().find(|(t, _)| t == key) {
                    Some((_, f)) => f.extend(flags),
                    None => self.triple_flags.push((key.to_string(), flags)),
                }
                continue;
            }
            match cfg_tables.iter_mut().find(|t| t.key == key) {
                Some(t) => t.flags.extend(flags),
                None => {
                    let expr = CfgExpr::parse(key).map_err(|e| {
                        Failure::error(format!(
                            "{}: cannot tell which targets [target.'{}'] applies to, so which \
                             rustflags a build gets: {}",
                            layer.from, key, e
                        ))
                    })?;
                    cfg_tables.push(CfgTable {
                        key: key.to_string(),
                        expr,
                        flags,
                    });
                }
            }
        }
        Ok(())
    }

    /// The rustflags Cargo gives the compiler (and the build script, as
    /// `CARGO_ENCODED_RUSTFLAGS`) for `target`, whose cfg is `cfg` when
    /// known (the `cfg(..)` tables apply only then).
    pub fn rustflags(&self, target: &str, cfg: Option<&TargetCfg>) -> Vec<String> {
        if let Some(e) = &self.encoded {
            return e.clone();
        }
        if let Some(r) = &self.rustflags_env {
            return r.clone();
        }
        // A custom target's short name is its file stem.
        let short = if target.ends_with(".json") {
            Path::new(target)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(target)
        } else {
            target
        };
        let mut flags: Vec<String> = self
            .triple_flags
            .iter()
            .filter(|(t, _)| t == short)
            .flat_map(|(_, f)| f.iter().cloned())
            .collect();
        let env_name = env_key(&["target", short, "rustflags"]);
        if let Some(list) = self.env.get(&env_name).and_then(|v| v.to_str()) {
            flags.extend(list.split_whitespace().map(str::to_string));
        }
        if let Some(cfg) = cfg {
            for t in &self.cfg_tables {
                if t.expr.matches(cfg) {
                    flags.extend(t.flags.iter().cloned());
                }
            }
        }
        if !flags.is_empty() {
            return flags;
        }
        self.build_rustflags.clone().unwrap_or_default()
    }

    /// Whether the flags can depend on the target's cfg (some `cfg(..)`
    /// table exists and no environment variable overrides them).
    pub fn depends_on_cfg(&self) -> bool {
        self.encoded.is_none() && self.rustflags_env.is_none() && !self.cfg_tables.is_empty()
    }
}

/// What relative paths in the config file `file` are relative to (Cargo's
/// `Definition::root`): the directory two levels up, which for
/// `<dir>/.cargo/config.toml` is `<dir>` and for `$CARGO_HOME/config.toml`
/// CARGO_HOME's parent.
fn config_base(file: &Path) -> PathBuf {
    file.parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// One `--config` argument: a file when one exists at that path (relative
/// to the current directory), else one `KEY=VALUE` in TOML's dotted-key
/// form, as Cargo reads it.
fn cli_layer(ctx: &Context, arg: &str) -> Result<Layer, Failure> {
    let path = ctx.cwd.join(arg);
    if !arg.is_empty() && path.exists() {
        return Ok(Layer {
            text: files::read_text(&path, "--config file")?,
            base: config_base(&path),
            from: format!("--config {}", path.display()),
        });
    }
    if DeTable::parse(arg).map_or(true, |doc| doc.get_ref().len() != 1) {
        return Err(Failure::error(format!(
            "--config argument `{}` was not a TOML dotted key expression (such as `build.jobs = \
             2`) nor a file that exists",
            arg
        )));
    }
    Ok(Layer {
        text: arg.to_string(),
        base: ctx.cwd.clone(),
        from: format!("--config {}", arg),
    })
}

/// The `[env]` table of one layer, merged into `into` field by field (a
/// later layer's `value`, `force` or `relative` replaces an earlier one's).
fn read_env_table(
    env: &DeTable<'_>,
    layer: &Layer,
    into: &mut Vec<(String, EnvEntry)>,
) -> Result<(), Failure> {
    for (key, value) in env.iter() {
        let key: &str = key.get_ref();
        let at = match into.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                into.push((key.to_string(), EnvEntry::default()));
                into.len() - 1
            }
        };
        let entry = &mut into[at].1;
        let wrong = || {
            Failure::error(format!(
                "{}: env.{}: expected a string or a table {{ value = \"...\", force = true, \
                 relative = true }}",
                layer.from, key
            ))
        };
        match value.get_ref() {
            DeValue::String(v) => entry.value = Some((v.to_string(), layer.base.clone())),
            DeValue::Table(t) => {
                if let Some(v) = get(t, "value") {
                    let v = v.as_str().ok_or_else(wrong)?;
                    entry.value = Some((v.to_string(), layer.base.clone()));
                }
                if let Some(f) = get(t, "force") {
                    entry.force = f.as_bool().ok_or_else(wrong)?;
                }
                if let Some(r) = get(t, "relative") {
                    entry.relative = r.as_bool().ok_or_else(wrong)?;
                }
            }
            _ => return Err(wrong()),
        }
    }
    Ok(())
}

/// The environment build scripts get: the process's, with each `[env]`
/// entry added unless the process already has the variable and the entry
/// is not forced (Cargo's `env_config`). `CARGO_ENV_<KEY>` replaces a
/// key's value. Cargo refuses three names, and so does this command.
fn build_env(ctx: &Context, entries: Vec<(String, EnvEntry)>) -> Result<BuildEnv, Failure> {
    let mut vars: Vec<(std::ffi::OsString, std::ffi::OsString)> = ctx
        .env
        .vars()
        .map(|(k, v)| (k.to_os_string(), v.to_os_string()))
        .collect();
    for (key, entry) in entries {
        if ["CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN"].contains(&key.as_str()) {
            return Err(Failure::error(format!(
                "setting the `{}` environment variable is not supported in the `[env]` \
                 configuration table (as for Cargo)",
                key
            )));
        }
        let (value, base) = match ctx.var_str(&env_key(&["env", &key])) {
            Some(v) => (v.to_string(), ctx.cwd.clone()),
            None => entry.value.ok_or_else(|| {
                Failure::error(format!(
                    "[env] {}: missing field `value` (as for Cargo): expected {} = \"...\" or {{ \
                     value = \"...\" }}",
                    key, key
                ))
            })?,
        };
        if !entry.force && process_has(ctx, &key) {
            continue;
        }
        let value = if entry.relative {
            base.join(value).into_os_string()
        } else {
            value.into()
        };
        vars.push((key.into(), value));
    }
    Ok(BuildEnv::from_vars(vars))
}

/// Whether the process environment has `key` (on Windows, ignoring case,
/// as Cargo looks it up there).
fn process_has(ctx: &Context, key: &str) -> bool {
    ctx.var(key).is_some()
        || (cfg!(windows)
            && ctx
                .env
                .vars()
                .any(|(k, _)| k.to_str().is_some_and(|k| k.eq_ignore_ascii_case(key))))
}

/// The `[profile.<name>]` settings a config layer states, as far as the
/// verdict needs them.
#[derive(Debug, Clone, Default)]
pub struct ProfileSettings {
    pub inherits: Option<String>,
    pub debug_assertions: Option<bool>,
    pub panic: Option<String>,
    /// `[profile.<name>.package.<spec>] debug-assertions`.
    pub package_debug_assertions: Vec<(String, bool)>,
}

/// `[profile]` of one layer (a config file, `--config`, or the workspace
/// root's manifest), appended to `into`.
pub fn read_profiles(
    profiles: &DeTable<'_>,
    layer_from: &str,
    into: &mut Vec<(String, ProfileSettings)>,
) -> Result<(), Failure> {
    for (name, table) in profiles.iter() {
        let name: &str = name.get_ref();
        let Some(table) = table.get_ref().as_table() else {
            continue;
        };
        let wrong = |key: &str, what: &str| {
            Failure::error(format!(
                "{}: profile.{}.{}: expected {}",
                layer_from, name, key, what
            ))
        };
        let mut p = ProfileSettings::default();
        if let Some(v) = get(table, "inherits") {
            p.inherits = Some(
                v.as_str()
                    .ok_or_else(|| wrong("inherits", "a string"))?
                    .to_string(),
            );
        }
        if let Some(v) = get(table, "debug-assertions") {
            p.debug_assertions = Some(
                v.as_bool()
                    .ok_or_else(|| wrong("debug-assertions", "true or false"))?,
            );
        }
        if let Some(v) = get(table, "panic") {
            p.panic = Some(
                v.as_str()
                    .ok_or_else(|| wrong("panic", "\"unwind\" or \"abort\""))?
                    .to_string(),
            );
        }
        if let Some(packages) = toml_doc::table(table, "package") {
            for (spec, t) in packages.iter() {
                if let Some(v) = t
                    .get_ref()
                    .as_table()
                    .and_then(|t| get(t, "debug-assertions"))
                {
                    let on = v
                        .as_bool()
                        .ok_or_else(|| wrong("package.*.debug-assertions", "true or false"))?;
                    p.package_debug_assertions
                        .push((spec.get_ref().to_string(), on));
                }
            }
        }
        into.push((name.to_string(), p));
    }
    Ok(())
}

/// A program named by a config value, resolved as Cargo resolves it: a
/// value with a path separator is relative to its base directory, a bare
/// name is looked up on `PATH` when run.
pub fn program(l: &Located) -> PathBuf {
    if l.value.contains(['/', '\\']) {
        l.base.join(&l.value)
    } else {
        PathBuf::from(&l.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_keys_follow_cargo() {
        assert_eq!(
            env_key(&["target", "x86_64-unknown-linux-gnu", "rustflags"]),
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS"
        );
        assert_eq!(
            env_key(&["build", "rustc-wrapper"]),
            "CARGO_BUILD_RUSTC_WRAPPER"
        );
    }

    #[test]
    fn the_first_source_with_flags_wins() {
        let cfg = TargetCfg::from_rustc_cfg(
            "x86_64-unknown-linux-gnu",
            "target_arch=\"x86_64\"\ntarget_os=\"linux\"\nunix\n",
        )
        .unwrap();
        let mut c = CargoConfig {
            build_rustflags: Some(vec!["-Cbuild".into()]),
            ..CargoConfig::default()
        };
        assert_eq!(
            c.rustflags("x86_64-unknown-linux-gnu", Some(&cfg)),
            ["-Cbuild"]
        );
        c.cfg_tables.push(CfgTable {
            key: "cfg(unix)".into(),
            expr: CfgExpr::parse("cfg(unix)").unwrap(),
            flags: vec!["-Cunix".into()],
        });
        c.triple_flags
            .push(("x86_64-unknown-linux-gnu".into(), vec!["-Ctriple".into()]));
        // Before the cfg is known, only the triple's table applies.
        assert_eq!(c.rustflags("x86_64-unknown-linux-gnu", None), ["-Ctriple"]);
        assert_eq!(
            c.rustflags("x86_64-unknown-linux-gnu", Some(&cfg)),
            ["-Ctriple", "-Cunix"]
        );
        assert_eq!(c.rustflags("i686-unknown-linux-gnu", None), ["-Cbuild"]);
        c.rustflags_env = Some(vec!["-Cenv".into()]);
        assert_eq!(
            c.rustflags("x86_64-unknown-linux-gnu", Some(&cfg)),
            ["-Cenv"]
        );
        c.encoded = Some(Vec::new());
        assert!(c
            .rustflags("x86_64-unknown-linux-gnu", Some(&cfg))
            .is_empty());
    }
}
