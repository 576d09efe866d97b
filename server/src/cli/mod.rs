//! Command-line interface: `stagesmith parse|check|lsp|rules|fmt|graph`.
//!
//! Exit statuses are the same for every subcommand: 0 clean, 1 findings (syntax errors for `parse`,
//! diagnostics at or above `--fail-level` for `check`), 2 usage, I/O or configuration trouble.

mod check;
mod discover;
mod fmt;
mod format;
mod graph;
mod parse;
mod rules;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "stagesmith",
    version,
    about = "Language server and linter for multi-stage Dockerfiles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the syntax tree of a Dockerfile.
    Parse(parse::ParseArgs),
    /// Lint Dockerfiles, for people and for CI.
    Check(check::CheckArgs),
    /// Run the language server.
    Lsp {
        /// Talk LSP over stdin/stdout (the only transport, accepted because clients pass it).
        #[arg(long)]
        stdio: bool,
    },
    /// List the rules, or explain one.
    Rules(rules::RulesArgs),
    /// Format Dockerfiles (in place, or `--check`).
    Fmt(fmt::FmtArgs),
    /// Print the stage graph as DOT, Mermaid or SVG.
    Graph(graph::GraphArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Clean,
    Findings,
    Trouble,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        match status {
            Status::Clean => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
            Status::Trouble => ExitCode::from(2),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `--help` and `--version` arrive here too; only real usage errors go to stderr.
            let _ = error.print();
            return if error.use_stderr() {
                Status::Trouble.into()
            } else {
                Status::Clean.into()
            };
        }
    };
    let status = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Lsp { stdio: _ } => match crate::lsp::serve_stdio() {
            Ok(()) => Status::Clean,
            Err(error) => {
                report_error(&format!("language server stopped: {error}"));
                Status::Trouble
            }
        },
        Command::Rules(args) => rules::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Graph(args) => graph::run(&args),
    };
    status.into()
}

/// Write to stdout; a reader that went away (`| head`) is not an error worth a message.
fn print_stdout(text: &str) -> Status {
    write_to(&mut anstream::stdout(), text)
}

fn write_to(out: &mut impl Write, text: &str) -> Status {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Status::Clean,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Status::Clean,
        Err(error) => {
            report_error(&format!("cannot write output: {error}"));
            Status::Trouble
        }
    }
}

/// A Dockerfile named on the command line, read as BuildKit reads it (invalid UTF-8 too, with a
/// warning); the error is already reported.
fn read_dockerfile(path: &std::path::Path) -> Result<String, Status> {
    let bytes = std::fs::read(path).map_err(|error| {
        report_error(&format!("cannot read {}: {error}", path.display()));
        Status::Trouble
    })?;
    let (text, invalid_utf8) = crate::config::decode_dockerfile(bytes);
    if let Some(invalid) = invalid_utf8 {
        report_warning(&format!(
            "{}:{}: {}",
            path.display(),
            crate::line_column::LineColumn::of(&text, invalid.replacement.start),
            invalid.message()
        ));
    }
    Ok(text)
}

fn report_error(message: &str) {
    let _ = writeln!(anstream::stderr(), "error: {message}");
}

fn report_warning(message: &str) {
    let _ = writeln!(anstream::stderr(), "warning: {message}");
}
