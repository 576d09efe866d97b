//! Command-line interface: `stagesmith parse|check|lsp|rules|fmt|graph`.

use std::process::ExitCode;

pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
