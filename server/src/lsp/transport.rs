//! The wire between the client and `tower-lsp-server`'s `LspService`.
//!
//! The library's own transport ends the session on the first undecodable message and leaves unknown
//! `$/` requests unanswered, so we read and write the frames ourselves: every message is framed by
//! `Content-Length`, validated as JSON-RPC 2.0, and only valid requests, notifications and
//! responses reach the service. Broken input is answered per JSON-RPC (-32700 for bytes that are not
//! JSON, -32600 for JSON that is not a JSON-RPC message, with `id: null` when the id is unknown) and
//! the reader resynchronises on the next `Content-Length` header.
//!
//! Each notification's future is polled once right here, in arrival order, before the next message
//! is read, and only then handed to the runtime. Notification handlers mutate state before their
//! first `.await`, so document edits are applied in exactly the order they arrived, and every
//! request sees at least the edits that arrived before it.

use std::panic::AssertUnwindSafe;
use std::task::Poll;

use futures::{FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower::Service;
use tower_lsp_server::jsonrpc::{self, Id, Request, Response};
use tower_lsp_server::{ExitedError, LspService};

use crate::lsp::guard::panic_message;
use crate::lsp::server::Backend;

/// Bodies larger than this are refused (and skipped) instead of buffered.
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;
/// A header block longer than this is garbage, not a header.
const MAX_HEADER_BYTES: usize = 16 * 1024;
const HEADER_END: &[u8] = b"\r\n\r\n";
const CONTENT_LENGTH: &[u8] = b"content-length:";

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The client closed our input.
    InputClosed,
    /// The client sent `exit`; the spec wants exit code 0 only after `shutdown`.
    Exit { after_shutdown: bool },
}

/// One frame of input, before JSON-RPC validation.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    Body(Vec<u8>),
    /// A header block we cannot use; its body (if any) is skipped by resynchronising.
    BadHeader(String),
}

/// Reads `Content-Length` framed messages, skipping to the next header after broken input.
struct FrameReader<R> {
    input: R,
    buffer: Vec<u8>,
    /// After an error: discard bytes up to the next `Content-Length` header.
    resynchronising: bool,
    eof: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    fn new(input: R) -> FrameReader<R> {
        FrameReader {
            input,
            buffer: Vec::new(),
            resynchronising: false,
            eof: false,
        }
    }

    /// The next frame, or `None` once the input is closed.
    async fn next_frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(frame) = self.frame_from_buffer() {
                return Some(frame);
            }
            if self.eof {
                return None;
            }
            self.fill().await;
        }
    }

    async fn fill(&mut self) {
        self.buffer.reserve(64 * 1024);
        match self.input.read_buf(&mut self.buffer).await {
            Ok(0) => self.eof = true,
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => {
                eprintln!("stagesmith: reading stdin failed: {error}");
                self.eof = true;
            }
        }
    }

    fn frame_from_buffer(&mut self) -> Option<Frame> {
        if self.resynchronising {
            match find_ignore_case(&self.buffer, CONTENT_LENGTH) {
                Some(start) => {
                    self.buffer.drain(..start);
                    self.resynchronising = false;
                }
                None => {
                    // Keep a tail that could be the start of a header split across reads.
                    let keep = CONTENT_LENGTH.len() - 1;
                    let drop = self.buffer.len().saturating_sub(keep);
                    self.buffer.drain(..drop);
                    return None;
                }
            }
        }
        let header_window = self.buffer.len().min(MAX_HEADER_BYTES + HEADER_END.len());
        let Some(header_len) = find(self.buffer.get(..header_window)?, HEADER_END) else {
            if self.buffer.len() > MAX_HEADER_BYTES || (self.eof && !self.buffer.is_empty()) {
                self.buffer.clear();
                self.resynchronising = true;
                return Some(Frame::BadHeader("unterminated header".to_string()));
            }
            return None;
        };
        let header = self.buffer.get(..header_len).unwrap_or_default();
        let body_start = header_len + HEADER_END.len();
        match content_length(header) {
            Ok(length) => {
                let body_end = body_start.checked_add(length)?;
                if self.buffer.len() < body_end {
                    return None;
                }
                let body = self.buffer.get(body_start..body_end)?.to_vec();
                self.buffer.drain(..body_end);
                Some(Frame::Body(body))
            }
            Err(problem) => {
                // Garbage glued to the front of a real header: keep the header.
                match header
                    .get(1..)
                    .and_then(|rest| find_ignore_case(rest, CONTENT_LENGTH))
                {
                    Some(garbage_len) => drop(self.buffer.drain(..=garbage_len)),
                    None => {
                        self.buffer.drain(..body_start);
                        self.resynchronising = true;
                    }
                }
                Some(Frame::BadHeader(problem))
            }
        }
    }

    /// After a body that was not a message, whatever follows up to the next header is garbage too
    /// (e.g. the rest of a body whose `Content-Length` was too small).
    fn resynchronise(&mut self) {
        self.resynchronising = true;
    }
}

fn content_length(header: &[u8]) -> Result<usize, String> {
    let header = std::str::from_utf8(header).map_err(|_| "header is not UTF-8".to_string())?;
    let mut length = None;
    for line in header.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            let parsed = value
                .parse::<usize>()
                .map_err(|_| format!("invalid Content-Length {value:?}"))?;
            if parsed > MAX_BODY_BYTES {
                return Err(format!("Content-Length {parsed} exceeds {MAX_BODY_BYTES}"));
            }
            length = Some(parsed);
        }
    }
    length.ok_or_else(|| "missing Content-Length".to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// A validated message from the client.
#[derive(Debug)]
enum Incoming {
    /// A request or a notification for the service.
    Call(Request),
    /// The client's answer to one of our requests.
    Reply(Response),
    /// Not a valid message: answer with this error (JSON-RPC answers even broken notifications
    /// when it cannot tell they are notifications).
    Invalid(Response),
    /// A broken response from the client: nobody to answer, only log it.
    Dropped(String),
}

fn validate(body: &[u8]) -> Incoming {
    let invalid =
        |id: Id, error: jsonrpc::Error| Incoming::Invalid(Response::from_error(id, error));
    let Ok(text) = std::str::from_utf8(body) else {
        return invalid(
            Id::Null,
            error(jsonrpc::ErrorCode::ParseError, "invalid UTF-8"),
        );
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(problem) => {
            return invalid(
                Id::Null,
                error(jsonrpc::ErrorCode::ParseError, &problem.to_string()),
            );
        }
    };
    let Value::Object(mut object) = value else {
        return invalid(
            Id::Null,
            error(jsonrpc::ErrorCode::InvalidRequest, "not a JSON-RPC object"),
        );
    };
    let id = match object.get("id") {
        None => None,
        Some(raw) => match serde_json::from_value::<Id>(raw.clone()) {
            Ok(id) if raw.is_i64() || raw.is_string() || raw.is_null() => Some(id),
            _ => {
                return invalid(
                    Id::Null,
                    error(jsonrpc::ErrorCode::InvalidRequest, "invalid id"),
                );
            }
        },
    };
    let reply_id = id.clone().unwrap_or(Id::Null);
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(
            reply_id,
            error(
                jsonrpc::ErrorCode::InvalidRequest,
                "jsonrpc must be \"2.0\"",
            ),
        );
    }
    match object.get("method") {
        Some(Value::String(method)) => {
            let method = method.clone();
            validate_call(&method, id, object.remove("params"), reply_id)
        }
        Some(_) => invalid(
            reply_id,
            error(
                jsonrpc::ErrorCode::InvalidRequest,
                "method must be a string",
            ),
        ),
        None if id.is_some() && (object.contains_key("result") || object.contains_key("error")) => {
            match serde_json::from_value::<Response>(Value::Object(object)) {
                Ok(response) => Incoming::Reply(response),
                Err(problem) => Incoming::Dropped(format!("malformed response: {problem}")),
            }
        }
        None => invalid(
            reply_id,
            error(
                jsonrpc::ErrorCode::InvalidRequest,
                "neither a request nor a response",
            ),
        ),
    }
}

fn validate_call(method: &str, id: Option<Id>, params: Option<Value>, reply_id: Id) -> Incoming {
    let invalid = |error| Incoming::Invalid(Response::from_error(reply_id.clone(), error));
    // `null` is not structured, but clients send it for `shutdown` and `exit`: read it as absent.
    let params = params.filter(|params| !params.is_null());
    if !matches!(params, None | Some(Value::Object(_) | Value::Array(_))) {
        return invalid(error(
            jsonrpc::ErrorCode::InvalidRequest,
            "params must be an object or an array",
        ));
    }
    // LSP's `$/` methods are all notifications; the library silently drops unknown ones, which
    // would leave a `$/` *request* unanswered forever.
    if id.is_some() && method.starts_with("$/") {
        return invalid(method_not_found(method));
    }
    let mut request = Request::build(method.to_string());
    if let Some(params) = params {
        request = request.params(params);
    }
    if let Some(id) = id {
        request = request.id(id);
    }
    Incoming::Call(request.finish())
}

fn error(code: jsonrpc::ErrorCode, message: &str) -> jsonrpc::Error {
    jsonrpc::Error {
        code,
        message: format!("{}: {message}", code.description()).into(),
        data: None,
    }
}

fn method_not_found(method: &str) -> jsonrpc::Error {
    jsonrpc::Error {
        code: jsonrpc::ErrorCode::MethodNotFound,
        message: format!("Method not found: {method}").into(),
        data: None,
    }
}

enum Outgoing {
    Message(String),
    /// Everything queued before this is written; then the writer stops.
    Stop,
}

#[derive(Clone)]
struct Output(mpsc::UnboundedSender<Outgoing>);

impl Output {
    fn send(&self, message: &impl serde::Serialize) {
        match serde_json::to_string(message) {
            // The writer only goes away at the end of the session; late messages have no reader.
            Ok(text) => drop(self.0.send(Outgoing::Message(text))),
            Err(problem) => eprintln!("stagesmith: cannot serialize a message: {problem}"),
        }
    }

    fn stop(&self) {
        drop(self.0.send(Outgoing::Stop));
    }
}

async fn write_messages(
    mut output: impl AsyncWrite + Unpin,
    mut queue: mpsc::UnboundedReceiver<Outgoing>,
) {
    while let Some(Outgoing::Message(text)) = queue.recv().await {
        let frame = format!("Content-Length: {}\r\n\r\n{text}", text.len());
        if let Err(problem) = output.write_all(frame.as_bytes()).await {
            eprintln!("stagesmith: writing stdout failed: {problem}");
            return;
        }
        if queue.is_empty() {
            if let Err(problem) = output.flush().await {
                eprintln!("stagesmith: flushing stdout failed: {problem}");
                return;
            }
        }
    }
    drop(output.flush().await);
}

/// Serves one LSP session over `input`/`output` until `exit` or the end of the input.
pub async fn serve(
    input: impl AsyncRead + Unpin,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> SessionEnd {
    let (mut service, socket) = Backend::service();
    let (mut server_requests, mut client_replies) = socket.split();
    let (queue, queue_receiver) = mpsc::unbounded_channel();
    let out = Output(queue);
    let writer = tokio::spawn(write_messages(output, queue_receiver));
    let forward_out = out.clone();
    let forwarder = tokio::spawn(async move {
        while let Some(request) = server_requests.next().await {
            forward_out.send(&request);
        }
    });

    let mut reader = FrameReader::new(input);
    let mut shutdown_requested = false;
    let end = loop {
        let Some(frame) = reader.next_frame().await else {
            break SessionEnd::InputClosed;
        };
        let body = match frame {
            Frame::Body(body) => body,
            Frame::BadHeader(problem) => {
                eprintln!("stagesmith: skipping malformed message: {problem}");
                out.send(&Response::from_error(
                    Id::Null,
                    error(jsonrpc::ErrorCode::ParseError, &problem),
                ));
                continue;
            }
        };
        match validate(&body) {
            Incoming::Call(request) => {
                let method = request.method().to_string();
                shutdown_requested |= method == "shutdown";
                if call(&mut service, request, &out).await.is_err() || method == "exit" {
                    break SessionEnd::Exit {
                        after_shutdown: shutdown_requested,
                    };
                }
            }
            Incoming::Reply(response) => {
                if client_replies.send(response).await.is_err() {
                    eprintln!("stagesmith: dropped a reply to a request nobody waits for");
                }
            }
            Incoming::Invalid(response) => {
                reader.resynchronise();
                out.send(&response);
            }
            Incoming::Dropped(problem) => eprintln!("stagesmith: {problem}"),
        }
    };
    forwarder.abort();
    out.stop();
    drop(writer.await);
    end
}

/// Hands `request` to the service. A notification's future is polled once inline (see the module
/// doc) before the runtime finishes it; a request runs on the runtime right away, so a slow request
/// never delays reading the edits behind it. Every request gets exactly one response, even if its
/// handler panics.
async fn call(
    service: &mut LspService<Backend>,
    request: Request,
    out: &Output,
) -> Result<(), ExitedError> {
    std::future::poll_fn(|context| service.poll_ready(context)).await?;
    let id = request.id().cloned();
    let is_notification = id.is_none();
    let method = request.method().to_string();
    let response = service.call(request);
    let out = out.clone();
    let mut answer = Box::pin(async move {
        let response = match AssertUnwindSafe(response).catch_unwind().await {
            Ok(Ok(response)) => response,
            Ok(Err(ExitedError { .. })) => None,
            Err(payload) => {
                let reason = panic_message(payload.as_ref());
                eprintln!("stagesmith: handler for {method} panicked: {reason}");
                id.clone().map(|id| {
                    Response::from_error(id, error(jsonrpc::ErrorCode::InternalError, &reason))
                })
            }
        };
        match (response, id) {
            (Some(response), _) => out.send(&response),
            (None, Some(id)) => out.send(&Response::from_error(id, method_not_found(&method))),
            (None, None) => {}
        }
    });
    if is_notification {
        let first_poll =
            std::future::poll_fn(|context| Poll::Ready(answer.as_mut().poll(context))).await;
        if first_poll.is_pending() {
            tokio::spawn(answer);
        }
    } else {
        tokio::spawn(answer);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = FrameReader::new(input);
        let mut frames = Vec::new();
        while let Some(frame) = reader.next_frame().await {
            frames.push(frame);
        }
        frames
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[tokio::test]
    async fn frames_split_on_content_length() {
        let input = b"Content-Length: 2\r\nContent-Type: x\r\n\r\n{}content-length:3\r\n\r\n[1]";
        assert_eq!(frames(input).await, vec![body("{}"), body("[1]")]);
    }

    #[tokio::test]
    async fn bad_headers_resynchronise_on_the_next_content_length() {
        let input = b"Content-Length: abc\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}\
            Content-Type: x\r\n\r\nxyzContent-Length: 1\r\n\r\n1junkContent-Length: 1\r\n\r\n2";
        assert_eq!(
            frames(input).await,
            vec![
                Frame::BadHeader("invalid Content-Length \"abc\"".to_string()),
                body("{}"),
                Frame::BadHeader("missing Content-Length".to_string()),
                body("1"),
                Frame::BadHeader("missing Content-Length".to_string()),
                body("2"),
            ]
        );
    }

    #[tokio::test]
    async fn garbage_without_header_end_is_reported_at_eof() {
        let input = b"\x00\xffgarbage";
        assert_eq!(
            frames(input).await,
            vec![Frame::BadHeader("unterminated header".to_string())]
        );
    }

    fn check_validate(body: &str, expect: expect_test::Expect) {
        let shown = match validate(body.as_bytes()) {
            Incoming::Call(request) => format!("call {request}"),
            Incoming::Reply(response) => format!("reply {response:?}"),
            Incoming::Invalid(response) => format!(
                "invalid {}",
                serde_json::to_string(&response).unwrap_or_default()
            ),
            Incoming::Dropped(problem) => format!("dropped {problem}"),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn validation_answers_per_json_rpc() {
        use expect_test::expect;
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{}}",
            expect![[r#"call {"jsonrpc":"2.0","method":"m","params":{},"id":1}"#]],
        );
        check_validate(
            "{not json",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: key must be a string at line 1 column 2"},"id":null}"#
            ]],
        );
        check_validate(
            "[1,2]",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request: not a JSON-RPC object"},"id":null}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"1.0\",\"id\":\"a\",\"method\":\"m\"}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request: jsonrpc must be \"2.0\""},"id":"a"}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"m\"}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request: invalid id"},"id":null}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":7}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request: method must be a string"},"id":2}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"m\",\"params\":5}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request: params must be an object or an array"},"id":3}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"$/unknown\"}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: $/unknown"},"id":4}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":null}",
            expect![[r#"reply Response { jsonrpc: Version, result: Null, id: Number(5) }"#]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"id\":6}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request: neither a request nor a response"},"id":6}"#
            ]],
        );
        check_validate(
            "{\"jsonrpc\":\"2.0\",\"method\":\"exit\",\"params\":null}",
            expect![[r#"call {"jsonrpc":"2.0","method":"exit"}"#]],
        );
        check_validate(
            "\u{0}",
            expect![[
                r#"invalid {"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: expected value at line 1 column 1"},"id":null}"#
            ]],
        );
    }
}
