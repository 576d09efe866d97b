//! Editor-like sessions against the real binary: encodings, CRLF, edit order, diagnostics.

use stagesmith_tests::serde_json::{Value, json};
use stagesmith_tests::{Server, offset_of, range, result};

const URI: &str = "file:///w/Dockerfile";

fn started(encodings: &[&str]) -> Server {
    let mut server = Server::start();
    server.initialize(encodings);
    server
}

/// Codes of the parser's own errors. These tests are about the protocol, so they follow what the
/// parser reports and leave the rules (tested on their own) out.
const PARSER_CODES: [&str; 7] = [
    "SyntaxError",
    "DuplicateDirective",
    "UnterminatedHeredoc",
    "InvalidEscapeToken",
    "EmptyFile",
    "InvalidJsonArray",
    "InvalidKeyValue",
];

fn is_parser_error(diagnostic: &&Value) -> bool {
    PARSER_CODES.contains(&diagnostic["code"].as_str().unwrap_or_default())
}

/// How many of `diagnostics` are the parser's errors.
fn parser_errors(diagnostics: &Value) -> usize {
    diagnostics
        .as_array()
        .map_or(0, |all| all.iter().filter(is_parser_error).count())
}

/// `(line, start, end, message)` of each parser error, in order.
fn summary(diagnostics: &Value) -> Vec<(u64, u64, u64, String)> {
    diagnostics
        .as_array()
        .map(|diagnostics| {
            diagnostics
                .iter()
                .filter(is_parser_error)
                .map(|diagnostic| {
                    let position = |end: &str, field: &str| {
                        diagnostic["range"][end][field].as_u64().unwrap_or(u64::MAX)
                    };
                    (
                        position("start", "line"),
                        position("start", "character"),
                        position("end", "character"),
                        diagnostic["message"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn one(line: u64, start: u64, end: u64, message: &str) -> Vec<(u64, u64, u64, String)> {
    vec![(line, start, end, message.to_string())]
}

#[test]
fn position_encoding_is_negotiated_in_the_clients_order() {
    for (offered, chosen) in [
        (&["utf-8", "utf-16"][..], "utf-8"),
        (&["utf-32", "utf-8"][..], "utf-32"),
        (&["utf-16"][..], "utf-16"),
        (&["latin-1"][..], "utf-16"),
        (&[][..], "utf-16"),
    ] {
        let mut server = Server::start();
        let initialized = server.initialize(offered);
        assert_eq!(
            initialized["capabilities"]["positionEncoding"], chosen,
            "{offered:?}"
        );
        assert!(server.shutdown_and_exit().success());
    }
}

#[test]
fn diagnostic_ranges_after_an_emoji_in_each_encoding() {
    for (encoding, start, end) in [("utf-8", 14, 19), ("utf-16", 12, 17), ("utf-32", 11, 16)] {
        let mut server = started(&[encoding]);
        server.open(URI, "RUN echo 😀 <<EOF\nabc\n");
        assert_eq!(
            summary(&server.diagnostics(URI, 1)),
            one(0, start, end, "unterminated heredoc"),
            "{encoding}"
        );
    }
}

#[test]
fn edits_are_read_in_the_negotiated_encoding() {
    // Deleting exactly the emoji turns line 0 into an escape directive, which makes line 1 a
    // duplicate; a wrong width deletes too little or too much and leaves no duplicate.
    for (encoding, emoji_width) in [("utf-8", 4), ("utf-16", 2), ("utf-32", 1)] {
        let mut server = started(&[encoding]);
        server.open(URI, "#😀escape=`\n# escape=`\nFROM a\n");
        assert_eq!(summary(&server.diagnostics(URI, 1)), vec![], "{encoding}");
        server.change(
            URI,
            2,
            json!([{ "range": range((0, 1), (0, 1 + emoji_width)), "text": "" }]),
        );
        assert_eq!(
            summary(&server.diagnostics(URI, 2)),
            one(1, 0, 10, "only one escape parser directive can be used"),
            "{encoding}"
        );
    }
}

#[test]
fn crlf_documents() {
    let mut server = started(&[]);
    server.open(URI, "#escape=`\r\n# escape=`\r\nFROM a\r\n");
    let duplicate = one(1, 0, 10, "only one escape parser directive can be used");
    assert_eq!(summary(&server.diagnostics(URI, 1)), duplicate);
    // Delete line 0 with its CRLF, then put it back.
    server.change(
        URI,
        2,
        json!([{ "range": range((0, 0), (1, 0)), "text": "" }]),
    );
    assert_eq!(summary(&server.diagnostics(URI, 2)), vec![]);
    server.change(
        URI,
        3,
        json!([{ "range": range((0, 0), (0, 0)), "text": "#escape=`\r\n" }]),
    );
    assert_eq!(summary(&server.diagnostics(URI, 3)), duplicate);
    // A column past the end of a CRLF line stops before the `\r`.
    server.change(
        URI,
        4,
        json!([{ "range": range((2, 99), (2, 99)), "text": " AS b" }]),
    );
    server.diagnostics(URI, 4);
    let other = "file:///w/other/Dockerfile";
    server.open(other, "FROM a\r\nRUN 😀 \\\r\n\r\n  cat <<EOF\r\nabc\r\n");
    assert_eq!(
        summary(&server.diagnostics(other, 1)),
        one(3, 6, 11, "unterminated heredoc")
    );
}

/// A deterministic pseudo-random sequence (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

#[test]
fn a_thousand_rapid_incremental_edits_apply_in_order() {
    const PIECES: [&str; 9] = [
        "CMD [\"😀\", 1]\r\n",
        "RUN echo 漢字\n",
        "ENTRYPOINT [\"a\", 2]\n",
        "# c\r",
        "FROM alpine\n",
        "x",
        "😀",
        "\r\n",
        "",
    ];
    let mut server = started(&["utf-16"]);
    let mut text = String::from("FROM alpine\n");
    server.open(URI, &text);
    let mut random = Lcg(7);
    for version in 2..=1001 {
        let lines = text.split_inclusive(['\n']).count() + 1;
        let start = (random.below(lines + 1) as u32, random.below(24) as u32);
        // Mostly inserts, sometimes a short replacement within the line, so the document grows.
        let end = if random.below(4) == 0 {
            (start.0, start.1 + random.below(6) as u32)
        } else {
            start
        };
        let offset = |(line, character): (u32, u32)| {
            offset_of(&text, line as usize, character as usize, "utf-16")
        };
        let (start_offset, end_offset) = (offset(start), offset(end));
        let piece = PIECES[random.below(PIECES.len())];
        text.replace_range(start_offset..end_offset, piece);
        server.change(
            URI,
            version,
            json!([{ "range": range(start, end), "text": piece }]),
        );
    }
    let edited = server.diagnostics(URI, 1001);
    let versions: Vec<i64> = server
        .drain()
        .iter()
        .filter(|message| message["params"]["uri"] == URI)
        .filter_map(|message| message["params"]["version"].as_i64())
        .collect();
    assert!(
        versions.windows(2).all(|pair| pair[0] <= pair[1]) && versions.iter().all(|&v| v < 1001),
        "diagnostics published out of order: {versions:?}"
    );
    let fresh = "file:///w/fresh/Dockerfile";
    server.open(fresh, &text);
    let expected = server.diagnostics(fresh, 1);
    assert!(
        summary(&expected).len() > 3,
        "the final text should have several errors: {text:?}"
    );
    assert_eq!(summary(&edited), summary(&expected));
}

#[test]
fn pull_diagnostics_for_clients_that_prefer_them() {
    let mut server = Server::start();
    server.initialize_with(json!({ "textDocument": { "diagnostic": {} } }));
    server.open(URI, "#escape=`\n# escape=`\nFROM a\n");
    let pull = |server: &mut Server, previous: Value| {
        result(server.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": URI }, "previousResultId": previous }),
        ))
    };
    let first = pull(&mut server, Value::Null);
    assert_eq!(first["kind"], "full");
    assert_eq!(
        summary(&first["items"]),
        one(1, 0, 10, "only one escape parser directive can be used")
    );
    let unchanged = pull(&mut server, first["resultId"].clone());
    assert_eq!(
        unchanged,
        json!({ "kind": "unchanged", "resultId": first["resultId"] })
    );
    server.change(
        URI,
        2,
        json!([{ "range": range((1, 0), (2, 0)), "text": "" }]),
    );
    let after_change = pull(&mut server, first["resultId"].clone());
    assert_eq!(after_change["kind"], "full");
    assert_eq!(summary(&after_change["items"]), vec![]);
    let pushed: Vec<Value> = server
        .drain()
        .into_iter()
        .filter(|message| message["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(
        pushed.is_empty(),
        "pull clients get no pushed diagnostics: {pushed:?}"
    );
}

#[test]
fn diagnostics_carry_code_source_and_link() {
    let mut server = started(&[]);
    server.open(URI, "RUN <<EOF\n");
    let diagnostics = server.diagnostics(URI, 1);
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["source"], "stagesmith");
    assert_eq!(diagnostic["severity"], 1);
    let code = diagnostic["code"].as_str().unwrap_or_default();
    assert!(!code.is_empty(), "{diagnostic}");
    assert_eq!(
        diagnostic["codeDescription"]["href"],
        format!("https://stagesmith.dev/rules/{code}")
    );
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let mut server = started(&[]);
    server.open(URI, "RUN <<EOF\n");
    assert_eq!(parser_errors(&server.diagnostics(URI, 1)), 1);
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    let cleared = server.wait_for("cleared diagnostics", |message| {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"] == URI
            && message["params"]["diagnostics"] == json!([])
    });
    assert!(cleared["params"].get("version").is_none(), "{cleared}");
}

#[test]
fn a_configuration_change_fetches_the_settings() {
    let mut server = started(&[]);
    server.open(URI, "RUN <<EOF\n");
    server.diagnostics(URI, 1);
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    server.wait_for("the server asks for its settings", |message| {
        message["method"] == "workspace/configuration"
            && message["params"]["items"][0]["section"] == "stagesmith"
    });
    // Unchanged settings change nothing: no second publication, the document stays analysed.
    let pulled = result(server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": URI } }),
    ));
    assert_eq!(parser_errors(&pulled["items"]), 1);
    let republished = server
        .drain()
        .into_iter()
        .filter(|message| message["method"] == "textDocument/publishDiagnostics")
        .count();
    assert_eq!(republished, 0);
}

#[test]
fn only_dockerfiles_are_analysed() {
    let mut server = started(&[]);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///w/notes.md", "languageId": "markdown", "version": 1, "text": "RUN <<EOF\n" } }),
    );
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///w/api.Dockerfile", "languageId": "plaintext", "version": 1, "text": "RUN <<EOF\n" } }),
    );
    assert_eq!(
        parser_errors(&server.diagnostics("file:///w/api.Dockerfile", 1)),
        1
    );
    let pulled = result(server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///w/notes.md" } }),
    ));
    assert_eq!(pulled["items"], json!([]));
    let markdown: Vec<Value> = server
        .drain()
        .into_iter()
        .filter(|message| message["params"]["uri"] == "file:///w/notes.md")
        .collect();
    assert!(markdown.is_empty(), "{markdown:?}");
}

#[test]
fn code_actions_for_diagnostics_without_fixes_are_empty() {
    let mut server = started(&[]);
    server.open(URI, "RUN <<EOF\n");
    let diagnostics = server.diagnostics(URI, 1);
    let actions = result(server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": range((0, 0), (1, 0)), "context": { "diagnostics": diagnostics } }),
    ));
    assert_eq!(actions, json!([]));
}
