//! Completion: what can be typed at the cursor, worked out from the text before it and the
//! syntax tree, so half-typed lines (`COPY --from=`, `FROM alpine AS`, `RUN --mount=type=`)
//! complete as well as finished ones.
//!
//! - `COPY/ADD --from=` and `RUN --mount=…,from=`: stages defined earlier (never the current or a
//!   later one), and stage indexes for `--from=`;
//! - `FROM `: earlier stages and common base images, then `AS`;
//! - `$`/`${`: the variables in scope at the cursor, predefined ARGs included.

use crate::ide::hover::{flag_markdown, instruction_markdown, line_number};
use crate::knowledge;
use crate::model::{Model, VarDefKind, VarResolution};
use crate::syntax::{
    Args, Directive, DirectiveKind, Expansion, Instruction, InstructionKind, Span, SyntaxTree,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// An instruction keyword (inserted as a snippet with its arguments) or `AS`, `CMD`, `NONE`.
    Keyword,
    Stage,
    Image,
    Variable,
    Flag,
    /// A key of a `key=value` list (`--mount` fields, `# check=` options).
    Property,
    Value,
    Directive,
    /// A file or folder another stage produces (`COPY --from=<stage> |`).
    File,
    Folder,
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
    let paths = crate::ide::path_completion::path_completions(tree, model, offset);
    let mut items = if paths.is_empty() {
        cursor.items()
    } else {
        paths.into_iter().map(path_item).collect()
    };
    items.retain(|item| {
        let typed = tree.slice(Span::new(item.replace.start, offset));
        starts_with_ignore_case(&item.label, typed)
    });
    for (position, item) in items.iter_mut().enumerate() {
        item.sort_text = format!("{position:04}");
    }
    items
}

fn path_item(path: crate::ide::path_completion::PathCompletion) -> CompletionItem {
    let kind = match path.kind {
        crate::model::outputs::OutputKind::Dir => CompletionKind::Folder,
        crate::model::outputs::OutputKind::File => CompletionKind::File,
    };
    let item = CompletionItem::new(path.label, kind, path.replace);
    match path.detail {
        Some(detail) => item.detail(detail),
        None => item,
    }
}

struct Cursor<'a> {
    tree: &'a SyntaxTree,
    model: &'a Model,
    offset: usize,
}

impl Cursor<'_> {
    fn items(&self) -> Vec<CompletionItem> {
        if let Some(items) = self.directive_items() {
            return items;
        }
        let Some((index, instruction)) = self.tree.instruction_at(self.offset) else {
            return self.line_start_items();
        };
        if instruction.keyword.touches(self.offset) {
            return self.keyword_items(instruction.keyword, false);
        }
        if let Some(items) = self.variable_items(index, instruction) {
            return items;
        }
        let in_heredoc = instruction
            .heredocs
            .iter()
            .any(|heredoc| heredoc.body.touches(self.offset) && !heredoc.body.is_empty());
        if in_heredoc {
            return Vec::new();
        }
        let target = match &instruction.args {
            Args::Onbuild(trigger) if trigger.keyword.touches(self.offset) => {
                return self.keyword_items(trigger.keyword, true);
            }
            Args::Onbuild(trigger) => trigger.as_ref(),
            _ if instruction.kind == InstructionKind::Onbuild => {
                return self.keyword_items(self.word_before(), true);
            }
            _ => instruction,
        };
        // Stages are resolved by the build that uses an ONBUILD image, not this one.
        let stage = (target == instruction)
            .then(|| self.model.stage_of_instruction(index))
            .flatten();
        if let Some(flag) = target
            .flags
            .iter()
            .find(|flag| flag.span.touches(self.offset))
        {
            return match &flag.value {
                Some(value) if value.span.start <= self.offset => {
                    self.flag_value_items(target, stage, &flag.name, value.span.start)
                }
                _ => self.flag_items(target, flag.name_span, flag.value.is_some()),
            };
        }
        let word = self.word_before();
        let before_arguments = target
            .args_span()
            .is_none_or(|args| word.start <= args.start);
        if before_arguments && self.tree.slice(word).starts_with('-') {
            return self.flag_items(target, word, false);
        }
        let mut items = match target.kind {
            InstructionKind::From if stage.is_some() => self.base_items(index, target),
            InstructionKind::Healthcheck => self.healthcheck_items(target, word),
            _ => Vec::new(),
        };
        if word.is_empty() && !self.argument_before(target) {
            items.extend(self.flag_items(target, word, false));
        }
        items
    }

    /// The run of non-blank characters from the start of the word under the cursor to the
    /// cursor.
    fn word_before(&self) -> Span {
        let before = self.tree.text().get(..self.offset).unwrap_or_default();
        Span::new(
            before.trim_end_matches(|c: char| !c.is_whitespace()).len(),
            self.offset,
        )
    }

    /// An argument already stands between the flags and the cursor.
    fn argument_before(&self, instruction: &Instruction) -> bool {
        instruction
            .args_span()
            .is_some_and(|args| args.start < self.offset)
    }

    /// A line outside any instruction: a keyword goes here, if the line holds only a word so far.
    fn line_start_items(&self) -> Vec<CompletionItem> {
        let word = self.word_before();
        let line_start = self.tree.line_start(word.start);
        let indentation = self.tree.slice(Span::new(line_start, word.start));
        let typed = self.tree.slice(word);
        let continued = self
            .tree
            .slice(Span::new(0, line_start))
            .trim_end()
            .ends_with(self.tree.escape);
        if continued
            || !indentation.trim().is_empty()
            || !typed.chars().all(|c| c.is_ascii_alphabetic())
        {
            return Vec::new();
        }
        self.keyword_items(word, false)
    }

    /// Instruction keywords as snippets, spelled in the file's keyword casing.
    fn keyword_items(&self, replace: Span, trigger: bool) -> Vec<CompletionItem> {
        let lower = self.file_uses_lower_case(replace);
        knowledge::instructions()
            .iter()
            .filter(|info| !trigger || knowledge::allowed_as_onbuild_trigger(info.kind))
            .filter(|info| !info.deprecated)
            .map(|info| {
                let keyword = if lower {
                    info.kind.name().to_ascii_lowercase()
                } else {
                    info.kind.name().to_string()
                };
                let mut item = CompletionItem::new(&keyword, CompletionKind::Keyword, replace)
                    .detail(info.forms.first().copied().unwrap_or_default())
                    .documentation(instruction_markdown(info))
                    .insert(info.snippet(&keyword));
                item.is_snippet = true;
                item
            })
            .collect()
    }

    /// Most keywords of the other instructions are written in lower case.
    fn file_uses_lower_case(&self, typing: Span) -> bool {
        let (lower, upper) = self
            .tree
            .instructions
            .iter()
            .filter(|instruction| instruction.keyword != typing)
            .fold((0, 0), |(lower, upper), instruction| {
                if instruction
                    .keyword_text
                    .chars()
                    .all(|c| c.is_ascii_lowercase())
                {
                    (lower + 1, upper)
                } else {
                    (lower, upper + 1)
                }
            });
        lower > upper
    }

    /// The flags `instruction` accepts, minus those already given that cannot repeat.
    fn flag_items(
        &self,
        instruction: &Instruction,
        replace: Span,
        has_value: bool,
    ) -> Vec<CompletionItem> {
        knowledge::flags_for(instruction.kind)
            .iter()
            .filter(|info| {
                info.repeatable
                    || !instruction
                        .flags
                        .iter()
                        .any(|flag| flag.name == info.name && !flag.span.touches(self.offset))
            })
            .map(|info| {
                let label = format!("--{}", info.name);
                let insert = if has_value {
                    label.clone()
                } else {
                    info.snippet()
                };
                let mut item = CompletionItem::new(label, CompletionKind::Flag, replace)
                    .detail(flag_detail(info))
                    .documentation(flag_markdown(info))
                    .insert(insert);
                item.is_snippet = !has_value;
                item
            })
            .collect()
    }

    /// The value of `--name=` under the cursor.
    fn flag_value_items(
        &self,
        instruction: &Instruction,
        stage: Option<usize>,
        name: &str,
        value_start: usize,
    ) -> Vec<CompletionItem> {
        let replace = Span::new(value_start, self.word_end());
        match (instruction.kind, name) {
            (InstructionKind::Copy | InstructionKind::Add, "from") => match stage {
                Some(_) => self.stage_items(stage, StageSyntax::CopyFrom, replace),
                None => Vec::new(),
            },
            (InstructionKind::Run, "mount") => self.mount_items(stage, value_start),
            (kind, name) => {
                let Some(info) = knowledge::flag(kind, name) else {
                    return Vec::new();
                };
                let mut values: Vec<&str> = info.allowed_values.to_vec();
                if info.value == knowledge::FlagValueKind::OptionalBool {
                    values.extend(["true", "false"]);
                }
                if name == "platform" {
                    values.extend(["$BUILDPLATFORM", "$TARGETPLATFORM"]);
                }
                if !info.placeholder.is_empty() && !values.contains(&info.placeholder) {
                    values.push(info.placeholder);
                }
                values
                    .into_iter()
                    .map(|value| CompletionItem::new(value, CompletionKind::Value, replace))
                    .collect()
            }
        }
    }

    /// The value of `--mount=` under the cursor: the field being typed decides.
    fn mount_items(&self, stage: Option<usize>, value_start: usize) -> Vec<CompletionItem> {
        let typed = self.tree.slice(Span::new(value_start, self.offset));
        let field_start = typed.rfind(',').map_or(0, |comma| comma + 1);
        let field = typed.get(field_start..).unwrap_or_default();
        let Some((key, _)) = field.split_once('=') else {
            let written = self.tree.slice(Span::new(value_start, self.word_end()));
            let replace = Span::new(
                value_start + field_start,
                self.offset + field_end(self.tree.text().get(self.offset..).unwrap_or_default()),
            );
            return mount_key_items(written, replace);
        };
        let replace = Span::new(value_start + field_start + key.len() + 1, self.word_end());
        let Some(mount_key) = knowledge::MountKey::from_name(key.trim()) else {
            return Vec::new();
        };
        match mount_key {
            knowledge::MountKey::From if stage.is_some() => {
                self.stage_items(stage, StageSyntax::MountFrom, replace)
            }
            knowledge::MountKey::Type => knowledge::mount_types()
                .iter()
                .map(|info| {
                    CompletionItem::new(info.ty.name(), CompletionKind::Value, replace)
                        .documentation(info.doc)
                })
                .collect(),
            key => {
                let info = knowledge::mount_key_info(key);
                let bools: &[&str] = if info.value == knowledge::MountValueKind::Bool {
                    &["true", "false"]
                } else {
                    &[]
                };
                info.allowed_values
                    .iter()
                    .chain(bools)
                    .map(|value| CompletionItem::new(*value, CompletionKind::Value, replace))
                    .collect()
            }
        }
    }

    /// `HEALTHCHECK [options] CMD …` or `HEALTHCHECK NONE`.
    fn healthcheck_items(&self, healthcheck: &Instruction, word: Span) -> Vec<CompletionItem> {
        if self.argument_before(healthcheck)
            && !matches!(&healthcheck.args, Args::Healthcheck { kind, .. } if kind.span.touches(self.offset))
        {
            return Vec::new();
        }
        let lower = healthcheck
            .keyword_text
            .chars()
            .any(|c| c.is_ascii_lowercase());
        let spell = |word: &str| {
            if lower {
                word.to_ascii_lowercase()
            } else {
                word.to_string()
            }
        };
        vec![
            CompletionItem::new(spell("CMD"), CompletionKind::Keyword, word)
                .detail("the command that checks the container")
                .insert(format!("{} ${{1:command}}", spell("CMD")))
                .snippet(),
            CompletionItem::new(spell("NONE"), CompletionKind::Keyword, word)
                .detail("turn off a health check inherited from the base image"),
        ]
    }

    /// `# |` in the leading block of parser directives.
    fn directive_items(&self) -> Option<Vec<CompletionItem>> {
        let text = self.tree.text();
        let before = text.get(..self.offset)?;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.get(line_start..)?.trim_start_matches('\u{feff}');
        let after_hash = line.trim_start().strip_prefix('#')?;
        let earlier_lines_are_directives =
            text.get(..line_start)
                .unwrap_or_default()
                .lines()
                .all(|earlier| {
                    let earlier = earlier.trim_start_matches('\u{feff}').trim();
                    self.tree
                        .directives
                        .iter()
                        .any(|d| self.tree.slice(d.span).trim() == earlier)
                });
        let before_instructions = self
            .tree
            .instructions
            .first()
            .is_none_or(|i| i.span.start >= self.offset);
        if !earlier_lines_are_directives || !before_instructions {
            return Some(Vec::new());
        }
        let content = after_hash.trim_start();
        let content_start = self.offset - content.len();
        Some(match content.split_once('=') {
            None => directive_name_items(
                &self.tree.directives,
                Span::new(
                    content_start,
                    self.offset + field_end(text.get(self.offset..).unwrap_or_default()),
                ),
            ),
            Some((name, value)) => {
                let value_start = content_start + name.len() + 1;
                directive_value_items(name.trim(), value, value_start, self.offset)
            }
        })
    }

    /// The end of the value being typed: completions replace all of it, up to the next blank
    /// or comma.
    fn word_end(&self) -> usize {
        self.offset + field_end(self.tree.text().get(self.offset..).unwrap_or_default())
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
            0 => {
                let mut items = self.stage_items(
                    self.model.stage_of_instruction(index),
                    StageSyntax::From,
                    replace,
                );
                items.extend(knowledge::base_images().iter().flat_map(|image| {
                    image.tags.iter().map(move |tag| {
                        CompletionItem::new(
                            format!("{}:{tag}", image.name),
                            CompletionKind::Image,
                            replace,
                        )
                        .detail(image.description)
                    })
                }));
                items
            }
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

/// Length of the field that continues after the cursor in `rest`.
fn field_end(rest: &str) -> usize {
    rest.find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(rest.len())
}

fn flag_detail(info: &knowledge::FlagInfo) -> String {
    match info.value {
        knowledge::FlagValueKind::OptionalBool => format!("--{}", info.name),
        knowledge::FlagValueKind::Required if !info.allowed_values.is_empty() => {
            format!("--{}={}", info.name, info.allowed_values.join("|"))
        }
        knowledge::FlagValueKind::Required => format!("--{}=<{}>", info.name, info.placeholder),
    }
}

/// The keys `--mount` takes for the type written in `mount` (bind when none), minus those
/// already there, `type` first.
fn mount_key_items(mount: &str, replace: Span) -> Vec<CompletionItem> {
    let parts = knowledge::parse_mount(mount);
    let present = |key: knowledge::MountKey| parts.iter().any(|part| part.mount_key() == Some(key));
    let mut keys = Vec::new();
    if !present(knowledge::MountKey::Type) {
        keys.push(knowledge::MountKey::Type);
    }
    if let Some(ty) = knowledge::mount_type(&parts) {
        let info = knowledge::mount_type_info(ty);
        keys.extend(
            info.keys
                .iter()
                .map(|usage| usage.key)
                .filter(|&key| key != knowledge::MountKey::Type && !present(key)),
        );
    }
    keys.into_iter()
        .map(|key| {
            let info = knowledge::mount_key_info(key);
            let name = key.name();
            let takes_value = info.value != knowledge::MountValueKind::Bool;
            let mut item = CompletionItem::new(name, CompletionKind::Property, replace)
                .documentation(info.doc);
            if takes_value {
                item = item.insert(format!("{name}=$1")).snippet();
            }
            item
        })
        .collect()
}

/// `# syntax=`, `# escape=`, `# check=` (each at most once).
fn directive_name_items(present: &[Directive], replace: Span) -> Vec<CompletionItem> {
    [
        (
            DirectiveKind::Syntax,
            "syntax=${1:docker/dockerfile:1}",
            "the Dockerfile frontend (BuildKit syntax version) to build with",
        ),
        (
            DirectiveKind::Escape,
            "escape=${1|\\\\,`|}",
            "the escape character: `\\` (default) or `` ` `` (handy on Windows)",
        ),
        (
            DirectiveKind::Check,
            "check=skip=${1:all}",
            "configure BuildKit's build checks: `skip=`, `error=true`, `experimental=`",
        ),
    ]
    .into_iter()
    .filter(|(kind, _, _)| {
        !present
            .iter()
            .any(|d| d.kind == *kind && !d.span.touches(replace.start))
    })
    .map(|(kind, snippet, doc)| {
        CompletionItem::new(kind.name(), CompletionKind::Directive, replace)
            .documentation(doc)
            .insert(snippet)
            .snippet()
    })
    .collect()
}

/// The value of a directive, up to the cursor (`value` starts at `value_start`).
fn directive_value_items(
    name: &str,
    value: &str,
    value_start: usize,
    offset: usize,
) -> Vec<CompletionItem> {
    let value_start = value_start + (value.len() - value.trim_start().len());
    let value = value.trim_start();
    let values = |labels: &[&str], start: usize| -> Vec<CompletionItem> {
        labels
            .iter()
            .map(|label| {
                CompletionItem::new(*label, CompletionKind::Value, Span::new(start, offset))
            })
            .collect()
    };
    match DirectiveKind::from_name(name) {
        Some(DirectiveKind::Syntax) => values(
            &["docker/dockerfile:1", "docker/dockerfile:1-labs"],
            value_start,
        ),
        Some(DirectiveKind::Escape) => values(&["\\", "`"], value_start),
        Some(DirectiveKind::Check) => {
            let option_start = value.rfind(';').map_or(0, |i| i + 1);
            let option = value.get(option_start..).unwrap_or_default();
            let option_start = value_start + option_start;
            let Some((key, list)) = option.split_once('=') else {
                let replace = Span::new(
                    option_start + (option.len() - option.trim_start().len()),
                    offset,
                );
                return knowledge::CheckOptionKey::ALL
                    .iter()
                    .map(|key| {
                        CompletionItem::new(key.name(), CompletionKind::Property, replace)
                            .insert(format!("{}=", key.name()))
                    })
                    .collect();
            };
            let item_start = list.rfind(',').map_or(0, |i| i + 1);
            let listed: Vec<&str> = list.split(',').map(str::trim).collect();
            let start = option_start + key.len() + 1 + item_start;
            match knowledge::CheckOptionKey::from_name(key.trim()) {
                Some(knowledge::CheckOptionKey::Error) => values(&["true", "false"], start),
                Some(_) => std::iter::once(("all", "every check"))
                    .chain(
                        crate::ide::diagnostics::rules()
                            .iter()
                            .map(|rule| (rule.name, rule.summary)),
                    )
                    .filter(|(name, _)| !listed.contains(name))
                    .map(|(name, summary)| {
                        CompletionItem::new(name, CompletionKind::Value, Span::new(start, offset))
                            .detail(summary)
                    })
                    .collect(),
                None => Vec::new(),
            }
        }
        None => Vec::new(),
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
            &format!("{STAGES}FROM b$0\n"),
            expect![[r#"
            build Stage [deps] 6:6 "b"
            base Stage [node:20-alpine] 6:6 "b"
            busybox:stable Image [A single binary with the basic Unix tools, about 1 MB.] 6:6 "b"
            busybox:musl Image [A single binary with the basic Unix tools, about 1 MB.] 6:6 "b"
            busybox:glibc Image [A single binary with the basic Unix tools, about 1 MB.] 6:6 "b"
            busybox:uclibc Image [A single binary with the basic Unix tools, about 1 MB.] 6:6 "b"
            buildpack-deps:bookworm Image [Debian or Ubuntu with the common build dependencies preinstalled.] 6:6 "b"
            buildpack-deps:bookworm-curl Image [Debian or Ubuntu with the common build dependencies preinstalled.] 6:6 "b"
            buildpack-deps:noble Image [Debian or Ubuntu with the common build dependencies preinstalled.] 6:6 "b"
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
        check("FROM alpine AS $0\n", expect![[""]]);
    }

    #[test]
    fn variables_in_scope() {
        check(
            "ARG NODE=20\nFROM node:${$0}\nARG APP=/app\nENV PORT=3000\n",
            expect![[r#"
                NODE Variable [ARG NODE=20] 2:13 ""
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
                TARGETPLATFORM Variable [predefined ARG] 2:13 ""
                TARGETOS Variable [predefined ARG] 2:13 ""
                TARGETARCH Variable [predefined ARG] 2:13 ""
                TARGETVARIANT Variable [predefined ARG] 2:13 ""
                BUILDPLATFORM Variable [predefined ARG] 2:13 ""
                BUILDOS Variable [predefined ARG] 2:13 ""
                BUILDARCH Variable [predefined ARG] 2:13 ""
                BUILDVARIANT Variable [predefined ARG] 2:13 ""
                TARGETOSVERSION Variable [predefined ARG] 2:13 ""
                BUILDOSVERSION Variable [predefined ARG] 2:13 ""
                TARGETSTAGE Variable [predefined ARG] 2:13 ""
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

    /// Labels only, for lists whose details are checked elsewhere.
    fn check_labels(fixture: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let labels: Vec<String> = completions(&f.tree, &f.model, f.offset)
            .into_iter()
            .map(|item| item.label)
            .collect();
        expect.assert_eq(&labels.join("\n"));
    }

    #[test]
    fn keywords_follow_the_file_casing() {
        check_labels(
            "FROM alpine\n$0\n",
            expect![[r#"
                ADD
                ARG
                CMD
                COPY
                ENTRYPOINT
                ENV
                EXPOSE
                FROM
                HEALTHCHECK
                LABEL
                ONBUILD
                RUN
                SHELL
                STOPSIGNAL
                USER
                VOLUME
                WORKDIR"#]],
        );
        check_labels("from alpine\nrun true\nco$0\n", expect!["copy"]);
        check(
            "FROM alpine\nFRO$0\n",
            expect![[r#"
                FROM Keyword [FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]] 2:1 "FRO" => "FROM ${1:image}:${2:tag} AS ${3:name}"
            "#]],
        );
        check_labels(
            "FROM alpine\nONBUILD $0\n",
            expect![[r#"
                ADD
                ARG
                CMD
                COPY
                ENTRYPOINT
                ENV
                EXPOSE
                HEALTHCHECK
                LABEL
                RUN
                SHELL
                STOPSIGNAL
                USER
                VOLUME
                WORKDIR"#]],
        );
        check_labels("FROM alpine\nRUN echo \\\n  $0\n", expect![[""]]);
    }

    #[test]
    fn keyword_items_are_snippets_with_docs() {
        let f = Fixture::with_cursor("FROM alpine\nWORKD$0\n");
        let items = completions(&f.tree, &f.model, f.offset);
        let item = items.first().expect("WORKDIR is offered");
        expect![[r#"
            CompletionItem {
                label: "WORKDIR",
                kind: Keyword,
                detail: Some(
                    "WORKDIR <path>",
                ),
                documentation: Some(
                    "**WORKDIR**\n\n```dockerfile\nWORKDIR <path>\n```\n\nSets the working directory for the following RUN, CMD, ENTRYPOINT, COPY and ADD, creating it when missing. A relative path is resolved against the previous WORKDIR, so absolute paths are easier to follow.\n\n[Dockerfile reference](https://docs.docker.com/reference/dockerfile/#workdir)",
                ),
                insert_text: "WORKDIR ${1:/app}",
                replace: 12..17,
                is_snippet: true,
                sort_text: "0000",
            }
        "#]].assert_debug_eq(item);
    }

    #[test]
    fn flags_per_instruction() {
        check_labels(
            "FROM alpine\nCOPY --$0\n",
            expect![[r#"
                --from
                --chown
                --chmod
                --link
                --parents
                --exclude"#]],
        );
        check_labels(
            "FROM alpine\nADD $0\n",
            expect![[r#"
                --chown
                --chmod
                --link
                --keep-git-dir
                --checksum
                --unpack
                --exclude"#]],
        );
        check_labels(
            "FROM alpine\nCOPY --link --ch$0 a b\n",
            expect![[r#"
                --chown
                --chmod"#]],
        );
        check_labels(
            "FROM alpine\nRUN --mount=type=cache,target=/c --$0\n",
            expect![[r#"
                --mount
                --network
                --security
                --device"#]],
        );
        check_labels(
            "FROM alpine\nHEALTHCHECK --$0\n",
            expect![[r#"
                --interval
                --timeout
                --start-period
                --start-interval
                --retries"#]],
        );
        check_labels("FROM alpine\nFROM --pl$0\n", expect!["--platform"]);
        check_labels("FROM alpine\nRUN echo --$0\n", expect![[""]]);
        check(
            "FROM alpine\nCOPY --chm$0=755 a b\n",
            expect![[r#"
                --chmod Flag [--chmod=<755>] 2:6 "--chm"
            "#]],
        );
    }

    #[test]
    fn flag_values() {
        check_labels(
            "FROM alpine\nRUN --network=$0\n",
            expect![[r#"
                default
                none
                host"#]],
        );
        check_labels("FROM alpine\nRUN --security=in$0\n", expect!["insecure"]);
        check_labels(
            "FROM --platform=$0 alpine\n",
            expect![[r#"
                $BUILDPLATFORM
                $TARGETPLATFORM
                linux/amd64"#]],
        );
        check_labels(
            "FROM alpine\nCOPY --link=$0 a b\n",
            expect![[r#"
            true
            false"#]],
        );
    }

    #[test]
    fn mount_types_and_keys() {
        check(
            "FROM alpine\nRUN --mount=type=$0\n",
            expect![[r#"
                bind Value [-] 2:18 ""
                cache Value [-] 2:18 ""
                tmpfs Value [-] 2:18 ""
                secret Value [-] 2:18 ""
                ssh Value [-] 2:18 ""
            "#]],
        );
        check_labels(
            "FROM alpine\nRUN --mount=type=cache,$0\n",
            expect![[r#"
                target
                id
                sharing
                readonly
                readwrite
                from
                source
                mode
                uid
                gid"#]],
        );
        check_labels(
            "FROM alpine\nRUN --mount=$0\n",
            expect![[r#"
                type
                target
                source
                from
                readwrite
                readonly"#]],
        );
        check_labels(
            "FROM alpine\nRUN --mount=type=secret,id=npm,re$0 npm ci\n",
            expect!["required"],
        );
        check_labels(
            "FROM alpine\nRUN --mount=type=cache,sharing=$0\n",
            expect![[r#"
                shared
                private
                locked"#]],
        );
    }

    #[test]
    fn healthcheck_type() {
        check_labels(
            "FROM alpine\nHEALTHCHECK --interval=5s $0\n",
            expect![[r#"
                CMD
                NONE
                --timeout
                --start-period
                --start-interval
                --retries"#]],
        );
        check_labels("FROM alpine\nHEALTHCHECK CMD $0\n", expect![[""]]);
    }

    #[test]
    fn base_images_filtered() {
        check_labels(
            "FROM node:20 AS build\nFROM nod$0\n",
            expect![[r#"
                node:22-alpine
                node:22-slim
                node:22
                node:20-alpine
                node:20-slim
                node:20
                node:lts-alpine
                node:lts"#]],
        );
    }

    #[test]
    fn directives_at_the_top() {
        check(
            "# $0\nFROM alpine\n",
            expect![[r#"
                syntax Directive [-] 1:3 "" => "syntax=${1:docker/dockerfile:1}"
                escape Directive [-] 1:3 "" => "escape=${1|\\\\,`|}"
                check Directive [-] 1:3 "" => "check=skip=${1:all}"
            "#]],
        );
        check_labels(
            "# syntax=docker/dockerfile:1\n# $0\nFROM alpine\n",
            expect![[r#"
                escape
                check"#]],
        );
        check_labels(
            "# escape=$0\n",
            expect![[r#"
            \
            `"#]],
        );
        check_labels(
            "# check=$0\nFROM alpine\n",
            expect![[r#"
                skip
                error
                experimental"#]],
        );
        let rules = crate::ide::diagnostics::rules();
        let f = Fixture::with_cursor("# check=skip=$0\nFROM alpine\n");
        let labels: Vec<String> = completions(&f.tree, &f.model, f.offset)
            .into_iter()
            .map(|item| item.label)
            .collect();
        let expected: Vec<&str> = std::iter::once("all")
            .chain(rules.iter().map(|rule| rule.name))
            .collect();
        assert_eq!(labels, expected);
        if let Some(first) = rules.first() {
            let f = Fixture::with_cursor(&format!("# check=skip={},$0\nFROM alpine\n", first.name));
            let offered = completions(&f.tree, &f.model, f.offset);
            assert!(offered.iter().all(|item| item.label != first.name));
        }
        check_labels(
            "# check=error=$0\n",
            expect![[r#"
            true
            false"#]],
        );
        check_labels("FROM alpine\n# $0\n", expect![[""]]);
    }
}

#[cfg(test)]
mod path_tests {
    use super::{CompletionKind, completions};
    use crate::model::Model;
    use crate::syntax::parse;

    #[test]
    fn copy_from_source_completes_the_other_stages_outputs() {
        let text = "FROM node:20 AS build\nWORKDIR /app\nRUN npm run build\nFROM nginx\nCOPY --from=build /app/";
        let tree = parse(text).tree;
        let model = Model::build(&tree);
        let items = completions(&tree, &model, text.len());
        assert!(
            items
                .iter()
                .any(|item| item.kind == CompletionKind::Folder && item.label.contains("dist")),
            "{items:?}"
        );
    }
}
