//! `doc`: the "Supported systems" page, in the shape of etcd's, generated
//! from the policy alone (no compiler), so `doc --check` gives the same
//! answer on every toolchain.

use platform_guard::{ArchNames, CfgExpr, CiJob, Level, Policy, Requirement, Rule, TargetCfg};

use super::Subcommand;
use crate::args::{self, Args, Key};
use crate::context::{Context, Failure, Output};
use crate::policies::PackagePolicy;
use crate::report::markdown::cell;
use crate::{files, policies};

pub const COMMAND: Subcommand = Subcommand {
    name: "doc",
    summary: "print the \"Supported systems\" page in Markdown, or check a copy",
    about: "Writes the page in the shape of etcd's: the support table (architecture, operating \
            system, status, maintainers, and the CI jobs the rules name, linked when \
            package.repository is on GitHub or GitLab), the level definitions, \"unlisted pairs are \
            unsupported\", the exact rules, the requirements for a new stable platform, the \
            32-bit and known-issue notes, and the override variable with its exact values. It \
            needs no compiler, so `doc --check FILE` answers the same on every toolchain. With \
            several packages (--workspace, -p), one page per package, each after a \
            `<!-- package NAME -->` line.",
    options: &[args::POLICY, &[Key::Check, Key::Name]],
    positionals: &[],
    formats: &[],
    run,
};

fn run(ctx: &Context, args: &Args) -> Result<Output, Failure> {
    let sources = policies::load(ctx, &args.policy())?;
    let mut page = String::new();
    for (i, source) in sources.iter().enumerate() {
        if sources.len() > 1 {
            // One page per package, each marked with its package's name.
            if i > 0 {
                page.push('\n');
            }
            page.push_str(&format!(
                "<!-- package {} -->\n\n",
                source.package.as_deref().unwrap_or("(none)")
            ));
        }
        let project = args.text(Key::Name).or(source.project.as_deref());
        page.push_str(&render(source, project));
    }
    let Some(file) = args.path(Key::Check) else {
        return Ok(Output {
            stdout: page,
            code: 0,
        });
    };
    let found = files::read_text(&ctx.cwd.join(file), "page")?;
    Ok(match first_difference(&found, &page) {
        None => Output {
            stdout: format!("{} is up to date with the policy\n", file.display()),
            code: 0,
        },
        Some((line, was, want)) => Output {
            stdout: format!(
                "{}:{}: differs from the page the policy generates\n  in the file: {}\n  \
                 generated:   {}\nregenerate it with: cargo platform-guard doc > {}\n",
                file.display(),
                line,
                was.map_or_else(|| "(end of file)".to_string(), |l| format!("{:?}", l)),
                want.map_or_else(|| "(end of page)".to_string(), |l| format!("{:?}", l)),
                file.display()
            ),
            code: 1,
        },
    })
}

type Difference<'a> = (usize, Option<&'a str>, Option<&'a str>);

/// The first line (1-based) where `found` and `want` differ, with both
/// lines (`None` past the end). Line endings `\r\n` and `\n` compare equal.
fn first_difference<'a>(found: &'a str, want: &'a str) -> Option<Difference<'a>> {
    let mut a = found.lines();
    let mut b = want.lines();
    let mut n = 0;
    loop {
        n += 1;
        match (a.next(), b.next()) {
            (None, None) => {
                // Same lines; a missing or extra final newline still counts.
                return if found.ends_with('\n') == want.ends_with('\n') {
                    None
                } else {
                    let says = |text: &str| {
                        if text.ends_with('\n') {
                            "(ends with a newline)"
                        } else {
                            "(no newline at the end)"
                        }
                    };
                    Some((n - 1, Some(says(found)), Some(says(want))))
                };
            }
            (x, y) if x == y => continue,
            (x, y) => return Some((n, x, y)),
        }
    }
}

/// The values `name` is required to have in every alternative of the
/// rule's top-level `all(...)` (or the expression itself), in order:
/// `all(target_arch = "x86_64", target_os = "linux")` requires `target_os`
/// to be `["linux"]`. An `any(...)` of equalities on `name` contributes each
/// of its values.
fn required<'r>(rule: &'r Rule, name: &str) -> Vec<&'r str> {
    fn walk<'a>(e: &'a CfgExpr, name: &str, out: &mut Vec<&'a str>) {
        match e {
            CfgExpr::KeyValue(k, v) if k == name => out.push(v),
            CfgExpr::All(list) => list.iter().for_each(|e| walk(e, name, out)),
            CfgExpr::Any(list)
                if list
                    .iter()
                    .all(|e| matches!(e, CfgExpr::KeyValue(k, _) if k == name)) =>
            {
                list.iter().for_each(|e| walk(e, name, out))
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(rule.cfg(), name, &mut out);
    out
}

/// The architecture column for a rule: the policy's naming (Go names such
/// as amd64 or ppc64le for a Go-named policy), "any" when the rule does not
/// name one.
fn arch_cells(rule: &Rule, names: ArchNames) -> Vec<String> {
    let widths = required(rule, "target_pointer_width");
    let endians = required(rule, "target_endian");
    let archs = required(rule, "target_arch");
    if archs.is_empty() {
        return vec![match widths.as_slice() {
            [w] => format!("any {}-bit", w),
            _ => "any".to_string(),
        }];
    }
    let try_widths: Vec<&str> = if widths.is_empty() {
        vec!["64", "32"]
    } else {
        widths.clone()
    };
    let try_endians: Vec<&str> = if endians.is_empty() {
        vec!["little", "big"]
    } else {
        endians
    };
    archs
        .iter()
        .map(|arch| {
            let mut shown: Vec<String> = Vec::new();
            for w in &try_widths {
                for e in &try_endians {
                    let name = arch_name(arch, w, e, names);
                    if !shown.contains(&name) {
                        shown.push(name);
                    }
                }
            }
            shown.join(" or ")
        })
        .collect()
}

/// An architecture's name in `names`, through the library's own naming
/// (`ArchNames::arch_value`, the override variable's value).
fn arch_name(arch: &str, width: &str, endian: &str, names: ArchNames) -> String {
    let cfg = format!(
        "target_arch=\"{}\"\ntarget_pointer_width=\"{}\"\ntarget_endian=\"{}\"\n",
        arch, width, endian
    );
    match TargetCfg::from_rustc_cfg("doc-target", &cfg) {
        Ok(t) => names.arch_value(&t),
        Err(_) => arch.to_string(),
    }
}

/// The operating system column: display names (Darwin for a Go-named
/// policy, as etcd writes it; macOS otherwise).
fn os_cells(rule: &Rule, names: ArchNames) -> Vec<String> {
    let oses = required(rule, "target_os");
    if oses.is_empty() {
        let families = required(rule, "target_family");
        if families.is_empty() {
            return vec!["any".to_string()];
        }
        return families.iter().map(|f| format!("any {}", f)).collect();
    }
    oses.iter()
        .map(|os| os_name(os, names).to_string())
        .collect()
}

fn os_name(os: &str, names: ArchNames) -> &str {
    match os {
        "linux" => "Linux",
        "macos" if names == ArchNames::Go => "Darwin",
        "macos" => "macOS",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        "netbsd" => "NetBSD",
        "openbsd" => "OpenBSD",
        "dragonfly" => "DragonFly BSD",
        "android" => "Android",
        "ios" => "iOS",
        "tvos" => "tvOS",
        "watchos" => "watchOS",
        "visionos" => "visionOS",
        "illumos" => "illumos",
        "solaris" => "Solaris",
        "aix" => "AIX",
        "fuchsia" => "Fuchsia",
        "haiku" => "Haiku",
        "redox" => "Redox",
        "hurd" => "GNU/Hurd",
        "wasi" => "WASI",
        "emscripten" => "Emscripten",
        "uefi" => "UEFI",
        "none" => "bare metal (no OS)",
        other => other,
    }
}

/// Whether no rule that supports anything can match a 32-bit target:
/// every such rule requires a pointer width, and none requires 32.
fn excludes_32_bit(policy: &Policy) -> bool {
    policy
        .rules()
        .iter()
        .filter(|r| r.level() != Level::Unsupported)
        .all(|r| {
            let widths = required(r, "target_pointer_width");
            !widths.is_empty() && !widths.contains(&"32")
        })
}

/// Architectures the override variable's values are listed for.
const VALUE_EXAMPLES: &[(&str, &str, &str, &str)] = &[
    ("x86_64", "64", "little", "x86_64 (64-bit)"),
    (
        "x86_64",
        "32",
        "little",
        "x86_64 with 32-bit pointers (x32)",
    ),
    ("x86", "32", "little", "x86 (32-bit)"),
    ("aarch64", "64", "little", "aarch64 (64-bit ARM)"),
    ("arm", "32", "little", "arm (32-bit ARM)"),
    ("powerpc64", "64", "little", "powerpc64, little endian"),
    ("powerpc64", "64", "big", "powerpc64, big endian"),
    ("s390x", "64", "big", "s390x"),
    ("riscv64", "64", "little", "riscv64"),
    ("loongarch64", "64", "little", "loongarch64"),
    ("mips64", "64", "little", "mips64, little endian"),
    ("wasm32", "32", "little", "wasm32"),
];

/// A link to where a workflow lives, when the repository is on a forge
/// whose URLs are known: GitHub (the workflow's runs for a file under
/// `.github/workflows/`, else the file) and GitLab (the file).
fn ci_link(repository: Option<&str>, job: &CiJob) -> Option<String> {
    let url = repository?.trim().trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let path = job.workflow().trim_start_matches("./");
    let forge_path = |host: &str| {
        url.strip_prefix(&format!("https://{}/", host))
            .filter(|rest| rest.split('/').filter(|p| !p.is_empty()).count() >= 2)
    };
    if forge_path("github.com").is_some() {
        return Some(match path.strip_prefix(".github/workflows/") {
            Some(file) if !file.contains('/') => format!("{}/actions/workflows/{}", url, file),
            _ => format!("{}/blob/HEAD/{}", url, path),
        });
    }
    if forge_path("gitlab.com").is_some() {
        return Some(format!("{}/-/blob/HEAD/{}", url, path));
    }
    None
}

/// `build [ci.yml:build](link)`, one per CI job the rule names.
fn ci_cell(rule: &Rule, repository: Option<&str>) -> String {
    let jobs: Vec<String> = Requirement::ALL
        .iter()
        .filter_map(|r| rule.ci(*r).map(|j| (r, j)))
        .map(|(r, j)| format!("{} {}", r, ci_ref(j, repository)))
        .collect();
    if jobs.is_empty() {
        "(none named)".to_string()
    } else {
        jobs.join(", ")
    }
}

/// A CI job, linked when possible: `[ci.yml:build](url)`, else
/// `` `ci.yml:build` ``.
fn ci_ref(job: &CiJob, repository: Option<&str>) -> String {
    let file = job.workflow().rsplit('/').next().unwrap_or(job.workflow());
    let text = format!("{}:{}", file, job.job());
    match ci_link(repository, job) {
        Some(url) => format!("[{}]({})", text, url),
        None => format!("`{}`", text),
    }
}

/// What every section of the page is written from.
struct Page<'a> {
    source: &'a PackagePolicy,
    policy: &'a Policy,
    names: ArchNames,
    /// The override variable, or `<PACKAGE>_UNSUPPORTED_ARCH`.
    var: String,
    repository: Option<&'a str>,
    project: Option<&'a str>,
    /// The project's name, or "the project".
    the: &'a str,
}

/// The page. Only the policy, the project's name, the repository's URL and
/// the known-issue notes go in; the same policy always gives the same page.
/// Without a project name (a preset outside any package) it speaks of "the
/// project", and of `<PACKAGE>_UNSUPPORTED_ARCH` where the programs read
/// their package's own variable.
pub fn render(source: &PackagePolicy, project: Option<&str>) -> String {
    let policy = &source.policy;
    let page = Page {
        source,
        policy,
        names: policy.arch_naming(),
        var: if source.generic_var {
            "<PACKAGE>_UNSUPPORTED_ARCH".to_string()
        } else {
            policy.override_var().to_string()
        },
        repository: source.repository.as_deref(),
        project,
        the: project.unwrap_or("the project"),
    };
    let mut p = String::new();
    page.current_support(&mut p);
    page.classification(&mut p);
    page.new_platform(&mut p);
    page.unsupported(&mut p);
    page.override_values(&mut p);
    page.officially_supported(&mut p);
    p
}

impl Page<'_> {
    /// `# Supported systems`, the support table and the level definitions.
    fn current_support(&self, p: &mut String) {
        let with_ci = self.policy.rules().iter().any(|r| !r.ci_jobs().is_empty());
        p.push_str("# Supported systems\n\n## Current support\n\n");
        match self.project {
            Some(name) => p.push_str(&format!(
                "The following table lists {} support status for common architectures and \
                 operating systems:\n\n",
                name
            )),
            None => p.push_str(
                "The following table lists the support status for common architectures and \
                 operating systems:\n\n",
            ),
        }
        if with_ci {
            p.push_str(
                "| Architecture | Operating system | Status | Maintainers | CI \
                 |\n|---|---|---|---|---|\n",
            );
        } else {
            p.push_str(
                "| Architecture | Operating system | Status | Maintainers |\n|---|---|---|---|\n",
            );
        }
        for rule in self.policy.rules() {
            for arch in arch_cells(rule, self.names) {
                for os in os_cells(rule, self.names) {
                    p.push_str(&format!(
                        "| {} | {} | {} | {} |",
                        cell(&arch),
                        cell(&os),
                        rule.level().title(),
                        cell(rule.maintainers().unwrap_or("(none named)"))
                    ));
                    if with_ci {
                        p.push_str(&format!(" {} |", cell(&ci_cell(rule, self.repository))));
                    }
                    p.push('\n');
                }
            }
        }
        p.push('\n');
        for level in [Level::Stable, Level::Experimental, Level::Unstable] {
            p.push_str(level.definition());
            p.push(' ');
        }
        p.push_str(
            "Unlisted architecture and operating system pairs are currently unsupported; caveat \
             emptor.\n\n",
        );
    }

    /// `### How a target is classified`: the exact rules.
    fn classification(&self, p: &mut String) {
        p.push_str("### How a target is classified\n\n");
        p.push_str(
            "Each rule is a Cargo cfg expression, evaluated against the values `rustc --print \
             cfg --target <triple>` reports; the rules are tried in order and the first match \
             wins:\n\n",
        );
        for (i, rule) in self.policy.rules().iter().enumerate() {
            let mut extra = String::new();
            if let Some(m) = rule.maintainers() {
                extra.push_str(&format!("; maintainers: {}", m));
            }
            if let Some(n) = rule.note() {
                extra.push_str(&format!("; {}", n));
            }
            p.push_str(&format!(
                "{}. `{}`: {}{}\n",
                i + 1,
                rule.cfg(),
                rule.level(),
                extra
            ));
        }
        if self.policy.rules().is_empty() {
            p.push_str("There are no rules.\n");
        }
        p.push_str("\nEvery other target is unsupported.");
        if let Some(level) = self.policy.denied_from() {
            p.push_str(&format!(
                " Builds for {} targets and worse fail unless {} is set to the target's \
                 architecture.",
                level, self.var
            ));
        }
        p.push_str("\n\n");
    }

    /// `## Supporting a new system platform`, and what backs each platform.
    fn new_platform(&self, p: &mut String) {
        p.push_str("## Supporting a new system platform\n\n");
        p.push_str(&format!(
            "For {} to officially support a new platform as stable, a few requirements are \
             necessary to ensure acceptable quality:\n\n\
             1. An \"official\" maintainer for the platform with clear motivation; someone must \
             be responsible for taking care of the platform.\n\
             2. Set up CI for build; {the} must compile.\n\
             3. Set up CI for running unit tests; {the} must pass simple tests.\n\
             4. Set up CI for running integration tests; {the} must pass intensive tests.\n\
             5. (Optional) Set up a functional testing cluster; {the} should survive stress \
             testing.\n\n",
            self.the,
            the = self.the
        ));
        let backed: Vec<&Rule> = self
            .policy
            .rules()
            .iter()
            .filter(|r| r.level() == Level::Stable || !r.ci_jobs().is_empty())
            .collect();
        if backed.is_empty() {
            return;
        }
        p.push_str(
            "What backs each platform (`cargo platform-guard audit` checks that each job \
             exists and builds or tests the platform):\n\n",
        );
        for rule in backed {
            p.push_str(&self.backing(rule));
        }
        p.push('\n');
    }

    /// One rule's item: its platforms, maintainers and CI jobs.
    fn backing(&self, rule: &Rule) -> String {
        let platform: Vec<String> = arch_cells(rule, self.names)
            .iter()
            .flat_map(|a| {
                os_cells(rule, self.names)
                    .into_iter()
                    .map(move |o| format!("{} {}", a, o))
            })
            .collect();
        let mut parts = vec![format!(
            "maintainers: {}",
            rule.maintainers().unwrap_or("none named")
        )];
        for r in Requirement::ALL {
            parts.push(format!(
                "{}: {}",
                r.label(),
                rule.ci(r).map_or_else(
                    || "no CI job named".to_string(),
                    |j| ci_ref(j, self.repository)
                )
            ));
        }
        format!(
            "- {} ({}): {}.\n",
            platform.join(", "),
            rule.level(),
            parts.join("; ")
        )
    }

    /// `## 32-bit and other unsupported systems`, the known issues and
    /// what the override variable does.
    fn unsupported(&self, p: &mut String) {
        p.push_str("## 32-bit and other unsupported systems\n\n");
        if excludes_32_bit(self.policy) {
            p.push_str(&format!(
                "32-bit systems are unsupported: every rule that supports a platform requires a \
                 `target_pointer_width` other than 32, so targets such as \
                 `i686-unknown-linux-gnu` and `x86_64-unknown-linux-gnux32` are unsupported{}.\n\n",
                self.project
                    .map_or_else(String::new, |n| format!(" by {}", n))
            ));
        }
        for issue in &self.source.known_issues {
            p.push_str(issue);
            p.push_str("\n\n");
        }
        match self.project {
            Some(name) => p.push_str(&format!(
                "To avoid inadvertently running a possibly unstable {name}, {name} on unstable or \
                 unsupported architectures will print a warning message and immediately exit if \
                 the environment variable `{var}` is not set to the target architecture.\n\n",
                name = name,
                var = self.var
            )),
            None => p.push_str(&format!(
                "To avoid inadvertently running a possibly unstable build, programs on unstable \
                 or unsupported architectures will print a warning message and immediately exit \
                 if the environment variable `{var}` is not set to the target architecture.\n\n",
                var = self.var
            )),
        }
        if self.source.generic_var {
            p.push_str(
                "`<PACKAGE>` is the name of the package whose program it is, with ASCII letters \
                 upper-cased and every other character replaced by `_` (`my-app` reads \
                 `MY_APP_UNSUPPORTED_ARCH`).\n\n",
            );
        }
    }

    /// The override variable's exact value per architecture.
    fn override_values(&self, p: &mut String) {
        p.push_str(&format!(
            "The value must be exactly the target's architecture, in {} naming (case-sensitive, \
             no spaces); any other value is treated like no value:\n\n",
            self.names.describe()
        ));
        p.push_str(&format!("| Architecture | `{}=` |\n|---|---|\n", self.var));
        for (arch, width, endian, label) in VALUE_EXAMPLES {
            p.push_str(&format!(
                "| {} | `{}` |\n",
                label,
                arch_name(arch, width, endian, self.names)
            ));
        }
        p.push('\n');
    }

    /// `Currently ... architectures are officially supported`.
    fn officially_supported(&self, p: &mut String) {
        let mut stable: Vec<String> = Vec::new();
        for rule in self
            .policy
            .rules()
            .iter()
            .filter(|r| r.level() == Level::Stable)
        {
            for arch in arch_cells(rule, self.names) {
                if !stable.contains(&arch) {
                    stable.push(arch);
                }
            }
        }
        let by = self
            .project
            .map_or_else(String::new, |n| format!(" by {}", n));
        match stable.len() {
            0 => p.push_str(&format!(
                "Currently no architecture is officially supported{}.\n",
                by
            )),
            1 => p.push_str(&format!(
                "Currently the {} architecture is officially supported{}.\n",
                stable[0], by
            )),
            n => p.push_str(&format!(
                "Currently {} and {} architectures are officially supported{}.\n",
                stable[..n - 1].join(", "),
                stable[n - 1],
                by
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_finds_the_line() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(first_difference("a\r\nb\r\n", "a\nb\n"), None);
        assert_eq!(
            first_difference("a\nx\nc\n", "a\nb\nc\n"),
            Some((2, Some("x"), Some("b")))
        );
        assert_eq!(
            first_difference("a\n", "a\nb\n"),
            Some((2, None, Some("b")))
        );
        assert_eq!(
            first_difference("a", "a\n"),
            Some((
                1,
                Some("(no newline at the end)"),
                Some("(ends with a newline)")
            ))
        );
    }

    #[test]
    fn go_names_follow_width_and_endianness() {
        assert_eq!(arch_name("x86_64", "64", "little", ArchNames::Go), "amd64");
        assert_eq!(
            arch_name("powerpc64", "64", "little", ArchNames::Go),
            "ppc64le"
        );
        assert_eq!(
            arch_name("powerpc64", "64", "little", ArchNames::Rust),
            "powerpc64"
        );
        let p = Policy::new("X_ARCH")
            .arch_names(ArchNames::Go)
            .stable(r#"all(target_arch = "powerpc64", target_os = "linux")"#);
        assert_eq!(
            arch_cells(&p.rules()[0], ArchNames::Go),
            ["ppc64le or ppc64"]
        );
    }
}
