//! A child process run with bounds: its output is capped, it is killed
//! when it has not finished after the timeout, and a process that fails is
//! an error carrying the first line of its complaint. What went wrong is
//! data ([`Error`]); the sentence is written once, naming the command.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::context::Failure;

/// One finished process.
pub struct Finished {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// The bounds of one run.
pub struct Limits {
    pub timeout: Duration,
    /// The most of stdout and of stderr that is read.
    pub stdout: usize,
    pub stderr: usize,
}

/// Why a bounded run did not give an answer.
#[derive(Debug)]
pub enum Error {
    /// The process could not be started.
    Spawn(std::io::Error),
    /// A thread to read its output could not be started.
    Thread(std::io::Error),
    /// It printed more than the limit on stdout (`true`) or stderr.
    TooLong { stdout: bool, limit: usize },
    /// It had not finished after the timeout (it was killed).
    Timeout(Duration),
    /// Waiting for it failed.
    Wait(std::io::Error),
    /// It exited unsuccessfully; the first line of its complaint.
    Failed { status: ExitStatus, first: String },
}

impl Error {
    /// The error's sentence about the command shown as `shown`.
    pub fn into_failure(self, shown: &str) -> Failure {
        Failure::error(match self {
            Error::Spawn(e) => format!("cannot run `{}`: {}", shown, e),
            Error::Thread(e) => return thread_failure(&e, shown),
            Error::TooLong { stdout, limit } => format!(
                "`{}` printed more than {} MiB on {}: expected {}",
                shown,
                limit / (1024 * 1024),
                if stdout { "stdout" } else { "stderr" },
                if stdout {
                    "a short answer"
                } else {
                    "a short complaint"
                }
            ),
            Error::Timeout(t) => format!(
                "`{}` did not finish within {}: gave up on it (set --rustc-timeout to wait longer)",
                shown,
                seconds(t)
            ),
            Error::Wait(e) => format!("cannot wait for `{}`: {}", shown, e),
            Error::Failed { status, first } => {
                format!("`{}` failed ({}): {}", shown, status, first)
            }
        })
    }
}

/// Runs `command` (stdin closed, stdout and stderr read) within `limits`.
pub fn run(mut command: Command, limits: &Limits) -> Result<Finished, Error> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Error::Spawn)?;
    let deadline = Instant::now() + limits.timeout;
    let output = read_both(&mut child, limits, deadline).and_then(|(out, err)| {
        let status = wait(&mut child, deadline, limits.timeout)?;
        if status.success() {
            Ok(Finished {
                stdout: out,
                stderr: err,
            })
        } else {
            Err(Error::Failed {
                status,
                first: first_error(&err),
            })
        }
    });
    if output.is_err() {
        let _ = child.kill();
        let _ = child.wait();
    }
    output
}

/// Both pipes read to their end, each on a thread of its own, until the
/// deadline.
fn read_both(
    child: &mut Child,
    limits: &Limits,
    deadline: Instant,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let (tx, rx) = mpsc::channel();
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        unreachable!("both pipes were asked for");
    };
    reader(stdout, limits.stdout, tx.clone(), true)
        .and_then(|()| reader(stderr, limits.stderr, tx, false))
        .map_err(Error::Thread)?;
    let (mut out, mut err) = (None, None);
    while out.is_none() || err.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((true, Ok(bytes))) => out = Some(bytes),
            Ok((false, Ok(bytes))) => err = Some(bytes),
            Ok((stdout, Err(()))) => {
                let limit = if stdout { limits.stdout } else { limits.stderr };
                return Err(Error::TooLong { stdout, limit });
            }
            Err(_) => return Err(Error::Timeout(limits.timeout)),
        }
    }
    Ok((out.unwrap_or_default(), err.unwrap_or_default()))
}

/// The exit status, once both pipes are closed (the process is gone or
/// going), polled until the deadline.
fn wait(child: &mut Child, deadline: Instant, timeout: Duration) -> Result<ExitStatus, Error> {
    let mut pause = Duration::from_micros(200);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() >= deadline => return Err(Error::Timeout(timeout)),
            Ok(None) => {
                std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(e) => return Err(Error::Wait(e)),
        }
    }
}

/// The first line of a compiler's complaint.
fn first_error(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .find(|l| l.starts_with("error"))
        .or_else(|| text.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("no message")
        .chars()
        .take(300)
        .collect()
}

/// Reads up to `cap` bytes of `from` on a thread of its own; sends the
/// bytes, or `Err(())` when there were more.
fn reader<R: Read + Send + 'static>(
    mut from: R,
    cap: usize,
    tx: mpsc::Sender<(bool, Result<Vec<u8>, ()>)>,
    is_stdout: bool,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("rustc-output".into())
        .spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 16 * 1024];
            let result = loop {
                match from.read(&mut chunk) {
                    Ok(0) => break Ok(buf),
                    Ok(n) => {
                        if buf.len() + n > cap {
                            break Err(());
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break Ok(buf),
                }
            };
            let _ = tx.send((is_stdout, result));
        })
        .map(drop)
}

/// A thread that could not be started to run `what`.
pub fn thread_failure(e: &std::io::Error, what: &str) -> Failure {
    Failure::error(format!(
        "cannot start a thread to run `{}`: {} (lower --jobs, or raise the process's limits)",
        what, e
    ))
}

/// `60 s`, `0.5 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{} s", s as u64)
    } else {
        format!("{} s", s)
    }
}
