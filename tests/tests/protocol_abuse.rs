//! The real binary under broken input: every case is answered per JSON-RPC and the session goes on.

use stagesmith_tests::serde_json::{Value, json};
use stagesmith_tests::{Server, range, result};

fn started() -> Server {
    let mut server = Server::start();
    server.initialize(&[]);
    server
}

/// The next error response with a null id (the answer to a message we could not read).
fn null_id_error(server: &mut Server) -> i64 {
    let response = server.wait_for("an error with id null", |message| {
        message.get("error").is_some() && message["id"].is_null()
    });
    response["error"]["code"].as_i64().unwrap_or_default()
}

/// Sends `bytes`, expects one error with id null and `code`, then a normal answer.
fn answered_with(server: &mut Server, bytes: &[u8], code: i64) {
    server.send_raw(bytes);
    assert_eq!(
        null_id_error(server),
        code,
        "{}",
        String::from_utf8_lossy(bytes)
    );
    server.assert_alive();
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

#[test]
fn malformed_content_length_is_a_parse_error_and_the_stream_resynchronises() {
    let mut server = started();
    answered_with(
        &mut server,
        b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"shutdown\"}",
        -32700,
    );
    answered_with(&mut server, b"Content-Length: -5\r\n\r\n", -32700);
    answered_with(
        &mut server,
        b"Content-Length: 99999999999999999999\r\n\r\n",
        -32700,
    );
    answered_with(
        &mut server,
        b"Content-Type: application/json\r\n\r\n{}",
        -32700,
    );
    // Too short: the body is cut, the rest is skipped up to the next header.
    answered_with(
        &mut server,
        b"Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":98,\"method\":\"shutdown\"}",
        -32700,
    );
    // Garbage between messages, then two messages in one write.
    let mut two = b"garbage".to_vec();
    two.extend(framed(
        b"{\"jsonrpc\":\"2.0\",\"id\":97,\"method\":\"nope\"}",
    ));
    two.extend(framed(
        b"{\"jsonrpc\":\"2.0\",\"id\":96,\"method\":\"nope\"}",
    ));
    server.send_raw(&two);
    assert_eq!(null_id_error(&mut server), -32700);
    assert_eq!(server.response(97)["error"]["code"], -32601);
    assert_eq!(server.response(96)["error"]["code"], -32601);
    assert!(
        server
            .drain()
            .iter()
            .all(|message| message["id"] != 98 && message["id"] != 99),
        "a skipped request was executed"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn invalid_json_and_invalid_utf8_are_parse_errors() {
    let mut server = started();
    answered_with(&mut server, b"\x00\x01binary garbage\xff\r\n\r\n", -32700);
    answered_with(
        &mut server,
        &framed(b"{\"jsonrpc\":\"2.0\",\"id\":1,"),
        -32700,
    );
    answered_with(
        &mut server,
        &framed(b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"\xff\xfe\"}}"),
        -32700,
    );
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    answered_with(&mut server, &framed(deep.as_bytes()), -32700);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn json_that_is_not_json_rpc_is_an_invalid_request() {
    let mut server = started();
    for body in [
        "[1,2,3]",
        "42",
        "{\"hello\":\"world\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{}}",
    ] {
        server.send_body(body.as_bytes());
        assert_eq!(null_id_error(&mut server), -32600, "{body}");
    }
    server.send(&json!({ "jsonrpc": "2.0", "id": "seven", "method": 7 }));
    let response = server.wait_for("answer to id seven", |message| message["id"] == "seven");
    assert_eq!(response["error"]["code"], -32600, "{response}");
    server.send(&json!({ "jsonrpc": "1.0", "id": 8, "method": "shutdown" }));
    let response = server.response(8);
    assert_eq!(response["error"]["code"], -32600, "{response}");
    server.assert_alive();
}

#[test]
fn unknown_methods_are_method_not_found() {
    let mut server = started();
    for method in ["stagesmith/nope", "textDocument/nope", "$/nope"] {
        let response = server.request(method, json!({}));
        assert_eq!(response["error"]["code"], -32601, "{method}: {response}");
    }
    // Unknown notifications are ignored, `$/` ones silently.
    server.notify("$/nope", json!({}));
    server.notify("stagesmith/nope", json!({}));
    server.assert_alive();
    let stray: Vec<Value> = server
        .drain()
        .into_iter()
        .filter(|message| message.get("error").is_some())
        .collect();
    assert!(stray.is_empty(), "notifications were answered: {stray:?}");
}

#[test]
fn requests_before_initialize_are_refused_until_initialized() {
    let mut server = Server::start();
    let response = server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///w/Dockerfile" } }),
    );
    assert_eq!(response["error"]["code"], -32002, "{response}");
    server.initialize(&[]);
    server.assert_alive();
    let again = server.request("initialize", json!({ "capabilities": {} }));
    assert_eq!(again["error"]["code"], -32600, "second initialize: {again}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn cancel_request_gets_exactly_one_answer() {
    let mut server = started();
    server.open("file:///w/Dockerfile", "FROM alpine\n");
    let id = server.send_request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///w/Dockerfile" } }),
    );
    server.notify("$/cancelRequest", json!({ "id": id }));
    let response = server.response(id);
    assert!(
        response.get("result").is_some() || response["error"]["code"] == -32800,
        "{response}"
    );
    // Cancelling something already answered or unknown is harmless.
    server.notify("$/cancelRequest", json!({ "id": 12345 }));
    server.assert_alive();
    let duplicates = server
        .drain()
        .into_iter()
        .filter(|message| message["id"] == id)
        .count();
    assert_eq!(duplicates, 0, "request {id} was answered twice");
}

#[test]
fn negative_and_out_of_range_positions() {
    let mut server = started();
    let uri = "file:///w/Dockerfile";
    server.open(uri, "FROM alpine\n");
    let negative = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": -1, "character": -3 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [] }
        }),
    );
    assert_eq!(negative["error"]["code"], -32602, "{negative}");
    let far = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range((4_000_000, 9), (u32::MAX, u32::MAX)), "context": { "diagnostics": [] } }),
    );
    // Clamped to the end of the document: no diagnostic is there, so no quick fix of one (assists
    // that apply anywhere, like creating a .dockerignore, may still be offered).
    let far = result(far);
    let actions = far.as_array().cloned().unwrap_or_default();
    assert!(
        actions.iter().all(|action| action["diagnostics"].is_null()),
        "{far}"
    );
    // An edit far past the end appends; the server keeps the version.
    server.change(
        uri,
        2,
        json!([{ "range": range((99, 99), (120, 0)), "text": "RUN true\n" }]),
    );
    server.diagnostics(uri, 2);
    server.assert_alive();
}

#[test]
fn unopened_documents() {
    let mut server = started();
    let uri = "file:///w/never-opened/Dockerfile";
    let pulled = result(server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    ));
    assert_eq!(pulled, json!({ "kind": "full", "items": [] }));
    let actions = result(server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range((0, 0), (0, 0)), "context": { "diagnostics": [] } }),
    ));
    assert_eq!(actions, Value::Null);
    server.change(uri, 2, json!([{ "text": "FROM x\n" }]));
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.assert_alive();
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let mut server = started();
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_for_exit().code(), Some(1));
}

#[test]
fn shutdown_then_exit_exits_with_0() {
    let mut server = started();
    server.open("file:///w/Dockerfile", "FROM alpine\n");
    assert_eq!(server.shutdown_and_exit().code(), Some(0));
}

#[test]
fn requests_after_shutdown_are_invalid() {
    let mut server = started();
    result(server.request("shutdown", Value::Null));
    let response = server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///w/Dockerfile" } }),
    );
    assert_eq!(response["error"]["code"], -32600, "{response}");
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_for_exit().code(), Some(0));
}

#[test]
fn closing_stdin_ends_the_server_cleanly() {
    let mut server = started();
    server.open("file:///w/Dockerfile", "FROM alpine\n");
    server.close_stdin();
    assert!(server.wait_for_exit().success());
}

#[test]
fn closing_stdin_mid_message_ends_the_server_cleanly() {
    let mut server = started();
    server.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
    server.close_stdin();
    assert!(server.wait_for_exit().success());
}

#[test]
fn injected_panics_do_not_end_the_session() {
    let mut server = Server::start_with_env(&[("STAGESMITH_TEST_PANIC", "1")]);
    let capabilities = server.initialize(&[]);
    let commands = &capabilities["capabilities"]["executeCommandProvider"]["commands"];
    assert!(
        commands
            .as_array()
            .is_some_and(|commands| commands.contains(&json!("stagesmith.debug.panic"))),
        "{commands}"
    );
    for arguments in [json!([]), json!(["unguarded"])] {
        let response = server.request(
            "workspace/executeCommand",
            json!({ "command": "stagesmith.debug.panic", "arguments": arguments }),
        );
        assert_eq!(response["error"]["code"], -32603, "{arguments}: {response}");
        server.assert_alive();
    }
    let uri = "file:///w/Dockerfile";
    server.open(uri, "FROM alpine\n");
    server.diagnostics(uri, 1);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn the_panic_command_does_not_exist_without_the_variable() {
    let mut server = started();
    let response = server.request(
        "workspace/executeCommand",
        json!({ "command": "stagesmith.debug.panic", "arguments": [] }),
    );
    assert_eq!(response["error"]["code"], -32602, "{response}");
}

#[test]
fn huge_documents_and_lines() {
    let mut server = started();
    let big = format!(
        "FROM alpine\n{}",
        "RUN echo 'a fairly ordinary line of shell, repeated'\n".repeat(200_000)
    );
    assert!(big.len() > 10_000_000);
    server.open("file:///w/big/Dockerfile", &big);
    server.diagnostics("file:///w/big/Dockerfile", 1);
    let long_line = format!("FROM alpine\nRUN echo {}\n", "x😀".repeat(200_000));
    server.open("file:///w/long/Dockerfile", &long_line);
    server.diagnostics("file:///w/long/Dockerfile", 1);
    // An edit at the end of the long line, addressed in UTF-16.
    server.change(
        "file:///w/long/Dockerfile",
        2,
        json!([{ "range": range((1, 1_000_000), (1, 1_000_000)), "text": " <<EOF" }]),
    );
    let diagnostics = server.diagnostics("file:///w/long/Dockerfile", 2);
    let heredoc = diagnostics
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|d| d["message"] == "unterminated heredoc")
                .cloned()
        })
        .unwrap_or_default();
    assert_eq!(
        heredoc["range"]["start"]["character"],
        9 + 3 * 200_000 + 1,
        "{diagnostics}"
    );
    server.assert_alive();
}

#[test]
fn binary_garbage_as_a_document() {
    let mut server = started();
    let garbage: String = (0..20_000u32)
        .map(|i| char::from_u32((i * 7919) % 0x11_0000).unwrap_or('\u{fffd}'))
        .collect();
    server.open("file:///w/garbage/Dockerfile", &garbage);
    server.diagnostics("file:///w/garbage/Dockerfile", 1);
    server.assert_alive();
}
