//! Replay benchmark for Dockerfile language servers: drives a real server over stdio the way an
//! editor does and prints medians.
//!
//! ```text
//! lsp-bench [--iterations N] [--json] [--sizes] -- <server command…>
//! lsp-bench -- target/release/stagesmith lsp
//! lsp-bench --sizes -- target/release/stagesmith lsp
//! lsp-bench -- node node_modules/.bin/docker-langserver --stdio
//! ```
//!
//! Scenarios, each on a ~40-line file and a generated ~5,000-line, 100+-stage file:
//! start-up to the initialize result; didChange → publishDiagnostics latency while typing at the
//! end of the first WORKDIR path; completion after `COPY --from=`; full semantic tokens. On the
//! large file also edit latency while typing in a RUN command and in an ENV value (which changes
//! what a variable holds, so a server that reuses its analysis must redo more). Peak RSS of the
//! server is read from /proc at the end.
//!
//! `--sizes` measures instead edit→diagnostics and full semantic tokens on generated multi-stage
//! files of 100, 1k, 10k and 50k lines, with the time per 1,000 lines (a markdown table).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

const USAGE: &str = "usage: lsp-bench [--iterations N] [--json] [--sizes] -- <server command…>";

struct Server {
    child: Child,
    stdin: ChildStdin,
    /// Each message from the server with the moment its last byte was read: latencies end there,
    /// so the harness's own JSON decoding (3 ms for 5,000 lines of semantic tokens) is not
    /// counted against the server.
    messages: Receiver<(Instant, Value)>,
    next_id: i64,
}

impl Server {
    fn start(command: &[String]) -> Result<Server, String> {
        let (program, args) = command.split_first().ok_or("no server command")?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (sender, messages) = channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some((received, body)) = read_message(&mut reader) {
                let Ok(message) = serde_json::from_slice(&body) else {
                    continue;
                };
                if sender.send((received, message)).is_err() {
                    break;
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            messages,
            next_id: 1,
        })
    }

    fn send(&mut self, message: &Value) -> Result<(), String> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("server input closed: {e}"))
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Sends a request and waits for its response (and when it arrived), answering server
    /// requests on the way.
    fn request(&mut self, method: &str, params: Value) -> Result<(Instant, Value), String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        self.wait_for(|message| {
            message.get("id") == Some(&json!(id)) && message.get("method").is_none()
        })
    }

    /// Waits for the first message `accept` takes (and when it arrived); replies to requests from
    /// the server.
    fn wait_for(&mut self, accept: impl Fn(&Value) -> bool) -> Result<(Instant, Value), String> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (received, message) = match self.messages.recv_timeout(left) {
                Ok(received) => received,
                Err(RecvTimeoutError::Timeout) => return Err("timed out".into()),
                Err(RecvTimeoutError::Disconnected) => return Err("server exited".into()),
            };
            if accept(&message) {
                return Ok((received, message));
            }
            if let (Some(id), Some(method)) = (message.get("id"), message.get("method")) {
                let result = if method == "workspace/configuration" {
                    let count = message["params"]["items"].as_array().map_or(1, Vec::len);
                    Value::Array(vec![Value::Null; count])
                } else {
                    Value::Null
                };
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}))?;
            }
        }
    }

    fn initialize(&mut self) -> Result<Value, String> {
        let (_, result) = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": null,
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": {
                        "publishDiagnostics": {"versionSupport": true},
                        "completion": {"completionItem": {"snippetSupport": true}},
                        "semanticTokens": {"requests": {"full": true}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}
                    },
                    "workspace": {"configuration": true}
                }
            }),
        )?;
        self.notify("initialized", json!({}))?;
        Ok(result)
    }

    /// VmHWM of the server process, in KiB.
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        let _ = self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of the next message and the moment it was read in full.
fn read_message(reader: &mut impl BufRead) -> Option<(Instant, Vec<u8>)> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some((Instant::now(), body))
}

/// The ~40-line multi-stage TypeScript file of the tutorial's shape.
fn small_file() -> String {
    let mut text = String::from(
        "# syntax=docker/dockerfile:1\nARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n\nFROM deps AS build\nCOPY tsconfig.json ./\nCOPY src ./src\nRUN npm run build\n\nFROM node:${NODE_VERSION}-alpine AS runner\nWORKDIR /app\nENV NODE_ENV=production PORT=3000\nCOPY --from=build /app/dist ./dist\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nUSER node\nEXPOSE 3000\nCMD [\"node\", \"dist/index.js\"]\n",
    );
    for line in 0..19 {
        text.push_str(&format!("LABEL org.example.line{line}=\"value {line}\"\n"));
    }
    text
}

/// ~5,000 lines in 125 stages.
fn large_file() -> String {
    multi_stage_file(125)
}

/// 39 lines per stage: ENV, continued RUNs with cache mounts, COPY --from chains.
fn multi_stage_file(stages: usize) -> String {
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\n");
    for stage in 0..stages {
        text.push_str(&format!(
            "FROM ${{BASE}} AS stage{stage}\nWORKDIR /work/{stage}\n"
        ));
        for step in 0..7 {
            text.push_str(&format!("ENV VAR_{stage}_{step}=value-{step}\n"));
            text.push_str(&format!(
                "RUN --mount=type=cache,target=/root/.cache \\\n    echo \"$VAR_{stage}_{step}\" \\\n    && make target-{step}\n"
            ));
            if stage > 0 {
                text.push_str(&format!(
                    "COPY --from=stage{} /out/{step} /in/{step}\n",
                    stage - 1
                ));
            } else {
                text.push_str(&format!("COPY src/{step} /in/{step}\n"));
            }
        }
        text.push_str("USER 1001\n\n");
    }
    text
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64() * 1000.0)
}

struct Report {
    rows: Vec<(String, String)>,
}

impl Report {
    fn add(&mut self, name: &str, value: String) {
        eprintln!("{name}: {value}");
        self.rows.push((name.to_string(), value));
    }
}

fn uri(name: &str) -> String {
    format!("file:///tmp/lsp-bench/{name}/Dockerfile")
}

/// Open the file, then `iterations` times: insert a character at the end of the first line
/// that starts with `line_prefix` (or delete it again) and wait for the diagnostics of that
/// version.
fn edit_latency(
    server: &mut Server,
    name: &str,
    text: &str,
    line_prefix: &str,
    iterations: usize,
) -> Result<Duration, String> {
    let uri = uri(name);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    )?;
    wait_for_diagnostics(server, &uri, 1)?;
    let line = text
        .lines()
        .position(|l| l.starts_with(line_prefix))
        .unwrap_or(0);
    let column = text.lines().nth(line).map_or(0, |l| l.len());
    let mut samples = Vec::with_capacity(iterations);
    for iteration in 0..iterations {
        let version = 2 + iteration as i64;
        let (range, new_text) = if iteration % 2 == 0 {
            (
                json!({"start": {"line": line, "character": column}, "end": {"line": line, "character": column}}),
                "x",
            )
        } else {
            (
                json!({"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}),
                "",
            )
        };
        let started = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": new_text}]}),
        )?;
        let (received, _) = wait_for_diagnostics(server, &uri, version)?;
        samples.push(received.duration_since(started));
    }
    Ok(median(&mut samples))
}

/// Waits for diagnostics of `uri`; servers that do not send versions count their next batch.
fn wait_for_diagnostics(
    server: &mut Server,
    uri: &str,
    version: i64,
) -> Result<(Instant, Value), String> {
    server.wait_for(|message| {
        message.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
            && message["params"]["uri"].as_str() == Some(uri)
            && match message["params"]["version"].as_i64() {
                Some(published) => published >= version,
                None => true,
            }
    })
}

fn request_latency(
    server: &mut Server,
    method: &str,
    params: Value,
    iterations: usize,
) -> Result<Duration, String> {
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let (received, response) = server.request(method, params.clone())?;
        samples.push(received.duration_since(started));
        if let Some(error) = response.get("error") {
            return Err(format!("{method}: {error}"));
        }
    }
    Ok(median(&mut samples))
}

fn run(command: &[String], iterations: usize) -> Result<Report, String> {
    let mut report = Report { rows: Vec::new() };
    let mut startups = Vec::new();
    for _ in 0..iterations.min(20) {
        let started = Instant::now();
        let mut server = Server::start(command)?;
        server.initialize()?;
        startups.push(started.elapsed());
        server.stop();
    }
    report.add(
        "startup to initialize result (ms, median)",
        ms(median(&mut startups)),
    );

    let mut server = Server::start(command)?;
    server.initialize()?;
    for (name, text) in [("small", small_file()), ("large", large_file())] {
        let lines = text.lines().count();
        let edit = edit_latency(&mut server, name, &text, "WORKDIR", iterations)?;
        report.add(
            &format!("didChange→publishDiagnostics, {lines} lines (ms, median)"),
            ms(edit),
        );
        let (line, character) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find("--from=").map(|c| (i, c + "--from=".len())))
            .unwrap_or((0, 0));
        let position = json!({"textDocument": {"uri": uri(name)}, "position": {"line": line, "character": character}});
        let completion =
            request_latency(&mut server, "textDocument/completion", position, iterations)?;
        report.add(
            &format!("completion at --from=, {lines} lines (ms, median)"),
            ms(completion),
        );
        let tokens = request_latency(
            &mut server,
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri(name)}}),
            iterations,
        );
        match tokens {
            Ok(duration) => report.add(
                &format!("semantic tokens full, {lines} lines (ms, median)"),
                ms(duration),
            ),
            Err(error) => report.add(
                &format!("semantic tokens full, {lines} lines"),
                format!("unsupported ({error})"),
            ),
        }
    }
    let large = large_file();
    let lines = large.lines().count();
    for (name, line_prefix, label) in [
        ("large-run", "    && make", "typing in a RUN"),
        ("large-env", "ENV ", "typing in an ENV value"),
    ] {
        let edit = edit_latency(&mut server, name, &large, line_prefix, iterations)?;
        report.add(
            &format!("didChange→publishDiagnostics, {lines} lines, {label} (ms, median)"),
            ms(edit),
        );
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri(name)}}),
        )?;
    }
    match server.peak_rss_kib() {
        Some(kib) => report.add("peak RSS (MiB)", format!("{:.1}", kib as f64 / 1024.0)),
        None => report.add("peak RSS (MiB)", "unknown".into()),
    }
    server.stop();
    Ok(report)
}

/// The file sizes (in lines, roughly: whole stages of 39 lines) the `--sizes` table measures.
const SIZES: [usize; 4] = [100, 1_000, 10_000, 50_000];

/// One `--sizes` measurement.
struct SizeRow {
    lines: usize,
    bytes: usize,
    edit: Duration,
    tokens: Duration,
}

impl SizeRow {
    fn per_1k_lines(&self, duration: Duration) -> Duration {
        duration.mul_f64(1000.0 / self.lines.max(1) as f64)
    }

    fn to_json(&self) -> Value {
        json!({
            "lines": self.lines,
            "bytes": self.bytes,
            "edit_to_diagnostics_ms": ms(self.edit),
            "edit_to_diagnostics_per_1k_lines_ms": ms(self.per_1k_lines(self.edit)),
            "semantic_tokens_full_ms": ms(self.tokens),
            "semantic_tokens_full_per_1k_lines_ms": ms(self.per_1k_lines(self.tokens)),
        })
    }
}

/// `--sizes`: edit→diagnostics and full semantic tokens on generated files of growing size, with
/// the time per 1,000 lines, so how the cost grows with the file is visible.
fn run_sizes(command: &[String], iterations: usize) -> Result<Vec<SizeRow>, String> {
    let mut server = Server::start(command)?;
    server.initialize()?;
    let mut rows = Vec::new();
    for wanted in SIZES {
        let text = multi_stage_file(wanted.div_ceil(39));
        let name = format!("size-{wanted}");
        let edit = edit_latency(&mut server, &name, &text, "WORKDIR", iterations)?;
        let tokens = request_latency(
            &mut server,
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri(&name)}}),
            iterations,
        )?;
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri(&name)}}),
        )?;
        let row = SizeRow {
            lines: text.lines().count(),
            bytes: text.len(),
            edit,
            tokens,
        };
        eprintln!("{}", row.to_json());
        rows.push(row);
    }
    server.stop();
    Ok(rows)
}

fn print_sizes(rows: &[SizeRow]) {
    println!(
        "| lines | bytes | edit→diagnostics (ms, median) | per 1k lines | semantic tokens full (ms, median) | per 1k lines |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            row.lines,
            row.bytes,
            ms(row.edit),
            ms(row.per_1k_lines(row.edit)),
            ms(row.tokens),
            ms(row.per_1k_lines(row.tokens)),
        );
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (options, command) = (&args[..split], args.get(split + 1..).unwrap_or(&[]));
    let mut iterations = 50;
    let mut as_json = false;
    let mut sizes = false;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match option.as_str() {
            "--iterations" => {
                iterations = options
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(iterations)
            }
            "--json" => as_json = true,
            "--sizes" => sizes = true,
            other => {
                eprintln!("unknown option {other}\n{USAGE}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    if command.is_empty() {
        eprintln!("{USAGE}");
        return std::process::ExitCode::from(2);
    }
    if sizes {
        return match run_sizes(command, iterations.max(1)) {
            Ok(rows) if as_json => {
                println!(
                    "{}",
                    Value::Array(rows.iter().map(SizeRow::to_json).collect())
                );
                std::process::ExitCode::SUCCESS
            }
            Ok(rows) => {
                print_sizes(&rows);
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("lsp-bench: {error}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match run(command, iterations.max(1)) {
        Ok(report) => {
            if as_json {
                let object: serde_json::Map<String, Value> = report
                    .rows
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
                println!("{}", Value::Object(object));
            } else {
                for (name, value) in report.rows {
                    println!("{name}\t{value}");
                }
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("lsp-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
