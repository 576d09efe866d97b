//! `workspace/executeCommand`. With `STAGESMITH_TEST_PANIC=1` in the environment it also offers
//! `stagesmith.debug.panic`, which panics on purpose so tests can prove a panicking handler does not
//! end the session: inside the handler's guard by default, or with the argument `"unguarded"`
//! outside it, where the transport's last-resort guard catches it.

use serde_json::Value;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::ExecuteCommandParams;

use crate::lsp::guard::catch_panic;

const DEBUG_PANIC: &str = "stagesmith.debug.panic";

fn debug_panic_enabled() -> bool {
    std::env::var_os("STAGESMITH_TEST_PANIC").is_some_and(|value| value == "1")
}

pub fn commands() -> Vec<String> {
    let mut commands = Vec::new();
    if debug_panic_enabled() {
        commands.push(DEBUG_PANIC.to_string());
    }
    commands
}

pub fn execute_command(params: &ExecuteCommandParams) -> jsonrpc::Result<Option<Value>> {
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
