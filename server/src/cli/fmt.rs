//! `stagesmith fmt [--check] [PATH…]`: format Dockerfiles in place, or list the ones that would
//! change. Writes only the files it was pointed at (directly or by folder discovery).

use std::fs;
use std::path::PathBuf;

use clap::Args;

use super::{Status, discover, print_stdout, report_error, report_warning};
use crate::config::decode_utf8;
use crate::ide::format::format_text;
use crate::syntax;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when every file is formatted (or was rewritten), 1 with --check when \
a file would change (each is listed), 2 on a usage or I/O error."
)]
pub struct FmtArgs {
    /// Report files that are not formatted instead of rewriting them.
    #[arg(long)]
    check: bool,
    /// Files or folders (default: the current folder).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

pub fn run(args: &FmtArgs) -> Status {
    let discovery = discover::discover(&args.paths);
    let mut status = if discovery.errors.is_empty() {
        Status::Clean
    } else {
        Status::Trouble
    };
    for error in &discovery.errors {
        report_error(error);
    }
    for warning in &discovery.warnings {
        report_warning(warning);
    }
    for input in &discovery.inputs {
        let text = match fs::read(&input.source)
            .map_err(|error| format!("cannot read {}: {error}", input.display))
            .and_then(|bytes| decode_utf8(&input.source, bytes))
        {
            Ok(text) => text,
            Err(message) => {
                report_error(&message);
                status = Status::Trouble;
                continue;
            }
        };
        let formatted = format_text(&syntax::parse(&text).tree);
        if formatted == text {
            continue;
        }
        if args.check {
            print_stdout(&format!("would reformat {}\n", input.display));
            if status == Status::Clean {
                status = Status::Findings;
            }
        } else if let Err(error) = fs::write(&input.source, formatted) {
            report_error(&format!("cannot write {}: {error}", input.display));
            status = Status::Trouble;
        }
    }
    status
}
