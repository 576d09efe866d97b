//! `didOpen`/`didChange`/`didClose`: entirely synchronous, so edits apply in arrival order (see
//! `transport.rs`); diagnostics are queued, never awaited here.

use tower_lsp_server::ls_types::*;

use crate::lsp::files::is_dockerfile_document;
use crate::lsp::server::Session;

pub fn did_open(session: &Session, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    if !is_dockerfile_document(&document.uri, &document.language_id) {
        eprintln!(
            "stagesmith: not a Dockerfile, ignored: {} ({})",
            document.uri.as_str(),
            document.language_id
        );
        return;
    }
    session
        .documents
        .open(document.uri.clone(), document.version, &document.text);
    session.schedule_diagnostics(document.uri);
}

pub fn did_change(session: &Session, params: &DidChangeTextDocumentParams) {
    let uri = &params.text_document.uri;
    let replaced = session.documents.change(
        uri,
        params.text_document.version,
        &params.content_changes,
        session.support().encoding,
    );
    if replaced.is_some() {
        session.schedule_diagnostics(uri.clone());
    } else {
        eprintln!(
            "stagesmith: change to a document that is not open: {}",
            uri.as_str()
        );
    }
}

pub fn did_close(session: &Session, params: DidCloseTextDocumentParams) {
    session.documents.close(&params.text_document.uri);
    session.sent_tokens.forget(&params.text_document.uri);
    session.schedule_diagnostics(params.text_document.uri);
    return_freed_memory();
}

/// glibc keeps the pages a closed document freed for later reuse instead of returning them, so a
/// server that once opened a 10 MB file stayed at hundreds of MiB (measured by
/// tests/tests/stress.rs); trimming hands them back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: malloc_trim only releases free pages of the allocator's own heaps; it takes no
    // pointer and leaves every live allocation untouched.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_memory() {}
