//! The help, derived from the options and the subcommands: the global
//! help lists the subcommands, each subcommand's help the options it
//! takes, by section, with its formats under `--format`.

use super::options::{Key, Opt, Section, OPTIONS};
use super::Subcommand;

/// Wraps `text` at `width` columns, every line after the first indented by
/// `indent` spaces.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.len() > width.saturating_sub(indent) {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

pub const WIDTH: usize = 80;

/// `cargo platform-guard --help`.
pub fn global_help(all: &[&Subcommand]) -> String {
    let mut h = format!(
        "cargo platform-guard {}: check and publish a platform-guard support policy\n\n\
         Usage: cargo platform-guard <COMMAND> [OPTIONS]\n\nCommands:\n",
        env!("CARGO_PKG_VERSION")
    );
    let width = all.iter().map(|c| c.name.len()).max().unwrap_or(4).max(4);
    for c in all {
        h.push_str(&format!(
            "  {:<w$}  {}\n",
            c.name,
            wrap(c.summary, width + 4, WIDTH),
            w = width
        ));
    }
    h.push_str(&format!(
        "  {:<w$}  print this help, or a command's (help <COMMAND>)\n",
        "help",
        w = width
    ));
    h.push_str("\nOptions:\n");
    for o in OPTIONS.iter().filter(|o| o.section == Section::General) {
        h.push_str(&format!(
            "  {:<20}  {}\n",
            o.synopsis(),
            wrap(o.help, 24, WIDTH)
        ));
    }
    h.push_str(&format!(
        "\n{}\n\n{}\n",
        wrap(
            "See `cargo platform-guard <COMMAND> --help` for each command's options. The policy \
             is the current package's [package.metadata.platform-guard] table (Cargo.toml found \
             as Cargo finds it), a workspace's [workspace.metadata.platform-guard] for members \
             that say `workspace = true`, the default policy for a package that only depends \
             on platform-guard, or --preset.",
            0,
            WIDTH
        ),
        wrap(EXIT_STATUS, 0, WIDTH)
    ));
    h
}

const EXIT_STATUS: &str = "Exit status: 0 success; 1 a denied target (check), a stale page \
                           (doc --check), a denied target a pipeline builds or ships \
                           (pipeline), an unmet requirement of a stable rule (audit), a \
                           change named by --fail-on (diff) or a shipped file denied, refused \
                           or above a floor (inspect); 2 a usage, policy, manifest, file or \
                           compiler error.";

/// `cargo platform-guard <COMMAND> --help`.
pub fn command_help(command: &Subcommand) -> String {
    let mut usage = format!("cargo platform-guard {} [OPTIONS]", command.name);
    for p in command.positionals {
        usage.push_str(&format!(" <{}>", p));
    }
    let mut h = format!(
        "{}\n\nUsage: {}\n\n{}\n",
        wrap(
            &format!("cargo platform-guard {}: {}", command.name, command.summary),
            2,
            WIDTH
        ),
        usage,
        wrap(command.about, 0, WIDTH)
    );
    let opts: Vec<&Opt> = OPTIONS.iter().filter(|o| command.takes(o.key)).collect();
    let col = opts.iter().map(|o| o.synopsis().len()).max().unwrap_or(0) + 4;
    for section in Section::ALL {
        let here: Vec<&&Opt> = opts.iter().filter(|o| o.section == section).collect();
        if here.is_empty() {
            continue;
        }
        h.push_str(&format!("\n{}:\n", section.title()));
        for o in here {
            let syn = o.synopsis();
            h.push_str(&format!(
                "  {}{}{}\n",
                syn,
                " ".repeat(col - 2 - syn.len()),
                wrap(o.help, col, WIDTH)
            ));
            if o.key == Key::Format {
                for (i, (format, what)) in command.formats.iter().enumerate() {
                    let line = format!(
                        "{}{}: {}",
                        format,
                        if i == 0 { " (the default)" } else { "" },
                        what
                    );
                    h.push_str(&format!(
                        "{}- {}\n",
                        " ".repeat(col),
                        wrap(&line, col + 2, WIDTH)
                    ));
                }
            }
        }
    }
    h.push_str(&format!("\n{}\n", wrap(EXIT_STATUS, 0, WIDTH)));
    h
}
