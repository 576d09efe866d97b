//! Navigation, completion, hover, outline and highlighting against the real binary, the way an
//! editor asks for them.

use stagesmith_tests::serde_json::{Value, json};
use stagesmith_tests::{Server, result};

const URI: &str = "file:///w/Dockerfile";

const DOCKERFILE: &str = "\
# syntax=docker/dockerfile:1
ARG NODE=20
FROM node:${NODE}-alpine AS build
WORKDIR /app
RUN --mount=type=cache,target=/root/.npm npm ci && \\
    npm run build
FROM build AS test
RUN npm test
FROM nginx:alpine
COPY --from=build /app/dist /usr/share/nginx/html
";

fn opened(text: &str) -> Server {
    let mut server = Server::start();
    server.initialize(&["utf-16"]);
    server.open(URI, text);
    server
}

fn at(line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } })
}

fn with(mut params: Value, extra: Value) -> Value {
    if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
        params.extend(extra.clone());
    }
    params
}

/// Semantic tokens as absolute `(line, start, length, type)`.
fn decode(tokens: &Value) -> Vec<(u64, u64, u64, u64)> {
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .map(|all| all.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .filter_map(|token| {
            let [delta_line, delta_start, length, kind, _] = token else {
                return None;
            };
            start = if *delta_line == 0 {
                start + delta_start
            } else {
                *delta_start
            };
            line += delta_line;
            Some((line, start, *length, *kind))
        })
        .collect()
}

/// `line:start-end` of an LSP range.
fn span(range: &Value) -> String {
    format!(
        "{}:{}-{}:{}",
        range["start"]["line"],
        range["start"]["character"],
        range["end"]["line"],
        range["end"]["character"]
    )
}

#[test]
fn capabilities_are_announced() {
    let mut server = Server::start();
    let initialized = server.initialize(&["utf-16"]);
    let capabilities = &initialized["capabilities"];
    for capability in [
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "renameProvider",
        "completionProvider",
        "hoverProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "selectionRangeProvider",
        "semanticTokensProvider",
    ] {
        assert!(!capabilities[capability].is_null(), "{capability} missing");
    }
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn definition_of_a_copy_from_stage() {
    let mut server = opened(DOCKERFILE);
    let answer = result(server.request("textDocument/definition", at(9, 14)));
    assert_eq!(answer["uri"], URI);
    assert_eq!(span(&answer["range"]), "2:28-2:33");
    let variable = result(server.request("textDocument/definition", at(2, 13)));
    assert_eq!(span(&variable["range"]), "1:4-1:8");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn references_and_highlight_of_a_stage() {
    let mut server = opened(DOCKERFILE);
    let params = with(
        at(2, 29),
        json!({ "context": { "includeDeclaration": true } }),
    );
    let found = result(server.request("textDocument/references", params));
    let spans: Vec<String> = found
        .as_array()
        .map(|all| {
            all.iter()
                .map(|location| span(&location["range"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(spans, ["2:28-2:33", "6:5-6:10", "9:12-9:17"]);
    let highlights = result(server.request("textDocument/documentHighlight", at(6, 6)));
    let kinds: Vec<&Value> = highlights
        .as_array()
        .map(|all| all.iter().map(|h| &h["kind"]).collect())
        .unwrap_or_default();
    assert_eq!(kinds, [&json!(3), &json!(2), &json!(2)]);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn rename_a_stage_and_refuse_an_invalid_name() {
    let mut server = opened(DOCKERFILE);
    let prepared = result(server.request("textDocument/prepareRename", at(9, 13)));
    assert_eq!(span(&prepared), "9:12-9:17");
    let edit = result(server.request(
        "textDocument/rename",
        with(at(9, 13), json!({ "newName": "compile" })),
    ));
    let edits = edit["changes"][URI].as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 3);
    assert!(edits.iter().all(|e| e["newText"] == "compile"));
    let refused = server.request(
        "textDocument/rename",
        with(at(9, 13), json!({ "newName": "Compile" })),
    );
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("not a valid stage name"), "{refused}");
    let nothing = server.request("textDocument/prepareRename", at(3, 2));
    assert!(nothing["error"]["message"].is_string(), "{nothing}");
    assert!(server.shutdown_and_exit().success());
}

/// The labels of a completion list, in order.
fn labels(completion: &Value) -> Vec<&str> {
    completion["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["label"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn completion_after_copy_from_offers_earlier_stages() {
    let text = format!("{DOCKERFILE}COPY --from=");
    let mut server = opened(&text);
    let answer = result(server.request("textDocument/completion", at(10, 12)));
    assert_eq!(labels(&answer), ["test", "build", "1", "0"]);
    let first = &answer["items"][0];
    assert_eq!(first["detail"], "build");
    assert_eq!(span(&first["textEdit"]["range"]), "10:12-10:12");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_of_keywords_and_mount_types() {
    let mut server = opened("from alpine\nru\nrun --mount=type=\n");
    let keywords = result(server.request("textDocument/completion", at(1, 2)));
    assert_eq!(keywords["items"][0]["label"], "run");
    assert_eq!(keywords["items"][0]["insertTextFormat"], 2);
    let types = result(server.request("textDocument/completion", at(2, 17)));
    assert_eq!(labels(&types), ["bind", "cache", "tmpfs", "secret", "ssh"]);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn hover_on_a_stage_and_a_flag() {
    let mut server = opened(DOCKERFILE);
    let stage = result(server.request("textDocument/hover", at(6, 6)));
    let text = stage["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("build ← node:${NODE}-alpine"), "{text}");
    assert!(text.contains("`test` via `FROM`"), "{text}");
    let flag = result(server.request("textDocument/hover", at(9, 7)));
    assert_eq!(flag["contents"]["kind"], "markdown");
    assert!(
        flag["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .contains("--from")
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn outline_folding_and_selection() {
    let mut server = opened(DOCKERFILE);
    let symbols = result(server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    ));
    let names: Vec<&str> = symbols
        .as_array()
        .map(|all| all.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["NODE", "build", "test", "stage-2"]);
    assert_eq!(symbols[1]["detail"], "node:${NODE}-alpine");
    assert_eq!(symbols[1]["children"].as_array().map(Vec::len), Some(2));
    let folds = result(server.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": URI } }),
    ));
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|f| Some((f["startLine"].as_u64()?, f["endLine"].as_u64()?)))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(lines, [(2, 5), (4, 5), (6, 7), (8, 9)]);
    let selection = result(server.request(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": URI }, "positions": [{ "line": 9, "character": 14 }] }),
    ));
    assert_eq!(span(&selection[0]["range"]), "9:12-9:17");
    assert_eq!(span(&selection[0]["parent"]["range"]), "9:5-9:17");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn semantic_tokens_full_and_range() {
    let mut server = opened(DOCKERFILE);
    let full = result(server.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    ));
    // The directive opens the file: the whole line, type `macro` (7).
    assert_eq!(decode(&full).first(), Some(&(0, 0, 28, 7)));
    let range = result(server.request(
        "textDocument/semanticTokens/range",
        json!({ "textDocument": { "uri": URI }, "range": stagesmith_tests::range((9, 0), (9, 50)) }),
    ));
    // COPY keyword (0), --from flag (1), `=` (9), the stage name `build` (namespace, 3), …
    assert_eq!(
        decode(&range)[..4],
        [(9, 0, 4, 0), (9, 5, 6, 1), (9, 11, 1, 9), (9, 12, 5, 3)]
    );
    assert!(server.shutdown_and_exit().success());
}

/// `data` after applying the delta's edits (offsets count integers).
fn apply_token_edits(mut data: Vec<Value>, delta: &Value) -> Vec<Value> {
    for edit in delta["edits"].as_array().into_iter().flatten() {
        let start = edit["start"].as_u64().unwrap_or_default() as usize;
        let delete = edit["deleteCount"].as_u64().unwrap_or_default() as usize;
        let inserted = edit["data"].as_array().cloned().unwrap_or_default();
        data.splice(start..start + delete, inserted);
    }
    data
}

#[test]
fn semantic_tokens_delta_sends_what_changed() {
    let mut server = opened(DOCKERFILE);
    let document = json!({ "textDocument": { "uri": URI } });
    let first = result(server.request("textDocument/semanticTokens/full", document.clone()));
    let first_id = first["resultId"].as_str().unwrap_or_default().to_string();
    assert!(!first_id.is_empty());
    server.change(
        URI,
        2,
        json!([{ "range": stagesmith_tests::range((9, 0), (9, 0)), "text": "RUN echo $VERSION\n" }]),
    );
    let delta = result(server.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": URI }, "previousResultId": first_id }),
    ));
    let edits = delta["edits"].as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 1, "{delta}");
    let full = result(server.request("textDocument/semanticTokens/full", document));
    let before = first["data"].as_array().cloned().unwrap_or_default();
    let after = full["data"].as_array().cloned().unwrap_or_default();
    let inserted = edits[0]["data"].as_array().map_or(0, Vec::len);
    assert!(
        inserted < after.len() / 2,
        "the delta is smaller than the tokens: {delta}"
    );
    assert_eq!(apply_token_edits(before, &delta), after);
    // A result id the server no longer has: all tokens.
    let stale = result(server.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": URI }, "previousResultId": first_id }),
    ));
    assert_eq!(stale["data"], full["data"]);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn features_on_unopened_documents_answer_null() {
    let mut server = Server::start();
    server.initialize(&[]);
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
    ] {
        assert!(
            result(server.request(method, at(0, 0))).is_null(),
            "{method}"
        );
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn positions_follow_the_negotiated_encoding() {
    let text = "FROM alpine\nENV A=1\nRUN echo \"😀\" $A\n";
    for (encoding, column) in [("utf-8", 17), ("utf-16", 15), ("utf-32", 14)] {
        let mut server = Server::start();
        server.initialize(&[encoding]);
        server.open(URI, text);
        let definition = result(server.request("textDocument/definition", at(2, column)));
        assert_eq!(span(&definition["range"]), "1:4-1:5", "{encoding}");
        let hover = result(server.request("textDocument/hover", at(2, column)));
        assert_eq!(
            span(&hover["range"]),
            format!("2:{column}-2:{}", column + 1),
            "{encoding}"
        );
        let tokens = result(server.request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": URI } }),
        ));
        // The last token is `$A`: on the RUN line, two units wide, a variable (4).
        assert_eq!(
            decode(&tokens).last(),
            Some(&(2, u64::from(column) - 1, 2, 4)),
            "{encoding}"
        );
        assert!(server.shutdown_and_exit().success());
    }
}
