//! `workspace/executeCommand`. With `STAGESMITH_TEST_PANIC=1` in the environment it also offers
//! `stagesmith.debug.panic`, which panics on purpose so tests can prove a panicking handler does not
//! end the session: inside the handler's guard by default, or with the argument `"unguarded"`
//! outside it, where the transport's last-resort guard catches it.

use serde_json::Value;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::ExecuteCommandParams;

use crate::ide::graph::{GraphFormat, stage_graph as render_graph};
use crate::lsp::guard::catch_panic;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

const DEBUG_PANIC: &str = "stagesmith.debug.panic";
/// `{"uri": …, "format": "svg" | "mermaid" | "dot"}` → the stage graph of an open document.
pub const STAGE_GRAPH: &str = "stagesmith.stageGraph";

fn debug_panic_enabled() -> bool {
    std::env::var_os("STAGESMITH_TEST_PANIC").is_some_and(|value| value == "1")
}

pub fn commands() -> Vec<String> {
    let mut commands = vec![
        STAGE_GRAPH.to_string(),
        crate::ide::code_lens::BUILD_STAGE_COMMAND.to_string(),
    ];
    if debug_panic_enabled() {
        commands.push(DEBUG_PANIC.to_string());
    }
    commands
}

pub fn execute_command(
    session: &Session,
    params: &ExecuteCommandParams,
) -> jsonrpc::Result<Option<Value>> {
    if params.command == STAGE_GRAPH {
        return stage_graph(session, params.arguments.first());
    }
    if params.command == crate::ide::code_lens::BUILD_STAGE_COMMAND {
        // The server never runs anything: the command line goes back for the client to show.
        return Ok(params.arguments.first().cloned());
    }
    if params.command == DEBUG_PANIC && debug_panic_enabled() {
        if params.arguments.first().and_then(Value::as_str) == Some("unguarded") {
            panic!("injected panic outside the handler guard");
        }
        return catch_panic(DEBUG_PANIC, || {
            panic!("injected panic inside the handler guard")
        });
    }
    Err(jsonrpc::Error::invalid_params(format!(
        "unknown command {:?}",
        params.command
    )))
}

fn stage_graph(session: &Session, argument: Option<&Value>) -> jsonrpc::Result<Option<Value>> {
    let uri = argument
        .and_then(|a| a.get("uri"))
        .and_then(Value::as_str)
        .and_then(|uri| uri.parse::<tower_lsp_server::ls_types::Uri>().ok())
        .ok_or_else(|| {
            jsonrpc::Error::invalid_params("stagesmith.stageGraph needs {\"uri\": …}")
        })?;
    let format_name = argument
        .and_then(|a| a.get("format"))
        .and_then(Value::as_str)
        .unwrap_or("svg");
    let format = GraphFormat::from_name(format_name).ok_or_else(|| {
        jsonrpc::Error::invalid_params(format!(
            "unknown graph format {format_name:?}: svg, mermaid or dot"
        ))
    })?;
    on_document(session, STAGE_GRAPH, &uri, |snapshot| {
        Some(Value::String(render_graph(
            snapshot.document.model(),
            format,
        )))
    })
}
