//! Stages and stage references, resolved with BuildKit's rules.

use std::collections::HashMap;

use crate::syntax::{Args, FlagValue, Instruction, InstructionKind, LogicalLine, Span, SyntaxTree};

use super::{Model, Resolution, Stage, StageBase, StageName, StageRef, StageRefKind};

/// The global ARG instructions and the stages, in file order.
pub(super) fn collect_stages(tree: &SyntaxTree) -> (Vec<usize>, Vec<Stage>) {
    let mut global_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for (index, instruction) in tree.instructions.iter().enumerate() {
        if instruction.kind == InstructionKind::From {
            stages.push(stage_from(stages.len(), index, instruction));
            continue;
        }
        match stages.last_mut() {
            Some(stage) => {
                stage.instructions.end = index + 1;
                stage.span.end = instruction.span.end;
            }
            None if instruction.kind == InstructionKind::Arg => global_args.push(index),
            None => {}
        }
    }
    (global_args, stages)
}

fn stage_from(stage_index: usize, instruction_index: usize, from: &Instruction) -> Stage {
    let words = from.words();
    let name = match words {
        [_, keyword, name] if keyword.text.eq_ignore_ascii_case("as") => Some(StageName {
            text: name.text.clone(),
            key: name.text.to_lowercase(),
            span: name.span,
        }),
        _ => None,
    };
    Stage {
        index: stage_index,
        name,
        from_instruction: instruction_index,
        instructions: instruction_index..instruction_index + 1,
        span: from.span,
        base: words.first().map(|word| StageBase {
            text: word.text.clone(),
            span: word.span,
            reference: usize::MAX,
        }),
        platform: from
            .flag("platform")
            .and_then(|flag| flag.value.as_ref())
            .map(|value| (value.text.clone(), value.span)),
    }
}

pub(super) fn resolve_references(tree: &SyntaxTree, model: &mut Model) {
    let names = StageNames::new(model);
    let mut refs = Vec::new();
    for stage in &model.stages {
        for index in stage.instructions.clone() {
            let Some(instruction) = tree.instructions.get(index) else {
                continue;
            };
            if index == stage.from_instruction {
                if let Some(base) = &stage.base {
                    let pieces = expand_global_args(tree, model, &base.text);
                    refs.push(StageRef {
                        kind: StageRefKind::From,
                        text: base.text.clone(),
                        span: base.span,
                        instruction: index,
                        stage: stage.index,
                        resolution: resolve_from(&names, stage.index, &literal_text(&pieces)),
                        possible_stages: possible_stages(model, stage.index, &pieces),
                    });
                }
                continue;
            }
            let (target, deferred) = match &instruction.args {
                Args::Onbuild(inner) => (inner.as_ref(), true),
                _ => (instruction, false),
            };
            for (kind, text, span) in references_in(target, &instruction.logical, deferred) {
                let resolution = if deferred {
                    Resolution::Deferred
                } else {
                    resolve_from_flag(&names, stage.index, &text, kind == StageRefKind::CopyFrom)
                };
                refs.push(StageRef {
                    kind,
                    text,
                    span,
                    instruction: index,
                    stage: stage.index,
                    resolution,
                    possible_stages: Vec::new(),
                });
            }
        }
    }
    for (position, reference) in refs.iter().enumerate() {
        if reference.kind == StageRefKind::From
            && let Some(stage) = model.stages.get_mut(reference.stage)
            && let Some(base) = stage.base.as_mut()
        {
            base.reference = position;
        }
    }
    model.stage_refs = refs;
    mark_cycles(model);
}

/// `COPY --from` and `RUN --mount …from=` values of one instruction.
fn references_in(
    instruction: &Instruction,
    logical: &LogicalLine,
    deferred: bool,
) -> Vec<(StageRefKind, String, Span)> {
    let mut out = Vec::new();
    match instruction.kind {
        InstructionKind::Copy | InstructionKind::Add => {
            for flag in instruction.flags_named("from") {
                let kind = if deferred {
                    StageRefKind::OnbuildCopyFrom
                } else {
                    StageRefKind::CopyFrom
                };
                match &flag.value {
                    Some(value) => out.push((kind, value.text.clone(), value.span)),
                    None => out.push((kind, String::new(), Span::empty(flag.span.end))),
                }
            }
        }
        InstructionKind::Run => {
            for flag in instruction.flags_named("mount") {
                let Some(value) = &flag.value else {
                    continue;
                };
                let kind = if deferred {
                    StageRefKind::OnbuildMountFrom
                } else {
                    StageRefKind::MountFrom
                };
                let mut part_start = 0;
                for part in value.text.split(',') {
                    let part_end = part_start + part.len();
                    if let Some((key, stage)) = part.split_once('=')
                        && key.trim().eq_ignore_ascii_case("from")
                    {
                        let stage_start = part_start + key.len() + 1;
                        let span = value_part_span(logical, value, stage_start, part_end);
                        out.push((kind, stage.to_string(), span));
                    }
                    part_start = part_end + 1;
                }
            }
        }
        _ => {}
    }
    out
}

/// The source span of `value.text[start..end]`, through the logical line when the value is
/// written plainly; the whole value when quoting makes the text differ from the source.
pub fn value_part_span(logical: &LogicalLine, value: &FlagValue, start: usize, end: usize) -> Span {
    let Some(logical_start) = logical.logical_offset(value.span.start) else {
        return value.span;
    };
    let written = logical
        .text
        .get(logical_start..logical_start + value.text.len());
    if written == Some(value.text.as_str()) {
        logical.span(logical_start + start, logical_start + end)
    } else {
        value.span
    }
}

/// `FROM x`: only earlier stages, by their lower-case key; otherwise an image.
fn resolve_from(names: &StageNames, current: usize, text: &str) -> Resolution {
    if let Some(index) = names.last_before(text, current) {
        return Resolution::Stage(index);
    }
    let key = text.to_lowercase();
    if let Some(index) = names.last_before(&key, current) {
        return Resolution::CaseMismatch(index);
    }
    match names.first(&key) {
        Some(index) if index == current => Resolution::SelfReference,
        Some(index) => Resolution::Forward(index),
        None => Resolution::Image,
    }
}

/// Stage indexes by lower-case name, in file order, so each lookup is a hash probe.
struct StageNames(HashMap<String, Vec<usize>>);

impl StageNames {
    fn new(model: &Model) -> StageNames {
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for stage in &model.stages {
            if let Some(name) = &stage.name {
                names.entry(name.key.clone()).or_default().push(stage.index);
            }
        }
        StageNames(names)
    }

    fn last_before(&self, key: &str, current: usize) -> Option<usize> {
        self.0
            .get(key)?
            .iter()
            .rev()
            .find(|&&index| index < current)
            .copied()
    }

    fn first(&self, key: &str) -> Option<usize> {
        self.0.get(key)?.first().copied()
    }
}

/// `--from=x` / `from=x`: a stage name (case-insensitive), a stage index (`--from` only),
/// otherwise an image or named context. No variable expansion.
fn resolve_from_flag(
    names: &StageNames,
    current: usize,
    text: &str,
    allow_index: bool,
) -> Resolution {
    if text.is_empty() {
        return Resolution::Empty;
    }
    if text.contains('$') {
        return Resolution::Variable;
    }
    let key = text.to_lowercase();
    if let Some(index) = names.last_before(&key, current) {
        return Resolution::Stage(index);
    }
    if let Some(index) = names.first(&key) {
        return if index == current {
            Resolution::SelfReference
        } else {
            Resolution::Forward(index)
        };
    }
    if allow_index && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<usize>() {
            Ok(index) if index < current => Resolution::Stage(index),
            Ok(index) if index == current => Resolution::SelfReference,
            Ok(index) => Resolution::InvalidIndex(index),
            Err(_) => Resolution::InvalidIndex(usize::MAX),
        };
    }
    Resolution::Image
}

/// A forward reference whose target depends (through resolved references) on the referring
/// stage would be a cycle if BuildKit allowed forward references.
fn mark_cycles(model: &mut Model) {
    let depends_on = |model: &Model, from: usize, target: usize| {
        let mut stack = vec![from];
        let mut seen = vec![false; model.stages.len()];
        while let Some(stage) = stack.pop() {
            if stage == target {
                return true;
            }
            if std::mem::replace(seen.get_mut(stage).unwrap_or(&mut true), true) {
                continue;
            }
            for reference in model.stage_refs.iter().filter(|r| r.stage == stage) {
                if let Resolution::Stage(next) = reference.resolution {
                    stack.push(next);
                }
            }
        }
        false
    };
    let cycles: Vec<(usize, usize)> = model
        .stage_refs
        .iter()
        .enumerate()
        .filter_map(|(position, reference)| match reference.resolution {
            Resolution::Forward(target) if depends_on(model, target, reference.stage) => {
                Some((position, target))
            }
            _ => None,
        })
        .collect();
    for (position, target) in cycles {
        if let Some(reference) = model.stage_refs.get_mut(position) {
            reference.resolution = Resolution::Cycle(target);
        }
    }
}

/// A FROM operand after expanding global ARGs: literal text, and holes where a variable has no
/// value known statically (platform ARGs, ARGs without a default, `--build-arg` overrides).
enum Piece {
    Literal(String),
    Unknown,
}

/// Expands `$X`, `${X}` and `${X:-default}` in a FROM operand with the global ARG defaults
/// (BuildKit expands FROM with global ARGs only).
fn expand_global_args(tree: &SyntaxTree, model: &Model, text: &str) -> Vec<Piece> {
    if !text.contains('$') {
        return vec![Piece::Literal(text.to_string())];
    }
    let default_of = |name: &str| {
        model.global_args.iter().rev().find_map(|&index| {
            let instruction = tree.instructions.get(index)?;
            let Args::Pairs(pairs) = &instruction.args else {
                return None;
            };
            pairs
                .iter()
                .rev()
                .find(|pair| pair.key.text == name)
                .map(|pair| pair.unquoted_value(tree.escape).unwrap_or_default())
        })
    };
    let mut refs = Vec::new();
    crate::syntax::vars::scan_text(text, tree.escape, &mut refs);
    let mut pieces = Vec::new();
    let mut cursor = 0;
    for reference in &refs {
        if reference.span.start < cursor {
            continue;
        }
        pieces.push(Piece::Literal(
            text[cursor..reference.span.start].to_string(),
        ));
        let value = default_of(&reference.name).filter(|v| !v.is_empty());
        pieces.push(match (&reference.modifier, value) {
            (None, Some(value)) => Piece::Literal(value),
            (Some(modifier), None) if modifier.operator.contains('-') => {
                Piece::Literal(text[modifier.word.start..modifier.word.end].to_string())
            }
            _ => Piece::Unknown,
        });
        cursor = reference.span.end;
    }
    pieces.push(Piece::Literal(text[cursor..].to_string()));
    pieces
}

/// The text BuildKit would use when every unknown variable is empty.
fn literal_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.as_str(),
            Piece::Unknown => "",
        })
        .collect()
}

/// Earlier stages whose name the operand may expand to, when it has unknown parts.
fn possible_stages(model: &Model, current: usize, pieces: &[Piece]) -> Vec<usize> {
    if !pieces.iter().any(|piece| matches!(piece, Piece::Unknown)) {
        return Vec::new();
    }
    model
        .stages
        .iter()
        .take(current)
        .filter(|stage| {
            stage
                .name
                .as_ref()
                .is_some_and(|name| matches_pieces(&name.key, pieces))
        })
        .map(|stage| stage.index)
        .collect()
}

/// Glob match where each unknown piece stands for any text.
fn matches_pieces(name: &str, pieces: &[Piece]) -> bool {
    match pieces.split_first() {
        None => name.is_empty(),
        Some((Piece::Literal(literal), rest)) => name
            .strip_prefix(literal.as_str())
            .is_some_and(|tail| matches_pieces(tail, rest)),
        Some((Piece::Unknown, rest)) => name
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(name.len()))
            .any(|split| matches_pieces(&name[split..], rest)),
    }
}
