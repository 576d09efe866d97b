//! What the file says to switch off: BuildKit's `# check=` directive (file level) and `# check=`
//! comments directly above an instruction, hadolint's `# hadolint ignore=`, `global ignore=` and
//! `stage ignore=` pragmas (through each rule's hadolint codes).
//!
//! The comment block above an instruction follows BuildKit's parser: every comment line since the
//! previous instruction, directives included; blank lines keep the block, an empty `#` line
//! starts it over. Only the first `check=` comment of a block counts.

use crate::knowledge::{CheckOptionKey, parse_check_directive};
use crate::syntax::{InstructionKind, Span, SyntaxTree};

use super::RuleMeta;

/// `skip=…;error=…;experimental=…`, with the source offsets the ignore fixes edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct CheckOptions {
    pub(super) skip: Option<RuleList>,
    pub(super) error: Option<bool>,
    pub(super) experimental: Option<RuleList>,
    /// Where the options end in the source (a new option is appended here).
    pub(super) end: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RuleList {
    pub(super) all: bool,
    pub(super) names: Vec<String>,
    /// Where the list ends in the source (a new name is appended here).
    pub(super) end: usize,
}

impl RuleList {
    fn covers(&self, name: &str) -> bool {
        self.all || self.names.iter().any(|n| n == name)
    }
}

impl CheckOptions {
    /// Parses the value of `check=` found at source offset `offset` (with the knowledge
    /// module's BuildKit-faithful parser). Malformed options are left to the directive
    /// diagnostics; here they simply switch nothing off.
    pub(super) fn parse(value: &str, offset: usize) -> CheckOptions {
        let directive = parse_check_directive(value);
        let list = |key: CheckOptionKey| {
            directive.option(key).map(|option| RuleList {
                all: option.is_all(),
                names: option
                    .values
                    .iter()
                    .filter(|value| !value.text.is_empty())
                    .map(|value| value.text.clone())
                    .collect(),
                end: offset
                    + option
                        .values
                        .last()
                        .map_or(option.key_span.end + 1, |value| value.span.end),
            })
        };
        CheckOptions {
            skip: list(CheckOptionKey::Skip),
            error: directive.error_on_violation(),
            experimental: list(CheckOptionKey::Experimental),
            end: offset + value.len(),
        }
    }

    fn skips(&self, name: &str) -> bool {
        self.skip.as_ref().is_some_and(|skip| skip.covers(name))
    }
}

/// The pragmas in the comment block above one instruction.
#[derive(Debug, Clone, Default)]
pub(super) struct InstructionPragmas {
    /// The first `# check=` comment of the block.
    pub(super) check: Option<CheckOptions>,
    /// Codes from `# hadolint ignore=`.
    pub(super) hadolint: Vec<String>,
    /// Codes from `# hadolint stage ignore=` (above a FROM: the whole stage).
    pub(super) hadolint_stage: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct Suppressions {
    /// The `# check=` parser directive.
    pub(super) file: Option<CheckOptions>,
    hadolint_global: Vec<String>,
    /// `(instruction index, pragmas)` for the instructions that have any, in the tree's order
    /// (most have none, and a lint collects them on every keystroke).
    instructions: Vec<(usize, InstructionPragmas)>,
    /// Instruction spans, to find the instruction a diagnostic belongs to.
    instruction_spans: Vec<Span>,
    /// `(stage span, codes)` for `# hadolint stage ignore=`.
    stages: Vec<(Span, Vec<String>)>,
    /// Where a new parser directive line goes: the end of the leading directive block.
    pub(super) directive_insert: DirectiveInsert,
}

/// The place for a new directive line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct DirectiveInsert {
    pub(super) offset: usize,
    /// The text before `offset` has no line break to end on (a last line without one).
    pub(super) needs_leading_newline: bool,
}

impl Suppressions {
    pub(super) fn collect(tree: &SyntaxTree) -> Suppressions {
        let text = tree.text();
        let file = tree
            .directive(crate::syntax::DirectiveKind::Check)
            .map(|directive| CheckOptions::parse(&directive.value_text, directive.value.start));
        let mut comment_lines: Vec<Span> = tree
            .comments
            .iter()
            .filter(|comment| !comment.inside_instruction)
            .map(|comment| comment.span)
            .chain(tree.directives.iter().map(|directive| directive.span))
            .collect();
        comment_lines.sort_by_key(|span| span.start);
        let hadolint_global = comment_lines
            .iter()
            .filter_map(|&span| hadolint_pragma(tree.slice(span)))
            .filter(|(scope, _)| *scope == HadolintScope::Global)
            .flat_map(|(_, codes)| codes)
            .collect();
        let mut instructions = Vec::new();
        let mut next_comment = 0;
        let mut stages = Vec::new();
        let mut block: Vec<Span> = Vec::new();
        for (index, instruction) in tree.instructions.iter().enumerate() {
            block.clear();
            while let Some(&span) = comment_lines.get(next_comment) {
                if span.start >= instruction.span.start {
                    break;
                }
                next_comment += 1;
                if tree.slice(span).trim_start_matches('#').trim().is_empty() {
                    block.clear();
                } else {
                    block.push(span);
                }
            }
            if block.is_empty() {
                continue;
            }
            let pragmas = block_pragmas(tree, &block);
            if instruction.kind == InstructionKind::From && !pragmas.hadolint_stage.is_empty() {
                stages.push((instruction.span.start, pragmas.hadolint_stage.clone()));
            }
            if pragmas.check.is_some() || !pragmas.hadolint.is_empty() {
                instructions.push((index, pragmas));
            }
        }
        let stage_spans = stage_spans(tree, &stages);
        Suppressions {
            file,
            hadolint_global,
            instructions,
            instruction_spans: tree.instructions.iter().map(|i| i.span).collect(),
            stages: stage_spans,
            directive_insert: directive_insert(text, tree),
        }
    }

    /// `# check=error=true`: BuildKit's check warnings fail the build.
    pub(super) fn checks_are_errors(&self) -> bool {
        self.file.as_ref().and_then(|file| file.error) == Some(true)
    }

    /// `# check=experimental=Rule|all` turns on an off-by-default BuildKit rule.
    pub(super) fn enables_experimental(&self, name: &str) -> bool {
        self.file
            .as_ref()
            .and_then(|file| file.experimental.as_ref())
            .is_some_and(|list| list.covers(name))
    }

    /// The instruction holding `offset`, by index.
    pub(super) fn instruction_index(&self, offset: usize) -> Option<usize> {
        let index = self
            .instruction_spans
            .partition_point(|span| span.end < offset);
        self.instruction_spans
            .get(index)
            .filter(|span| span.touches(offset))
            .map(|_| index)
    }

    /// The pragmas above instruction `index`, if it has any.
    pub(super) fn pragmas(&self, index: usize) -> Option<&InstructionPragmas> {
        self.instructions
            .binary_search_by_key(&index, |(at, _)| *at)
            .ok()
            .and_then(|position| self.instructions.get(position))
            .map(|(_, pragmas)| pragmas)
    }

    /// Whether something in the file switches off `rule`'s diagnostic at `span`.
    pub(super) fn suppresses(&self, rule: &RuleMeta, span: Span) -> bool {
        let hadolint_covers = |codes: &[String]| {
            rule.hadolint
                .iter()
                .any(|code| codes.iter().any(|c| c == code))
        };
        let experimental = self.enables_experimental(rule.name);
        if !experimental && self.file.as_ref().is_some_and(|file| file.skips(rule.name)) {
            return true;
        }
        if hadolint_covers(&self.hadolint_global) {
            return true;
        }
        if self
            .stages
            .iter()
            .any(|(stage, codes)| stage.touches(span.start) && hadolint_covers(codes))
        {
            return true;
        }
        let Some(pragmas) = self
            .instruction_index(span.start)
            .and_then(|index| self.pragmas(index))
        else {
            return false;
        };
        pragmas
            .check
            .as_ref()
            .is_some_and(|check| check.skips(rule.name))
            || hadolint_covers(&pragmas.hadolint)
    }
}

fn block_pragmas(tree: &SyntaxTree, block: &[Span]) -> InstructionPragmas {
    let mut pragmas = InstructionPragmas::default();
    for &span in block {
        let line = tree.slice(span);
        if pragmas.check.is_none()
            && let Some((value, offset)) = check_comment_value(line)
        {
            pragmas.check = Some(CheckOptions::parse(value, span.start + offset));
        }
        match hadolint_pragma(line) {
            Some((HadolintScope::Instruction, codes)) => pragmas.hadolint.extend(codes),
            Some((HadolintScope::Stage, codes)) => pragmas.hadolint_stage.extend(codes),
            _ => {}
        }
    }
    pragmas
}

/// `# check=VALUE rest`: the value (up to the first blank) and its offset in the line.
pub(super) fn check_comment_value(line: &str) -> Option<(&str, usize)> {
    let after_hash = line.strip_prefix('#')?;
    let body = after_hash.trim_start();
    let key_len = "check".len();
    let key = body.get(..key_len)?;
    if !key.eq_ignore_ascii_case("check") {
        return None;
    }
    let rest = body[key_len..].trim_start();
    let value_part = rest.strip_prefix('=')?.trim_start();
    let value_len = value_part
        .find(char::is_whitespace)
        .unwrap_or(value_part.len());
    let offset = line.len() - value_part.len();
    Some((&value_part[..value_len], offset))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HadolintScope {
    Instruction,
    Global,
    Stage,
}

/// `# hadolint [global|stage] ignore=DL3006,DL3008 [# reason]`.
fn hadolint_pragma(line: &str) -> Option<(HadolintScope, Vec<String>)> {
    let body = line.strip_prefix('#')?.trim_start();
    let rest = body.strip_prefix("hadolint")?;
    let mut words = rest.split_whitespace();
    let mut word = words.next()?;
    let scope = match word {
        "global" => HadolintScope::Global,
        "stage" => HadolintScope::Stage,
        _ => HadolintScope::Instruction,
    };
    if scope != HadolintScope::Instruction {
        word = words.next()?;
    }
    let codes = word.strip_prefix("ignore=")?;
    let codes = codes
        .split(',')
        .map(|code| {
            code.chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|code| !code.is_empty())
        .collect();
    Some((scope, codes))
}

/// A stage pragma covers the FROM it sits above through the next FROM.
fn stage_spans(tree: &SyntaxTree, stages: &[(usize, Vec<String>)]) -> Vec<(Span, Vec<String>)> {
    stages
        .iter()
        .map(|(start, codes)| {
            let end = tree
                .instructions
                .iter()
                .filter(|i| i.kind == InstructionKind::From && i.span.start > *start)
                .map(|i| i.span.start.saturating_sub(1))
                .next()
                .unwrap_or(tree.text().len());
            (Span::new(*start, end.max(*start)), codes.clone())
        })
        .collect()
}

/// After the last parser directive, else at the top (after a BOM or a `#!` line, which BuildKit
/// reads directives past).
fn directive_insert(text: &str, tree: &SyntaxTree) -> DirectiveInsert {
    let after_line = |end: usize| match text.get(end..).and_then(|rest| rest.find('\n')) {
        Some(newline) => DirectiveInsert {
            offset: end + newline + 1,
            needs_leading_newline: false,
        },
        None => DirectiveInsert {
            offset: text.len(),
            needs_leading_newline: true,
        },
    };
    if let Some(last) = tree.directives.iter().map(|d| d.span.end).max() {
        return after_line(last);
    }
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text.get(bom..).is_some_and(|rest| rest.starts_with("#!")) {
        return after_line(bom);
    }
    DirectiveInsert {
        offset: bom,
        needs_leading_newline: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_options_keep_their_offsets() {
        let options = CheckOptions::parse("skip=A, B;error=true", 10);
        assert_eq!(
            options.skip,
            Some(RuleList {
                all: false,
                names: vec!["A".to_string(), "B".to_string()],
                end: 19,
            })
        );
        assert_eq!(options.error, Some(true));
        assert_eq!(options.end, 30);
    }

    #[test]
    fn check_comments_stop_at_the_first_blank() {
        assert_eq!(
            check_comment_value("# check=skip=A // why"),
            Some(("skip=A", 8))
        );
        assert_eq!(
            check_comment_value("#CHECK = skip=all"),
            Some(("skip=all", 9))
        );
        assert_eq!(check_comment_value("# checks=skip=A"), None);
        assert_eq!(check_comment_value("# a comment"), None);
    }

    #[test]
    fn hadolint_pragmas() {
        assert_eq!(
            hadolint_pragma("# hadolint ignore=DL3006,DL3008 # old base"),
            Some((
                HadolintScope::Instruction,
                vec!["DL3006".to_string(), "DL3008".to_string()]
            ))
        );
        assert_eq!(
            hadolint_pragma("# hadolint global ignore=DL3003"),
            Some((HadolintScope::Global, vec!["DL3003".to_string()]))
        );
        assert_eq!(
            hadolint_pragma("#hadolint stage ignore=DL3018"),
            Some((HadolintScope::Stage, vec!["DL3018".to_string()]))
        );
        assert_eq!(hadolint_pragma("# hadolint shell=powershell"), None);
    }
}
