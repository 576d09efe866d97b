//! Completion: what can be typed at the cursor, worked out from the text before it and the
//! syntax tree, so half-typed lines (`COPY --from=`, `FROM alpine AS`, `RUN --mount=type=`)
//! complete as well as finished ones.
//!
//! - `COPY/ADD --from=` and `RUN --mount=…,from=`: stages defined earlier (never the current or a
//!   later one), and stage indexes for `--from=`;
//! - `FROM `: earlier stages and common base images, then `AS`;
//! - `$`/`${`: the variables in scope at the cursor, predefined ARGs included.

use crate::ide::hover::line_number;
use crate::model::{Model, VarDefKind, VarResolution};
use crate::syntax::{Expansion, Instruction, InstructionKind, Span, SyntaxTree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Snippet,
    Stage,
    Image,
    Variable,
    Flag,
    Value,
    Directive,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Replaces `replace`; holds `$1`-style tab stops when `is_snippet`.
    pub insert_text: String,
    /// The text the item replaces: the partly typed word around the cursor.
    pub replace: Span,
    pub is_snippet: bool,
    /// Orders items the way this module lists them.
    pub sort_text: String,
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind, replace: Span) -> CompletionItem {
        let label = label.into();
        CompletionItem {
            insert_text: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            replace,
            is_snippet: false,
            sort_text: String::new(),
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> CompletionItem {
        self.detail = Some(detail.into());
        self
    }

    fn documentation(mut self, documentation: impl Into<String>) -> CompletionItem {
        self.documentation = Some(documentation.into());
        self
    }

    fn insert(mut self, text: impl Into<String>) -> CompletionItem {
        self.insert_text = text.into();
        self
    }
}

/// Completions at `offset`, filtered by what is already typed and in display order.
pub fn completions(tree: &SyntaxTree, model: &Model, offset: usize) -> Vec<CompletionItem> {
    let text = tree.text();
    let offset = floor_char_boundary(text, offset);
    let cursor = Cursor {
        tree,
        model,
        offset,
    };
    let mut items = cursor.items();
    items.retain(|item| {
        let typed = tree.slice(Span::new(item.replace.start, offset));
        starts_with_ignore_case(&item.label, typed)
    });
    for (position, item) in items.iter_mut().enumerate() {
        item.sort_text = format!("{position:04}");
    }
    items
}

struct Cursor<'a> {
    tree: &'a SyntaxTree,
    model: &'a Model,
    offset: usize,
}

impl Cursor<'_> {
    fn items(&self) -> Vec<CompletionItem> {
        let Some((index, instruction)) = self.tree.instruction_at(self.offset) else {
            return Vec::new();
        };
        if let Some(items) = self.variable_items(index, instruction) {
            return items;
        }
        let effective = instruction.effective();
        if let Some(flag) = effective
            .flags
            .iter()
            .find(|flag| flag.span.touches(self.offset))
            && let Some(value) = &flag.value
            && value.span.start <= self.offset
        {
            let typed = self.tree.slice(Span::new(value.span.start, self.offset));
            let current = self.model.stage_of_instruction(index);
            return match (effective.kind, flag.name.to_ascii_lowercase().as_str()) {
                _ if effective.kind != instruction.kind => Vec::new(),
                (InstructionKind::Copy | InstructionKind::Add, "from") => self.stage_items(
                    current,
                    StageSyntax::CopyFrom,
                    Span::new(value.span.start, self.word_end()),
                ),
                (InstructionKind::Run, "mount") => {
                    self.mount_items(current, value.span.start, typed)
                }
                _ => Vec::new(),
            };
        }
        if effective.kind == InstructionKind::From {
            return self.base_items(index, effective);
        }
        Vec::new()
    }

    /// The end of the value being typed: completions replace all of it, up to the next blank
    /// or comma.
    fn word_end(&self) -> usize {
        let rest = self.tree.text().get(self.offset..).unwrap_or_default();
        self.offset
            + rest
                .find(|c: char| c.is_whitespace() || c == ',')
                .unwrap_or(rest.len())
    }

    /// `--mount=type=cache,from=|`: the field under the cursor decides.
    fn mount_items(
        &self,
        current: Option<usize>,
        value_start: usize,
        typed: &str,
    ) -> Vec<CompletionItem> {
        let field_start = typed.rfind(',').map_or(0, |comma| comma + 1);
        let field = typed.get(field_start..).unwrap_or_default();
        let Some((key, _)) = field.split_once('=') else {
            return Vec::new();
        };
        let value_start = value_start + field_start + key.len() + 1;
        let replace = Span::new(value_start, self.word_end());
        match key.trim().to_ascii_lowercase().as_str() {
            "from" => self.stage_items(current, StageSyntax::MountFrom, replace),
            _ => Vec::new(),
        }
    }

    /// The FROM line: base image or earlier stage, then `AS`.
    fn base_items(&self, index: usize, from: &Instruction) -> Vec<CompletionItem> {
        let after_flags = from
            .flags
            .last()
            .map_or(from.keyword.end, |flag| flag.span.end);
        if self.offset <= after_flags {
            return Vec::new();
        }
        let words = from.words();
        let position = words
            .iter()
            .position(|word| word.span.touches(self.offset))
            .unwrap_or_else(|| words.iter().filter(|w| w.span.end < self.offset).count());
        let replace = words
            .get(position)
            .filter(|word| word.span.touches(self.offset))
            .map_or(Span::empty(self.offset), |word| word.span);
        match position {
            0 => self.stage_items(
                self.model.stage_of_instruction(index),
                StageSyntax::From,
                replace,
            ),
            1 => {
                let keyword = if from.keyword_text.chars().any(|c| c.is_ascii_lowercase()) {
                    "as"
                } else {
                    "AS"
                };
                vec![
                    CompletionItem::new(keyword, CompletionKind::Keyword, replace)
                        .detail("name this stage")
                        .insert(format!("{keyword} $1"))
                        .snippet(),
                ]
            }
            _ => Vec::new(),
        }
    }

    /// Stages defined before `current`, as `syntax` refers to them.
    fn stage_items(
        &self,
        current: Option<usize>,
        syntax: StageSyntax,
        replace: Span,
    ) -> Vec<CompletionItem> {
        let earlier = self
            .model
            .stages
            .iter()
            .take(current.unwrap_or(0))
            .rev()
            .collect::<Vec<_>>();
        let base = |stage: &crate::model::Stage| {
            stage
                .base
                .as_ref()
                .map_or_else(|| "no base".to_string(), |b| b.text.clone())
        };
        let mut items: Vec<CompletionItem> = earlier
            .iter()
            .filter_map(|stage| {
                let name = stage.name.as_ref()?;
                // FROM matches stage names in lower case only; `--from` ignores case.
                let label = match syntax {
                    StageSyntax::From => name.key.clone(),
                    StageSyntax::CopyFrom | StageSyntax::MountFrom => name.text.clone(),
                };
                Some(
                    CompletionItem::new(label, CompletionKind::Stage, replace)
                        .detail(base(stage))
                        .documentation(format!("stage {} (index {})", name.text, stage.index)),
                )
            })
            .collect();
        if syntax == StageSyntax::CopyFrom {
            items.extend(earlier.iter().map(|stage| {
                CompletionItem::new(stage.index.to_string(), CompletionKind::Stage, replace)
                    .detail(base(stage))
                    .documentation(format!(
                        "stage {} by index; a name is clearer",
                        stage.display_name()
                    ))
            }));
        }
        items
    }

    /// `$NA|` or `${NA|`: the variables visible to whoever expands this text.
    fn variable_items(
        &self,
        index: usize,
        instruction: &Instruction,
    ) -> Option<Vec<CompletionItem>> {
        let text = self.tree.text();
        let before = text.get(..self.offset)?;
        let name_start = before.trim_end_matches(is_name_char).len();
        let prefix = before.get(..name_start)?;
        let braced = prefix.ends_with("${");
        if !braced && !prefix.ends_with('$') {
            return None;
        }
        let after = text.get(self.offset..).unwrap_or_default();
        let name_end = self.offset + (after.len() - after.trim_start_matches(is_name_char).len());
        let closes = braced && !text.get(name_end..).unwrap_or_default().starts_with('}');
        let replace = Span::new(name_start, name_end);
        let expansion = match instruction.kind {
            InstructionKind::Run => Expansion::BuildShell,
            InstructionKind::Cmd | InstructionKind::Entrypoint | InstructionKind::Healthcheck => {
                Expansion::RuntimeShell
            }
            _ => Expansion::Builder,
        };
        let items = self
            .model
            .visible_vars(index, expansion)
            .into_iter()
            .filter_map(|resolution| {
                let (name, detail, documentation) = match resolution {
                    VarResolution::Defined(def) => {
                        let def = self.model.var_defs.get(def)?;
                        let keyword = match def.kind {
                            VarDefKind::Env => "ENV",
                            VarDefKind::Arg | VarDefKind::GlobalArg => "ARG",
                        };
                        let value = def
                            .effective_value(self.model)
                            .map(|v| format!("={}", v.raw))
                            .unwrap_or_default();
                        (
                            def.name.clone(),
                            format!("{keyword} {}{value}", def.name),
                            format!(
                                "defined on line {}",
                                line_number(self.tree, def.name_span.start)
                            ),
                        )
                    }
                    VarResolution::Predefined(arg) => (
                        arg.name.to_string(),
                        "predefined ARG".to_string(),
                        "set by BuildKit".to_string(),
                    ),
                    VarResolution::Undefined => return None,
                };
                let insert = if closes {
                    format!("{name}}}")
                } else {
                    name.clone()
                };
                Some(
                    CompletionItem::new(name, CompletionKind::Variable, replace)
                        .detail(detail)
                        .documentation(documentation)
                        .insert(insert),
                )
            })
            .collect();
        Some(items)
    }
}

impl CompletionItem {
    fn snippet(mut self) -> CompletionItem {
        self.is_snippet = true;
        self
    }
}

/// How a stage is referred to, which decides the spelling and whether indexes work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StageSyntax {
    From,
    CopyFrom,
    MountFrom,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    /// One line per item: label, kind, detail, and the inserted text when it differs.
    fn check(fixture: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual: String = completions(&f.tree, &f.model, f.offset)
            .iter()
            .map(|item| {
                let insert = if item.insert_text == item.label {
                    String::new()
                } else {
                    format!(" => {:?}", item.insert_text)
                };
                format!(
                    "{} {:?} [{}] {}{insert}\n",
                    item.label,
                    item.kind,
                    item.detail.as_deref().unwrap_or("-"),
                    f.describe(item.replace),
                )
            })
            .collect();
        expect.assert_eq(&actual);
    }

    const STAGES: &str = "\
FROM node:20-alpine AS base
FROM base AS deps
RUN npm ci
FROM deps AS Build
RUN npm run build
";

    #[test]
    fn copy_from_offers_earlier_stages_and_indexes() {
        check(
            &format!("{STAGES}FROM base AS runner\nCOPY --from=$0\nFROM alpine AS later\n"),
            expect![[r#"
                Build Stage [deps] 7:13 ""
                deps Stage [base] 7:13 ""
                base Stage [node:20-alpine] 7:13 ""
                2 Stage [deps] 7:13 ""
                1 Stage [base] 7:13 ""
                0 Stage [node:20-alpine] 7:13 ""
            "#]],
        );
    }

    #[test]
    fn copy_from_filters_by_prefix() {
        check(
            &format!("{STAGES}FROM base\nCOPY --from=b$0uild /app/dist ./dist\n"),
            expect![[r#"
                Build Stage [deps] 7:13 "build"
                base Stage [node:20-alpine] 7:13 "build"
            "#]],
        );
    }

    #[test]
    fn mount_from_offers_names_only() {
        check(
            &format!("{STAGES}FROM base\nRUN --mount=type=bind,from=$0 npm test\n"),
            expect![[r#"
                Build Stage [deps] 7:28 ""
                deps Stage [base] 7:28 ""
                base Stage [node:20-alpine] 7:28 ""
            "#]],
        );
        check(
            &format!("{STAGES}FROM base\nRUN --mount=type=bind,from=de$0,target=/x npm test\n"),
            expect![[r#"
                deps Stage [base] 7:28 "de"
            "#]],
        );
    }

    #[test]
    fn never_the_current_stage() {
        check(
            "FROM alpine AS a\nFROM alpine AS b\nCOPY --from=$0\n",
            expect![[r#"
                a Stage [alpine] 3:13 ""
                0 Stage [alpine] 3:13 ""
            "#]],
        );
    }

    #[test]
    fn from_offers_stages_then_as() {
        check(
            &format!("{STAGES}FROM $0\n"),
            expect![[r#"
                build Stage [deps] 6:6 ""
                deps Stage [base] 6:6 ""
                base Stage [node:20-alpine] 6:6 ""
            "#]],
        );
        check(
            "FROM alpine AS$0\n",
            expect![[r#"
                AS Keyword [name this stage] 1:13 "AS" => "AS $1"
            "#]],
        );
        check(
            "from alpine $0\n",
            expect![[r#"
                as Keyword [name this stage] 1:13 "" => "as $1"
            "#]],
        );
        check("FROM alpine AS $0\n", expect![""]);
    }

    #[test]
    fn variables_in_scope() {
        check(
            "ARG NODE=20\nFROM node:${$0}\nARG APP=/app\nENV PORT=3000\n",
            expect![[r#"
                NODE Variable [ARG NODE=20] 2:13 ""
                TARGETPLATFORM Variable [predefined ARG] 2:13 ""
                TARGETOS Variable [predefined ARG] 2:13 ""
                TARGETARCH Variable [predefined ARG] 2:13 ""
                TARGETVARIANT Variable [predefined ARG] 2:13 ""
                TARGETOSVERSION Variable [predefined ARG] 2:13 ""
                BUILDPLATFORM Variable [predefined ARG] 2:13 ""
                BUILDOS Variable [predefined ARG] 2:13 ""
                BUILDARCH Variable [predefined ARG] 2:13 ""
                BUILDVARIANT Variable [predefined ARG] 2:13 ""
                BUILDOSVERSION Variable [predefined ARG] 2:13 ""
                TARGETSTAGE Variable [predefined ARG] 2:13 ""
                HTTP_PROXY Variable [predefined ARG] 2:13 ""
                http_proxy Variable [predefined ARG] 2:13 ""
                HTTPS_PROXY Variable [predefined ARG] 2:13 ""
                https_proxy Variable [predefined ARG] 2:13 ""
                FTP_PROXY Variable [predefined ARG] 2:13 ""
                ftp_proxy Variable [predefined ARG] 2:13 ""
                NO_PROXY Variable [predefined ARG] 2:13 ""
                no_proxy Variable [predefined ARG] 2:13 ""
                ALL_PROXY Variable [predefined ARG] 2:13 ""
                all_proxy Variable [predefined ARG] 2:13 ""
                BUILDKIT_SYNTAX Variable [predefined ARG] 2:13 ""
                SOURCE_DATE_EPOCH Variable [predefined ARG] 2:13 ""
            "#]],
        );
        check(
            "ARG NODE=20\nFROM node:${NODE}\nARG APP=/app\nENV PORT=3000\nRUN echo $P$0\n",
            expect![[r#"
                PORT Variable [ENV PORT=3000] 5:11 "P"
            "#]],
        );
        check(
            "FROM alpine\nARG APP=/app\nENV PORT=3000\nCMD echo ${$0\n",
            expect![[r#"
                PORT Variable [ENV PORT=3000] 4:12 "" => "PORT}"
            "#]],
        );
    }
}
