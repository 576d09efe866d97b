//! Language Server Protocol glue: the only module that knows LSP types.
//!
//! - `transport`: framing and JSON-RPC validation between stdio and `tower-lsp-server`.
//! - `server`: the `LanguageServer` impl, delegating each method to a file in `handlers/`.
//! - `capabilities`: what we announce, one entry per handler.
//! - `documents`: versioned documents (ropey) with their lazily computed parse and diagnostics.
//! - `position`: byte offsets ↔ LSP positions in the negotiated encoding.
//! - `settings`: client settings → `Config`.
//! - `guard`: panics caught at the handler boundary.

mod capabilities;
mod documents;
mod files;
mod guard;
mod handlers;
mod position;
mod server;
mod settings;
mod transport;

pub use documents::{Document, DocumentStore};
pub use files::is_dockerfile_name;
pub use position::{LineIndex, PositionEncoding};
/// What `Document::diagnostics` lints under (the fuzz targets lint with the defaults).
pub use settings::Settings;
/// The protocol types our public API takes (the fuzz targets drive `DocumentStore` with them).
pub use tower_lsp_server::ls_types;
pub use transport::{SessionEnd, serve};

/// Serves LSP on stdin/stdout until `exit` or the end of stdin; logs go to stderr. Exits the
/// process with code 1 when the client sends `exit` without `shutdown`, as the spec asks.
pub fn serve_stdio() -> std::io::Result<()> {
    // One thread: every handler computes synchronously (edits must apply in arrival order
    // anyway), and with one allocating thread glibc keeps one heap, which keeps peak RSS
    // about a third lower than with worker threads each growing their own arena.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let end = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Reading stdin blocks a runtime thread until the client closes it; do not wait for that.
    runtime.shutdown_background();
    match end {
        SessionEnd::InputClosed
        | SessionEnd::Exit {
            after_shutdown: true,
        } => Ok(()),
        SessionEnd::Exit {
            after_shutdown: false,
        } => std::process::exit(1),
    }
}
