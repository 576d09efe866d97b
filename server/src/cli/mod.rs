//! Command-line interface: `stagesmith parse|check|lsp|rules|fmt|graph`.

use std::process::ExitCode;

pub fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("lsp") {
        return match crate::lsp::serve_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("stagesmith lsp: {error}");
                ExitCode::from(2)
            }
        };
    }
    ExitCode::SUCCESS
}
