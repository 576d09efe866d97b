//! `stagesmith parse [--format tree|buildkit] FILE`: the syntax tree, for debugging and for
//! comparing with BuildKit's own parser.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Status, print_stdout};
use crate::line_column::LineColumn;
use crate::syntax::{self, SyntaxError};

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 without syntax errors, 1 with syntax errors (listed on stderr \
as file:line:col: error: message), 2 on a usage or I/O error. A file that is not UTF-8 is read \
with U+FFFD for its invalid bytes and a warning naming the first."
)]
pub struct ParseArgs {
    /// `tree`: our lossless syntax tree; `buildkit`: exactly BuildKit's `Node.Dump` text.
    #[arg(long, value_enum, default_value_t = TreeFormat::Tree)]
    format: TreeFormat,
    /// The Dockerfile to parse.
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TreeFormat {
    Tree,
    Buildkit,
}

pub fn run(args: &ParseArgs) -> Status {
    let text = match super::read_dockerfile(&args.file) {
        Ok(text) => text,
        Err(status) => return status,
    };
    let parse = syntax::parse(&text);
    let dump = match args.format {
        TreeFormat::Tree => syntax::tree_dump(&parse.tree),
        TreeFormat::Buildkit => syntax::buildkit_dump(&parse.tree),
    };
    if print_stdout(&dump) == Status::Trouble {
        return Status::Trouble;
    }
    if parse.errors.is_empty() {
        return Status::Clean;
    }
    let path = args.file.display().to_string();
    let mut errors = String::new();
    for error in &parse.errors {
        errors.push_str(&error_line(&path, &text, error));
        errors.push('\n');
    }
    super::write_to(&mut anstream::stderr(), &errors);
    Status::Findings
}

/// `file:line:col: error: message`, the form editors and `grep` understand.
fn error_line(path: &str, text: &str, error: &SyntaxError) -> String {
    format!(
        "{path}:{}: error: {}",
        LineColumn::of(text, error.span.start),
        error.message.replace(['\r', '\n'], " ")
    )
}

#[cfg(test)]
mod tests {
    use super::error_line;
    use crate::syntax::{Span, SyntaxError};

    #[test]
    fn errors_point_at_line_and_column() {
        let text = "FROM alpine\n  FRO x\n";
        let error = SyntaxError {
            span: Span::new(14, 17),
            message: "unknown instruction: FRO\nsecond line".to_owned(),
        };
        assert_eq!(
            error_line("dir/Dockerfile", text, &error),
            "dir/Dockerfile:2:3: error: unknown instruction: FRO second line"
        );
    }
}
