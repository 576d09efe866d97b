//! The properties the fuzz targets check, as plain functions: the fuzz targets call them, and
//! `server/tests/fuzz_regressions.rs` includes this file to replay every crash the fuzzers found.

use std::cell::RefCell;
use std::collections::HashSet;

use stagesmith::config::Config;
use stagesmith::ide::assists::{AssistContext, assists};
use stagesmith::ide::diagnostics::{LintContext, diagnostics};
use stagesmith::ide::graph::{GraphFormat, stage_graph};
use stagesmith::ide::references::{Target, occurrences, target_at};
use stagesmith::ide::{
    SourceChange, TextEdit, code_lens, completion, folding, format, goto_definition, hover,
    inlay_hints, path_completion, references, rename, selection_range, semantic_tokens, symbols,
};
use stagesmith::model::Model;
use stagesmith::syntax::{Span, SyntaxTree, parse};

/// Parse + model: no panic, lossless, every model span inside the text.
pub fn check_parse_model(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parse = parse(&text);
    assert_eq!(parse.tree.to_source(), text);
    let model = Model::build(&parse.tree);
    for reference in &model.stage_refs {
        assert!(reference.span.end <= text.len());
    }
    for stage in &model.stages {
        assert!(stage.span.start <= stage.span.end && stage.span.end <= text.len());
    }
}

/// How many tokens each input is probed in (at their start, middle and end, besides the start
/// and the end of the text): enough to land in every kind of token of a small file, few enough
/// that a corpus file of a few KiB still runs in milliseconds (assists analyse the whole file).
const PROBED_TOKENS: usize = 12;

/// Every ide feature at several offsets of the text: no panic, every span and edit inside the
/// text on char boundaries, every fix and assist result re-parses losslessly, formatting is
/// idempotent and a rename keeps the renamed symbol's occurrences.
pub fn check_ide_features(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let parsed = parse(&text);
    let tree = &parsed.tree;
    let model = Model::build(tree);
    let config = Config::default();
    let probe = Probe {
        text: &text,
        reparsed: RefCell::new(HashSet::new()),
    };

    let lint = LintContext {
        config: &config,
        dockerignore: None,
    };
    for diagnostic in diagnostics(&parsed, &model, &lint) {
        probe.span(diagnostic.span, diagnostic.code);
        for related in &diagnostic.related {
            probe.span(related.span, "related");
        }
        for fix in &diagnostic.fixes {
            probe.change(&fix.change, &fix.title);
        }
    }

    whole_document_features(&probe, tree, &model);

    let offsets = probe_offsets(tree, data);
    for &offset in &offsets {
        at_offset_features(&probe, tree, &model, offset);
    }
    // Selections between neighbouring probes exercise the range forms (range formatting, range
    // semantic tokens, inlay hints).
    for pair in offsets.windows(2) {
        if let [start, end] = *pair {
            range_features(&probe, tree, &model, Span::new(start, end));
        }
    }
    // Assists analyse the whole file on every call, so they get a third of the probes (at the
    // cursor and as selections) to keep the fuzzer fast.
    let assist_offsets: Vec<usize> = offsets.iter().copied().step_by(3).collect();
    for &offset in &assist_offsets {
        check_assists(&probe, tree, &model, &config, Span::empty(offset));
    }
    for pair in assist_offsets.windows(2) {
        if let [start, end] = *pair {
            check_assists(&probe, tree, &model, &config, Span::new(start, end));
        }
    }
}

fn whole_document_features(probe: &Probe<'_>, tree: &SyntaxTree, model: &Model) {
    let formatted_edits = format::format(tree);
    probe.edits(&formatted_edits, "format");
    let formatted = format::format_text(tree);
    probe.reparses(&formatted, "format");
    assert_eq!(
        format::format_text(&parse(&formatted).tree),
        formatted,
        "formatting is not idempotent"
    );

    for token in semantic_tokens::semantic_tokens(tree, model, None) {
        probe.single_line(token.span, "semantic token");
    }
    for symbol in symbols::document_symbols(tree, model) {
        check_symbol(probe, &symbol);
    }
    for fold in folding::folding_ranges(tree, model) {
        probe.span(fold.span, "fold");
    }
    for lens in code_lens::code_lenses(model) {
        probe.span(lens.span, "code lens");
    }
    let all = Span::new(0, probe.text.len());
    for hint in inlay_hints::inlay_hints(tree, model, all) {
        probe.offset(hint.offset, "inlay hint");
    }
    for format in [GraphFormat::Dot, GraphFormat::Mermaid, GraphFormat::Svg] {
        stage_graph(model, format);
    }
}

fn check_symbol(probe: &Probe<'_>, symbol: &symbols::Symbol) {
    probe.span(symbol.span, "symbol");
    probe.span(symbol.focus, "symbol focus");
    for child in &symbol.children {
        check_symbol(probe, child);
    }
}

fn at_offset_features(probe: &Probe<'_>, tree: &SyntaxTree, model: &Model, offset: usize) {
    for item in completion::completions(tree, model, offset) {
        probe.span(item.replace, "completion");
    }
    for item in path_completion::path_completions(tree, model, offset) {
        probe.span(item.replace, "path completion");
    }
    if let Some((span, _)) = path_completion::hover_stage_path(tree, model, offset) {
        probe.span(span, "path hover");
    }
    if let Some(hover) = hover::hover(tree, model, offset) {
        probe.span(hover.span, "hover");
    }
    if let Some(definition) = goto_definition::goto_definition(tree, model, offset) {
        probe.span(definition.origin, "definition origin");
        probe.span(definition.focus, "definition focus");
        probe.span(definition.full, "definition");
    }
    for include_declaration in [false, true] {
        for reference in references::references(model, offset, include_declaration)
            .into_iter()
            .flatten()
        {
            probe.span(reference.span, "reference");
        }
    }
    for highlight in references::highlights(model, offset) {
        probe.span(highlight.span, "highlight");
    }
    let mut previous: Option<Span> = None;
    for span in selection_range::selection_ranges(tree, model, offset) {
        probe.span(span, "selection range");
        if let Some(inner) = previous {
            assert!(
                span.contains_span(inner) && span != inner,
                "selection range {span:?} does not strictly contain {inner:?}"
            );
        }
        previous = Some(span);
    }
    check_rename(probe, tree, model, offset);
}

/// A new name valid for either kind of symbol (lower case suits stages, and variables accept it).
const NEW_NAME: &str = "fuzz_renamed";

fn check_rename(probe: &Probe<'_>, tree: &SyntaxTree, model: &Model, offset: usize) {
    if let Ok(span) = rename::prepare_rename(tree, model, offset) {
        probe.span(span, "prepare rename");
    }
    let Ok(change) = rename::rename(tree, model, offset, NEW_NAME) else {
        return;
    };
    let Some((target, _)) = target_at(model, offset) else {
        panic!("rename succeeded without a symbol at {offset}");
    };
    let renamed = probe.change(&change, "rename");
    let before = occurrences(model, target).len();
    // The first rewritten span starts the renamed symbol's first occurrence in the new text too.
    let Some(first) = change.edits.iter().map(|edit| edit.span.start).min() else {
        return;
    };
    let renamed_tree = parse(&renamed).tree;
    let renamed_model = Model::build(&renamed_tree);
    let after = target_at(&renamed_model, first)
        .map(|(target, _)| occurrences(&renamed_model, target).len())
        .unwrap_or(0);
    assert_eq!(
        before,
        after,
        "rename changed the number of occurrences ({}):\n{renamed}",
        target_name(target)
    );
}

fn target_name(target: Target) -> &'static str {
    match target {
        Target::Stage(_) => "stage",
        Target::Var(_) => "variable",
        Target::Predefined(_) => "predefined ARG",
    }
}

fn check_assists(
    probe: &Probe<'_>,
    tree: &SyntaxTree,
    model: &Model,
    config: &Config,
    range: Span,
) {
    let context = AssistContext {
        tree,
        model,
        range,
        config,
        dockerignore: None,
    };
    for assist in assists(&context) {
        probe.change(&assist.change, assist.id);
    }
}

fn range_features(probe: &Probe<'_>, tree: &SyntaxTree, model: &Model, range: Span) {
    probe.edits(&format::format_range(tree, range), "range format");
    for token in semantic_tokens::semantic_tokens(tree, model, Some(range)) {
        probe.single_line(token.span, "range semantic token");
    }
    for hint in inlay_hints::inlay_hints(tree, model, range) {
        probe.offset(hint.offset, "range inlay hint");
    }
}

/// The start and end of the text, plus the start, middle and end of a spread of tokens; which
/// tokens depends on the input bytes so the fuzzer varies them.
fn probe_offsets(tree: &SyntaxTree, data: &[u8]) -> Vec<usize> {
    let text = tree.text();
    let stride = tree.tokens.len().div_ceil(PROBED_TOKENS).max(1);
    let phase = data.iter().fold(0usize, |hash, &byte| {
        hash.wrapping_mul(31).wrapping_add(byte.into())
    }) % stride;
    let mut offsets = vec![0, text.len()];
    for token in tree.tokens.iter().skip(phase).step_by(stride) {
        let middle = floor_char_boundary(text, token.span.start + token.span.len() / 2);
        offsets.extend([token.span.start, middle, token.span.end]);
    }
    offsets.sort_unstable();
    offsets.dedup();
    offsets
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Checks results against the text they were computed on.
struct Probe<'a> {
    text: &'a str,
    /// Results already re-parsed: many assists offer the same change at every offset.
    reparsed: RefCell<HashSet<String>>,
}

impl Probe<'_> {
    fn offset(&self, offset: usize, what: &str) {
        assert!(
            self.text.is_char_boundary(offset),
            "{what}: offset {offset} is outside the text or inside a character"
        );
    }

    fn span(&self, span: Span, what: &str) {
        assert!(span.start <= span.end, "{what}: reversed span {span:?}");
        self.offset(span.start, what);
        self.offset(span.end, what);
    }

    fn single_line(&self, span: Span, what: &str) {
        self.span(span, what);
        let covered = self.text.get(span.start..span.end).unwrap_or_default();
        assert!(
            !covered.contains(['\n', '\r']),
            "{what}: {span:?} crosses a line break"
        );
    }

    /// Edits inside the text, on char boundaries, not overlapping.
    fn edits(&self, edits: &[TextEdit], what: &str) {
        let mut spans: Vec<Span> = edits.iter().map(|edit| edit.span).collect();
        spans.sort_unstable();
        for span in &spans {
            self.span(*span, what);
        }
        for pair in spans.windows(2) {
            if let [first, second] = pair {
                assert!(
                    first.end <= second.start,
                    "{what}: edits {first:?} and {second:?} overlap"
                );
            }
        }
    }

    fn reparses(&self, result: &str, what: &str) {
        if !self.reparsed.borrow_mut().insert(result.to_string()) {
            return;
        }
        assert_eq!(
            parse(result).tree.to_source(),
            result,
            "{what}: the result does not re-parse losslessly"
        );
    }

    /// Checks and applies a change; returns the new text.
    fn change(&self, change: &SourceChange, what: &str) -> String {
        self.edits(&change.edits, what);
        let result = change.apply(self.text);
        self.reparses(&result, what);
        result
    }
}
