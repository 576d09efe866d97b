//! Panics stop at the handler boundary: the request gets an internal error, the session goes on.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tower_lsp_server::jsonrpc;

/// Runs the pure computation of handler `what`; a panic (already printed to stderr by the panic
/// hook) becomes an internal error naming the handler.
pub fn catch_panic<T>(what: &str, compute: impl FnOnce() -> T) -> jsonrpc::Result<T> {
    // Handlers compute over immutable snapshots (`Arc<Document>`), so nothing is left half-updated
    // by an unwinding computation.
    catch_unwind(AssertUnwindSafe(compute)).map_err(|payload| {
        let reason = panic_message(payload.as_ref());
        eprintln!("stagesmith: {what} panicked: {reason}");
        jsonrpc::Error {
            code: jsonrpc::ErrorCode::InternalError,
            message: format!("stagesmith: {what} failed: {reason}").into(),
            data: None,
        }
    })
}

pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| (*message).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
