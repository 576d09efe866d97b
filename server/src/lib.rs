//! stagesmith: a language server and linter for multi-stage Dockerfiles.
//!
//! Layers, data flowing one way: [`syntax`] → [`model`] → [`ide`] → [`lsp`] / [`cli`].
//! See ARCHITECTURE.md.

pub mod cli;
pub mod config;
pub mod ide;
pub mod knowledge;
pub mod line_column;
pub mod lsp;
pub mod model;
pub mod syntax;
#[cfg(test)]
mod test_corpus;
