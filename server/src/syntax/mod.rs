//! Lossless, never-failing Dockerfile syntax layer.
//!
//! `parse(text)` follows BuildKit's parser (`frontend/dockerfile/parser`) line for line: parser
//! directives, escape character, continuations (with comment and blank lines inside them), heredocs,
//! JSON (exec) form with the silent fallback to shell form, flags, and the per-instruction argument
//! splitting. Where BuildKit stops at the first error we record the error and go on, so a half-typed
//! line damages only itself.
//!
//! Everything is in byte offsets into the original text. No LSP types here.

mod buildkit_dump;
mod edit;
mod json;
mod lexer;
mod parser;
mod reparse;
mod shell_words;
mod tree;
mod tree_dump;
pub mod vars;

pub use buildkit_dump::buildkit_dump;
pub use edit::{TreeChange, TreeEdit};
pub use parser::parse;
pub use reparse::reparse;
pub use shell_words::unquote;
pub use tree::*;
pub use tree_dump::tree_dump;
pub use vars::{Expansion, VarModifier, VarRef};
