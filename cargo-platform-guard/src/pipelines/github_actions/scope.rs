//! What an expression can see: the matrix combination, the environment
//! (the workflow's, the job's and the step's `env`, and what earlier steps
//! wrote to `$GITHUB_ENV`), the inputs of a reusable workflow or a local
//! action, and, when a condition is weighed for one event, the event's
//! name. Everything else is run-time context: [`Value::Unknown`].

use super::value::{Text, Unknown, Value, Why};

/// The matrix an expression sees.
#[derive(Debug, Clone, Copy)]
pub enum MatrixCtx<'a> {
    /// The job has no matrix: `matrix.*` is null.
    None,
    /// One combination (an object).
    Combo(&'a Value),
    /// One combination of a matrix part of which is computed when the
    /// workflow runs: a key it does not hold is not known.
    Partial(&'a Value),
    /// A matrix computed when the workflow runs.
    Computed,
}

/// Environment variables, in the order they were set (the last wins).
#[derive(Debug, Clone, Default)]
pub struct Env(Vec<(String, Text)>);

impl Env {
    pub fn get(&self, name: &str) -> Option<&Text> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn values(&self) -> impl Iterator<Item = &Text> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn set(&mut self, name: &str, value: Text) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_string(), value));
    }
}

/// The inputs of a reusable workflow or a local action: the known ones;
/// another is not known.
pub type Inputs = Vec<(String, Value)>;

/// What an expression can see.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub matrix: MatrixCtx<'a>,
    pub env: &'a Env,
    pub inputs: &'a [(String, Value)],
    /// `github.event_name`, when a condition is weighed for one event.
    pub event: Option<&'a str>,
    /// `runner.os` and `runner.arch`, when the runner's host is known.
    pub runner: Option<(&'static str, &'static str)>,
}

static NO_ENV: std::sync::OnceLock<Env> = std::sync::OnceLock::new();

impl Scope<'static> {
    /// Nothing known: no matrix, no environment, no inputs.
    pub fn empty() -> Scope<'static> {
        Scope {
            matrix: MatrixCtx::None,
            env: NO_ENV.get_or_init(Env::default),
            inputs: &[],
            event: None,
            runner: None,
        }
    }
}

impl Scope<'_> {
    /// The value at `path` (`["matrix", "job", "target"]`).
    pub fn resolve(&self, path: &[String]) -> Value {
        let Some((root, rest)) = path.split_first() else {
            return Value::Null;
        };
        let text = path.join(".");
        let unknown = |why| Value::Unknown(Unknown::new(why, &text));
        let (base, rest) = match root.to_ascii_lowercase().as_str() {
            "matrix" => match self.matrix {
                MatrixCtx::None => (Value::Null, rest),
                MatrixCtx::Combo(c) => (c.clone(), rest),
                MatrixCtx::Partial(c) => match rest.first() {
                    Some(k) if c.get(k) == Value::Null => return unknown(Why::ComputedMatrix),
                    _ => (c.clone(), rest),
                },
                MatrixCtx::Computed => return unknown(Why::ComputedMatrix),
            },
            "env" => {
                return match rest {
                    [name] => self
                        .env
                        .get(name)
                        .map_or(Value::Null, |t| Value::Str(t.clone())),
                    _ => Value::Null,
                }
            }
            "inputs" => match rest.split_first() {
                Some((name, more)) => match self
                    .inputs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                {
                    Some((_, v)) => (v.clone(), more),
                    None => return unknown(Why::Input),
                },
                None => return unknown(Why::Input),
            },
            "github" => match (rest, self.event) {
                ([name], Some(e)) if name == "event_name" => return Value::str(e),
                _ => return unknown(Why::RunContext),
            },
            "runner" => match (rest, self.runner) {
                ([name], Some((os, _))) if name.eq_ignore_ascii_case("os") => {
                    return Value::str(os)
                }
                ([name], Some((_, arch))) if name.eq_ignore_ascii_case("arch") => {
                    return Value::str(arch)
                }
                _ => return unknown(Why::RunContext),
            },
            "secrets" => return unknown(Why::Secret),
            "needs" => return unknown(Why::JobOutput),
            "steps" => return unknown(Why::StepOutput),
            "vars" => return unknown(Why::Variable),
            "job" | "jobs" | "strategy" => return unknown(Why::RunContext),
            _ => return unknown(Why::Unsupported),
        };
        rest.iter().fold(base, |v, k| v.get(k))
    }
}
