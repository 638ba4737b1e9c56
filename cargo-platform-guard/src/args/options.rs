//! Every option, declared once in [`OPTIONS`]: its name, value, help and
//! help section. Which subcommands accept it is not written here: each
//! subcommand lists the option groups ([`POLICY`], [`BUILD`],
//! [`COMPILER`]) and the options of its own that it takes, and the general
//! options ([`GENERAL`]) apply everywhere.

/// Which option a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Help,
    Version,
    Color,
    Quiet,
    Verbose,
    ManifestPath,
    Package,
    Workspace,
    Preset,
    OverrideVar,
    Deny,
    Target,
    Jobs,
    NoCache,
    RustcTimeout,
    Format,
    Level,
    Check,
    Name,
    Installable,
    GithubOutput,
    Root,
    Artifacts,
    FailOn,
    Config,
    Release,
    Profile,
    Features,
    AllFeatures,
    NoDefaultFeatures,
}

/// Every subcommand takes these.
pub const GENERAL: &[Key] = &[
    Key::Help,
    Key::Version,
    Key::Color,
    Key::Quiet,
    Key::Verbose,
];

/// The policy a command reads: the package's table, or a preset.
pub const POLICY: &[Key] = &[
    Key::ManifestPath,
    Key::Package,
    Key::Workspace,
    Key::Preset,
    Key::OverrideVar,
    Key::Deny,
];

/// The build a command decides for, as Cargo takes it.
pub const BUILD: &[Key] = &[
    Key::Release,
    Key::Profile,
    Key::Features,
    Key::AllFeatures,
    Key::NoDefaultFeatures,
];

/// How a command runs the compiler, and Cargo's configuration it reads.
pub const COMPILER: &[Key] = &[Key::Config, Key::Jobs, Key::NoCache, Key::RustcTimeout];

/// What an option's value is.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    /// No value.
    Flag,
    /// UTF-8 text.
    Text,
    /// A path (any bytes the platform allows).
    Path,
    /// One support level.
    Level,
    /// Support levels, comma-separated.
    Levels,
    /// A preset name.
    Preset,
    /// A whole number of at least 1.
    Count,
    /// A positive number of seconds (fractions allowed).
    Seconds,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// `auto`, `always` or `never`.
    Color,
    /// Names, comma-separated (targets).
    List,
    /// One of the subcommand's own formats (`Subcommand::formats`).
    Format,
    /// A change `diff --fail-on` fails on.
    FailOn,
}

/// A change `diff --fail-on` makes exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// A target's level drops.
    Demotion,
    /// A target's build is newly denied.
    Denial,
}

impl FailOn {
    pub const ALL: [FailOn; 2] = [FailOn::Demotion, FailOn::Denial];

    /// The value `--fail-on` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Demotion => "demotion",
            FailOn::Denial => "denial",
        }
    }
}

/// One option, declared once.
pub struct Opt {
    pub key: Key,
    pub long: &'static str,
    pub short: Option<char>,
    /// The value's name in the help (`PATH`), `None` for a flag.
    pub value: Option<&'static str>,
    pub kind: ValueKind,
    /// May be given more than once (the values add up).
    pub repeat: bool,
    /// The help section it is listed in.
    pub section: Section,
    pub help: &'static str,
}

impl Opt {
    /// `-p, --package <NAME>` or `    --format <FORMAT>`.
    pub fn synopsis(&self) -> String {
        let short = match self.short {
            Some(c) => format!("-{}, ", c),
            None => "    ".to_string(),
        };
        match self.value {
            Some(v) => format!("{}--{} <{}>", short, self.long, v),
            None => format!("{}--{}", short, self.long),
        }
    }
}

/// The sections of a subcommand's help, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Command,
    Policy,
    Build,
    Compiler,
    General,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Command,
        Section::Policy,
        Section::Build,
        Section::Compiler,
        Section::General,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Command => "Options",
            Section::Policy => {
                "Policy (default: the package's table, found as Cargo finds Cargo.toml)"
            }
            Section::Build => "Build (as Cargo takes them: the build this decides for)",
            Section::Compiler => "Compiler",
            Section::General => "General",
        }
    }
}

/// Every option.
pub const OPTIONS: &[Opt] = &[
    Opt {
        key: Key::Format,
        long: "format",
        short: None,
        value: Some("FORMAT"),
        kind: ValueKind::Format,
        repeat: false,
        section: Section::Command,
        help: "the output format:",
    },
    Opt {
        key: Key::Installable,
        long: "installable",
        short: None,
        value: Some("WHICH"),
        kind: ValueKind::Choice(&["yes", "no", "any"]),
        repeat: false,
        section: Section::Command,
        help: "yes: only targets rustup can install (`rustup target add`), per the \
               toolchain's own channel manifest; no: only the others; any: both (the default, \
               except for --format github, which lists only installable targets)",
    },
    Opt {
        key: Key::GithubOutput,
        long: "github-output",
        short: None,
        value: Some("NAME"),
        kind: ValueKind::Text,
        repeat: false,
        section: Section::Command,
        help: "with --format github: append NAME=<the matrix> to the file $GITHUB_OUTPUT \
               names, as a GitHub Actions step sets its output NAME (the matrix is printed too); \
               when the command fails, or GITHUB_OUTPUT is not set or not a regular file, \
               nothing is written and the exit status is 2, so the step fails",
    },
    Opt {
        key: Key::Root,
        long: "root",
        short: None,
        value: Some("DIR"),
        kind: ValueKind::Path,
        repeat: false,
        section: Section::Command,
        help: "the repository's root, where .github/workflows, dist-workspace.toml and \
               Cross.toml are (default: the workspace root's directory, else the package's)",
    },
    Opt {
        key: Key::Artifacts,
        long: "artifacts",
        short: None,
        value: Some("DIR"),
        kind: ValueKind::Path,
        repeat: true,
        section: Section::Command,
        help: "also judge the programs and libraries (ELF, Mach-O, PE) in DIR and its \
               subdirectories as `inspect` does (repeatable); other files are skipped",
    },
    Opt {
        key: Key::FailOn,
        long: "fail-on",
        short: None,
        value: Some("CHANGE"),
        kind: ValueKind::FailOn,
        repeat: true,
        section: Section::Command,
        help: "exit 1 when a target is demoted (its level drops) or newly denied \
               (repeatable); without it diff exits 0",
    },
    Opt {
        key: Key::Level,
        long: "level",
        short: None,
        value: Some("LEVEL,..."),
        kind: ValueKind::Levels,
        repeat: false,
        section: Section::Command,
        help: "only targets at these levels (stable, experimental, unstable, unsupported); \
               default: every level, except for --format github and docker, which list only \
               the levels whose programs run (stable, experimental) and say on stderr how many \
               targets that left out",
    },
    Opt {
        key: Key::Target,
        long: "target",
        short: None,
        value: Some("TRIPLE,..."),
        kind: ValueKind::List,
        repeat: true,
        section: Section::Command,
        help: "the targets, comma-separated or repeated (default: Cargo's build.target, else \
               the host); a path to a custom target .json is passed to rustc as is",
    },
    Opt {
        key: Key::Check,
        long: "check",
        short: None,
        value: Some("FILE"),
        kind: ValueKind::Path,
        repeat: false,
        section: Section::Command,
        help: "compare FILE with the page instead of printing it: exit 1 and name the first \
               line that differs when it is stale",
    },
    Opt {
        key: Key::Name,
        long: "name",
        short: None,
        value: Some("NAME"),
        kind: ValueKind::Text,
        repeat: false,
        section: Section::Command,
        help: "the project's name in the page (default: the package's name, or etcd for \
               --preset etcd)",
    },
    Opt {
        key: Key::ManifestPath,
        long: "manifest-path",
        short: None,
        value: Some("PATH"),
        kind: ValueKind::Path,
        repeat: false,
        section: Section::Policy,
        help: "the Cargo.toml to read (default: Cargo.toml in the current directory or the \
               nearest parent that has one)",
    },
    Opt {
        key: Key::Package,
        long: "package",
        short: Some('p'),
        value: Some("NAME"),
        kind: ValueKind::Text,
        repeat: true,
        section: Section::Policy,
        help: "the workspace member whose policy to use (repeatable)",
    },
    Opt {
        key: Key::Workspace,
        long: "workspace",
        short: None,
        value: None,
        kind: ValueKind::Flag,
        repeat: false,
        section: Section::Policy,
        help: "every workspace member's policy (a member without one is named and skipped)",
    },
    Opt {
        key: Key::Preset,
        long: "preset",
        short: None,
        value: Some("NAME"),
        kind: ValueKind::Preset,
        repeat: false,
        section: Section::Policy,
        help: "a built-in policy instead of a manifest's: etcd or default",
    },
    Opt {
        key: Key::OverrideVar,
        long: "override-var",
        short: None,
        value: Some("NAME"),
        kind: ValueKind::Text,
        repeat: false,
        section: Section::Policy,
        help: "the override variable instead of the policy's",
    },
    Opt {
        key: Key::Deny,
        long: "deny",
        short: None,
        value: Some("LEVEL"),
        kind: ValueKind::Level,
        repeat: false,
        section: Section::Policy,
        help: "deny LEVEL and every less-supported level, as the policy's `deny` \
               (PLATFORM_GUARD_DENY in the environment is honoured too, as in a build)",
    },
    Opt {
        key: Key::Release,
        long: "release",
        short: Some('r'),
        value: None,
        kind: ValueKind::Flag,
        repeat: false,
        section: Section::Build,
        help: "decide for the release profile (default: dev), as `cargo build --release`",
    },
    Opt {
        key: Key::Profile,
        long: "profile",
        short: None,
        value: Some("NAME"),
        kind: ValueKind::Text,
        repeat: false,
        section: Section::Build,
        help: "decide for this profile: its debug-assertions and panic settings from the \
               workspace root's [profile.NAME], the config files and CARGO_PROFILE_NAME_*",
    },
    Opt {
        key: Key::Features,
        long: "features",
        short: Some('F'),
        value: Some("FEATURES"),
        kind: ValueKind::List,
        repeat: true,
        section: Section::Build,
        help: "decide with these features enabled (comma-separated or repeated), and the \
               features they enable",
    },
    Opt {
        key: Key::AllFeatures,
        long: "all-features",
        short: None,
        value: None,
        kind: ValueKind::Flag,
        repeat: false,
        section: Section::Build,
        help: "decide with every feature of the package enabled",
    },
    Opt {
        key: Key::NoDefaultFeatures,
        long: "no-default-features",
        short: None,
        value: None,
        kind: ValueKind::Flag,
        repeat: false,
        section: Section::Build,
        help: "decide without the default feature",
    },
    Opt {
        key: Key::Config,
        long: "config",
        short: None,
        value: Some("KEY=VALUE|PATH"),
        kind: ValueKind::Text,
        repeat: true,
        section: Section::Build,
        help: "a Cargo configuration value (`build.rustflags = [...]`, `env.NAME = \"...\"`) \
               or file, as `cargo --config` takes it: over the config files (repeatable)",
    },
    Opt {
        key: Key::Jobs,
        long: "jobs",
        short: Some('j'),
        value: Some("N"),
        kind: ValueKind::Count,
        repeat: false,
        section: Section::Compiler,
        help: "compiler processes at once (default: 2 x the CPUs)",
    },
    Opt {
        key: Key::NoCache,
        long: "no-cache",
        short: None,
        value: None,
        kind: ValueKind::Flag,
        repeat: false,
        section: Section::Compiler,
        help: "ask the compiler about every target instead of reading (and writing) the cache \
               of each target's cfg",
    },
    Opt {
        key: Key::RustcTimeout,
        long: "rustc-timeout",
        short: None,
        value: Some("SECONDS"),
        kind: ValueKind::Seconds,
        repeat: false,
        section: Section::Compiler,
        help: "give up on a compiler process that has not answered after SECONDS (default: \
               60)",
    },
    Opt {
        key: Key::Help,
        long: "help",
        short: Some('h'),
        value: None,
        kind: ValueKind::Flag,
        repeat: true,
        section: Section::General,
        help: "print this help",
    },
    Opt {
        key: Key::Version,
        long: "version",
        short: Some('V'),
        value: None,
        kind: ValueKind::Flag,
        repeat: true,
        section: Section::General,
        help: "print the version",
    },
    Opt {
        key: Key::Color,
        long: "color",
        short: None,
        value: Some("WHEN"),
        kind: ValueKind::Color,
        repeat: false,
        section: Section::General,
        help: "colour on stderr: auto (a terminal, TERM not dumb, NO_COLOR not set), always or \
               never (default: CARGO_TERM_COLOR, else auto)",
    },
    Opt {
        key: Key::Quiet,
        long: "quiet",
        short: Some('q'),
        value: None,
        kind: ValueKind::Flag,
        repeat: true,
        section: Section::General,
        help: "print no warnings or notes on stderr, only errors",
    },
    Opt {
        key: Key::Verbose,
        long: "verbose",
        short: Some('v'),
        value: None,
        kind: ValueKind::Flag,
        repeat: true,
        section: Section::General,
        help: "also print what the command runs and the details of what it skips",
    },
];
