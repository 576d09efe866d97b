//! Black-box harness: starts the real `stagesmith lsp` binary and speaks JSON-RPC over its stdio
//! with `Content-Length` framing, the way an editor does. It answers the server's own requests
//! (`workspace/configuration`, `client/registerCapability`, refreshes) so sessions run unattended.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub use serde_json;

/// How long any single wait may take before the test fails (generous: CI machines are shared).
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The `stagesmith` binary of this build: `STAGESMITH_BIN` if set, otherwise built once per test
/// process with `cargo build` into the target directory this test runs from.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(path) = std::env::var_os("STAGESMITH_BIN") {
            return PathBuf::from(path);
        }
        let exe = std::env::current_exe().unwrap_or_else(|error| panic!("current_exe: {error}"));
        // <target>/<profile>/deps/<test>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .unwrap_or_else(|| panic!("unexpected test location {}", exe.display()));
        let target_dir = profile_dir
            .parent()
            .unwrap_or_else(|| panic!("unexpected test location {}", exe.display()));
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args([
                "build",
                "--quiet",
                "-p",
                "stagesmith",
                "--bin",
                "stagesmith",
            ])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        if profile_dir
            .file_name()
            .is_some_and(|name| name == "release")
        {
            build.arg("--release");
        }
        let status = build
            .status()
            .unwrap_or_else(|error| panic!("running cargo build: {error}"));
        assert!(status.success(), "cargo build of stagesmith failed");
        profile_dir.join(format!("stagesmith{}", std::env::consts::EXE_SUFFIX))
    })
}

/// A running `stagesmith lsp` session.
pub struct Server {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    messages: Receiver<Value>,
    /// Messages received but not yet taken by a wait.
    backlog: VecDeque<Value>,
    next_id: i64,
}

impl Server {
    pub fn start() -> Server {
        Server::start_with_env(&[])
    }

    pub fn start_with_env(env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(binary());
        command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("starting {}: {error}", binary().display()));
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child
            .stdout
            .take()
            .unwrap_or_else(|| panic!("no stdout pipe"));
        let (sender, messages) = mpsc::channel();
        let replies = stdin.clone();
        std::thread::spawn(move || read_messages(stdout, &sender, &replies));
        Server {
            child,
            stdin,
            messages,
            backlog: VecDeque::new(),
            next_id: 0,
        }
    }

    /// The server's process id (to read its memory use from `/proc/<pid>/status`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `initialize` offering `encodings` (none: the field is left out), then `initialized`.
    /// Returns the initialize result.
    pub fn initialize(&mut self, encodings: &[&str]) -> Value {
        let general = if encodings.is_empty() {
            json!({})
        } else {
            json!({ "positionEncodings": encodings })
        };
        self.initialize_with(json!({
            "general": general,
            "workspace": { "configuration": true, "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] } },
            "textDocument": { "publishDiagnostics": { "versionSupport": true, "relatedInformation": true } }
        }))
    }

    pub fn initialize_with(&mut self, capabilities: Value) -> Value {
        let response = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        self.notify("initialized", json!({}));
        result(response)
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("response to request {id}"), |message| {
            message.get("method").is_none() && message["id"] == json!(id)
        })
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// Writes bytes as they are, framing included (or not).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        write_to(&self.stdin, bytes);
    }

    /// Frames `body` with a correct `Content-Length`, whatever the body is.
    pub fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_raw(&frame);
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
        );
    }

    pub fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    /// The `publishDiagnostics` for `uri` at `version`; earlier publications are skipped.
    pub fn diagnostics(&mut self, uri: &str, version: i32) -> Value {
        let published = self.wait_for(
            &format!("diagnostics of {uri} version {version}"),
            |message| {
                message["method"] == "textDocument/publishDiagnostics"
                    && message["params"]["uri"] == uri
                    && message["params"]["version"] == version
            },
        );
        published["params"]["diagnostics"].clone()
    }

    /// Waits for the first message matching `wanted`; other messages stay in the backlog.
    pub fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(position) = self.backlog.iter().position(&wanted)
            && let Some(message) = self.backlog.remove(position)
        {
            return message;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.backlog.push_back(message),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "timed out waiting for {what}; received meanwhile: {:#?}",
                    self.backlog
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "server closed its output while we waited for {what}; received: {:#?}",
                    self.backlog
                ),
            }
        }
    }

    /// Every message received so far, without waiting for more.
    pub fn drain(&mut self) -> Vec<Value> {
        while let Ok(message) = self.messages.try_recv() {
            self.backlog.push_back(message);
        }
        self.backlog.drain(..).collect()
    }

    /// Proves the server still answers: a request every state of the session replies to.
    pub fn assert_alive(&mut self) {
        let response = self.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": "file:///alive/Dockerfile" } }),
        );
        assert!(
            response.get("result").is_some() || response.get("error").is_some(),
            "{response}"
        );
    }

    /// `shutdown` (must succeed) then `exit`; returns the exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.wait_for_exit()
    }

    pub fn close_stdin(&mut self) {
        if let Ok(mut stdin) = self.stdin.lock() {
            stdin.take();
        }
    }

    /// Waits for the process to end on its own.
    pub fn wait_for_exit(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Ok(None) => panic!("server did not exit"),
                Err(error) => panic!("waiting for the server: {error}"),
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            drop(self.child.kill());
            drop(self.child.wait());
        }
    }
}

/// The `result` of a response; fails the test on an error response.
pub fn result(response: Value) -> Value {
    assert!(
        response.get("error").is_none(),
        "error response: {response}"
    );
    response["result"].clone()
}

fn write_to(stdin: &Mutex<Option<ChildStdin>>, bytes: &[u8]) {
    let mut stdin = stdin
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let pipe = stdin
        .as_mut()
        .unwrap_or_else(|| panic!("stdin already closed"));
    // A server that exited makes writes fail; the waits report that more usefully.
    drop(pipe.write_all(bytes).and_then(|()| pipe.flush()));
}

/// Reader thread: frames from the server's stdout; answers server-to-client requests.
fn read_messages(
    stdout: impl Read,
    sender: &mpsc::Sender<Value>,
    replies: &Mutex<Option<ChildStdin>>,
) {
    let mut stdout = BufReader::new(stdout);
    while let Some(body) = read_frame(&mut stdout) {
        let message: Value = serde_json::from_slice(&body)
            .unwrap_or_else(|error| panic!("server sent invalid JSON ({error}): {body:?}"));
        if let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) {
            let answer = match method {
                "workspace/configuration" => {
                    let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                    Value::Array(vec![Value::Null; items])
                }
                _ => Value::Null,
            };
            let reply = json!({ "jsonrpc": "2.0", "id": id, "result": answer }).to_string();
            if replies.lock().is_ok_and(|stdin| stdin.is_some()) {
                write_to(
                    replies,
                    format!("Content-Length: {}\r\n\r\n{reply}", reply.len()).as_bytes(),
                );
            }
        }
        if sender.send(message).is_err() {
            return;
        }
    }
}

fn read_frame(stdout: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("server sent a malformed header line {line:?}"));
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.unwrap_or_else(|| panic!("server sent no Content-Length"));
    let mut body = vec![0; length];
    stdout.read_exact(&mut body).ok()?;
    Some(body)
}

/// Byte offset of an LSP position in `text` (an oracle independent of the server's code).
pub fn offset_of(text: &str, line: usize, character: usize, encoding: &str) -> usize {
    let mut line_start = 0;
    for _ in 0..line {
        match next_line_break(&text[line_start..]) {
            Some((at, len)) => line_start += at + len,
            None => return text.len(),
        }
    }
    let line_end =
        next_line_break(&text[line_start..]).map_or(text.len(), |(at, _)| line_start + at);
    let mut units = 0;
    for (offset, ch) in text[line_start..line_end].char_indices() {
        let width = match encoding {
            "utf-8" => ch.len_utf8(),
            "utf-32" => 1,
            _ => ch.len_utf16(),
        };
        if units + width > character {
            return line_start + offset;
        }
        units += width;
    }
    line_end
}

fn next_line_break(text: &str) -> Option<(usize, usize)> {
    let at = text.find(['\r', '\n'])?;
    let len = if text[at..].starts_with("\r\n") { 2 } else { 1 };
    Some((at, len))
}

/// An LSP range as JSON.
pub fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": { "line": start.0, "character": start.1 },
        "end": { "line": end.0, "character": end.1 }
    })
}
