//! The parser: BuildKit's `parser.Parse` loop, recording spans and going on after errors.

use super::buildkit_dump::go_quote;
use super::json::{JsonArray, parse_json_array};
use super::lexer::{
    PhysicalLine, continuation_cut, is_comment, is_space, is_split_space, physical_line_at,
};
use super::shell_words::{RawWord, heredoc_words, parse_words, split_whitespace, unquote};
use super::tree::*;
use super::vars::{self, Expansion, VarRef};

const BOM: &str = "\u{feff}";

/// Parses a Dockerfile. Never fails: errors are collected beside a complete tree.
pub fn parse(text: &str) -> Parse {
    Parser::new(text).run()
}

/// What the parser read between two top-level line starts of a text (see `parse_region`).
pub(super) struct Region {
    /// Where reading stopped: the line `stop` accepted, or the end of the text.
    pub end: usize,
    pub comments: Vec<Comment>,
    pub instructions: Vec<Instruction>,
    pub errors: Vec<SyntaxError>,
    /// Covers `start..end` exactly once, in order.
    pub tokens: Vec<Token>,
}

/// Parses `text` from `start`, the start of a line where the whole-file parser is between
/// instructions with its parser directives behind it and `escape` in force, until the text ends or
/// `stop` accepts the start of a line.
pub(super) fn parse_region(
    text: &str,
    start: usize,
    escape: char,
    stop: impl FnMut(usize) -> bool,
) -> Region {
    let mut parser = Parser::new(text);
    parser.position = start;
    parser.escape = escape;
    parser.directives_done = true;
    parser.read_lines(stop);
    parser.errors.sort_by_key(|error| error.span.start);
    let end = parser.position.min(text.len());
    let tokens = parser.tokens(start, end);
    Region {
        end,
        comments: parser.comments,
        instructions: parser.instructions,
        errors: parser.errors,
        tokens,
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Where the next physical line starts.
    position: usize,
    escape: char,
    directives_done: bool,
    /// The first line was a `#!` line (see `scan_directive`).
    after_shebang: bool,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    errors: Vec<SyntaxError>,
    /// Tokens that never overlap: line breaks, comments, directives, continuations, heredocs.
    structural: Vec<Token>,
    /// Keywords and flags, clipped to the gaps between structural tokens.
    overlay: Vec<Token>,
}

/// A logical range of argument text the builder or a shell expands.
struct Expandable {
    start: usize,
    end: usize,
    expansion: Expansion,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            position: 0,
            escape: '\\',
            directives_done: false,
            after_shebang: false,
            directives: Vec::new(),
            comments: Vec::new(),
            instructions: Vec::new(),
            errors: Vec::new(),
            structural: Vec::new(),
            overlay: Vec::new(),
        }
    }

    fn run(mut self) -> Parse {
        if self.text.starts_with(BOM) {
            self.structural.push(Token {
                kind: TokenKind::Bom,
                span: Span::new(0, BOM.len()),
            });
        }
        self.read_lines(|_| false);
        if self.instructions.is_empty() {
            self.errors.push(SyntaxError {
                span: Span::empty(self.text.len()),
                message: "file with no instructions".to_string(),
            });
        }
        // In source order, so a reparse can splice them.
        self.errors.sort_by_key(|error| error.span.start);
        let tokens = self.tokens(0, self.text.len());
        Parse {
            tree: SyntaxTree {
                source: self.text.to_string(),
                escape: self.escape,
                directives: self.directives,
                comments: self.comments,
                instructions: self.instructions,
                tokens,
            },
            errors: self.errors,
        }
    }

    /// The top-level loop: reads comments, directives and instructions until the text ends or
    /// `stop` accepts the start of the next line.
    fn read_lines(&mut self, mut stop: impl FnMut(usize) -> bool) {
        while !stop(self.position) {
            let Some(line) = self.take_line() else {
                break;
            };
            let content_start = if line.start == 0 && self.text.starts_with(BOM) {
                BOM.len()
            } else {
                line.start
            };
            let raw = &self.text[content_start..line.content_end];
            let body_start = line.content_end - raw.trim_start_matches(is_space).len();
            let body = Span::new(body_start, line.content_end);
            let is_directive = self.scan_directive(raw, body, line.start == 0);
            if is_comment(raw) {
                if !is_directive {
                    self.push_comment(body, false);
                }
                continue;
            }
            if body.is_empty() {
                continue;
            }
            self.instruction_from(body);
        }
    }

    fn take_line(&mut self) -> Option<PhysicalLine> {
        let line = physical_line_at(self.text, self.position)?;
        self.position = line.end;
        if let Some(excess) = beyond_max_line(self.text, line) {
            self.errors.push(SyntaxError {
                span: excess,
                message: format!(
                    "dockerfile line greater than max allowed size of {}",
                    MAX_LINE_BYTES
                ),
            });
        }
        if line.content_end < line.end {
            self.structural.push(Token {
                kind: TokenKind::Newline,
                span: line.newline(),
            });
        }
        Some(line)
    }

    fn push_comment(&mut self, span: Span, inside_instruction: bool) {
        self.comments.push(Comment {
            span,
            inside_instruction,
        });
        self.structural.push(Token {
            kind: TokenKind::Comment,
            span,
        });
    }

    /// BuildKit's `DirectiveParser.ParseLine` on a left-trimmed line (`body`; `raw` is the line
    /// without a BOM); true when the line is a parser directive (valid or duplicate).
    ///
    /// A first line starting `#!` is where two readers of BuildKit part: `Parse` hands it to
    /// `ParseLine` like any line, `!` is no directive name, so its directive block ends there and a
    /// later `# escape=` is a plain comment; `ParseDirective` and `DetectSyntax`, which read
    /// `# check=` and `# syntax=`, discard the line (`discardShebang`) and read the directives
    /// after it. So after a `#!` line `syntax` and `check` are directives, `escape` is a comment,
    /// and a duplicate is no error (only `Parse` reports one) but ends the block, as `ParseAll`
    /// stops at it.
    fn scan_directive(&mut self, raw: &str, body: Span, first_line: bool) -> bool {
        if self.directives_done {
            return false;
        }
        if first_line && raw.starts_with("#!") {
            self.after_shebang = true;
            return false;
        }
        let line = &self.text[body.start..body.end];
        let Some((name, value)) = match_directive(line) else {
            self.directives_done = true;
            return false;
        };
        let name = Span::new(body.start + name.start, body.start + name.end);
        let value = Span::new(body.start + value.start, body.start + value.end);
        let Some(kind) = DirectiveKind::from_name(&self.text[name.start..name.end]) else {
            self.directives_done = true;
            return false;
        };
        let duplicate = self.directives.iter().any(|d| d.kind == kind);
        if self.after_shebang && (duplicate || kind == DirectiveKind::Escape) {
            self.directives_done |= duplicate;
            return false;
        }
        self.structural.push(Token {
            kind: TokenKind::Directive,
            span: body,
        });
        if duplicate {
            self.errors.push(SyntaxError {
                span: body,
                message: format!("only one {} parser directive can be used", kind.name()),
            });
            return true;
        }
        let value_text = self.text[value.start..value.end].to_string();
        if kind == DirectiveKind::Escape {
            match value_text.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => self.errors.push(SyntaxError {
                    span: value,
                    message: format!("invalid escape token '{other}' does not match ` or \\"),
                }),
            }
        }
        self.directives.push(Directive {
            kind,
            span: body,
            name,
            value,
            value_text,
        });
        true
    }

    /// Reads one instruction starting with the (left-trimmed, non-comment) line `body`.
    fn instruction_from(&mut self, body: Span) {
        let mut logical = LogicalLine::default();
        let mut continuations = Vec::new();
        let mut empty_lines = Vec::new();
        let mut end = body.end;
        let mut continues = self.append_physical(&mut logical, body, &mut continuations);
        while continues {
            let Some(line) = self.take_line() else {
                break;
            };
            let content = line.content();
            let raw = &self.text[content.start..content.end];
            if is_comment(raw) {
                let hash = content.end - raw.trim_start_matches(is_space).len();
                self.push_comment(Span::new(hash, content.end), true);
                end = content.end;
                continue;
            }
            if raw.trim_start_matches(is_space).is_empty() {
                empty_lines.push(content);
                continue;
            }
            continues = self.append_physical(&mut logical, content, &mut continuations);
            end = content.end;
        }
        for span in &continuations {
            self.structural.push(Token {
                kind: TokenKind::Continuation,
                span: *span,
            });
        }
        let mut expandables = Vec::new();
        let mut instruction =
            self.node_from_line(&logical, 0, logical.text.len(), &mut expandables);
        instruction.continuations = continuations;
        instruction.empty_continuation_lines = empty_lines;
        instruction.span = Span::new(body.start, end);
        self.read_heredocs(&mut instruction, &logical);
        if let Some(last) = instruction.heredocs.last() {
            let heredoc_end = last.terminator.map_or(last.body.end, |t| t.end);
            instruction.span.end = instruction
                .span
                .end
                .max(trim_newline(self.text, heredoc_end));
        }
        instruction.vars = self.collect_vars(&instruction, &logical, &expandables);
        instruction.logical = logical;
        self.instructions.push(instruction);
    }

    /// Appends the kept part of a physical line to the logical line; true when it continues.
    fn append_physical(
        &self,
        logical: &mut LogicalLine,
        content: Span,
        continuations: &mut Vec<Span>,
    ) -> bool {
        let raw = &self.text[content.start..content.end];
        let (kept, continues) = match continuation_cut(raw, self.escape) {
            Some(kept) => (kept, true),
            None => (raw.len(), false),
        };
        logical.segments.push((logical.text.len(), content.start));
        logical.text.push_str(&raw[..kept]);
        if continues {
            continuations.push(Span::new(content.start + kept, content.end));
        }
        continues
    }

    /// BuildKit's `newNodeFromLine` over `logical.text[from..to]`.
    fn node_from_line(
        &mut self,
        logical: &LogicalLine,
        from: usize,
        to: usize,
        expandables: &mut Vec<Expandable>,
    ) -> Instruction {
        let line = &logical.text;
        let start =
            from + (line[from..to].len() - line[from..to].trim_start_matches(is_space).len());
        let end = start + line[start..to].trim_end_matches(is_space).len();
        let keyword_end = line[start..end]
            .char_indices()
            .find(|&(_, c)| is_split_space(c))
            .map_or(end, |(i, _)| start + i);
        let rest_start = keyword_end + line[keyword_end..end].len()
            - line[keyword_end..end]
                .trim_start_matches(is_split_space)
                .len();
        let keyword = logical.span(start, keyword_end);
        let kind = InstructionKind::from_keyword(&line[start..keyword_end]);
        self.overlay.push(Token {
            kind: TokenKind::Keyword,
            span: keyword,
        });
        let (raw_flags, args_start) = if rest_start < end {
            extract_flags(&line[rest_start..end], rest_start)
        } else {
            (Vec::new(), end)
        };
        let flags: Vec<Flag> = raw_flags
            .iter()
            .map(|raw| self.flag_from(raw, logical, kind, expandables))
            .collect();
        let args_start = args_start
            + (line[args_start..end].len()
                - line[args_start..end].trim_start_matches(is_space).len());
        let args = self.args_for(kind, logical, args_start, end, expandables);
        Instruction {
            kind,
            span: logical.span(start, end),
            keyword,
            keyword_text: line[start..keyword_end].to_string(),
            flags,
            args,
            heredocs: Vec::new(),
            continuations: Vec::new(),
            empty_continuation_lines: Vec::new(),
            logical: LogicalLine::default(),
            vars: Vec::new(),
        }
    }

    fn flag_from(
        &mut self,
        raw: &RawFlag,
        logical: &LogicalLine,
        kind: InstructionKind,
        expandables: &mut Vec<Expandable>,
    ) -> Flag {
        let span = logical.span(raw.start, raw.end);
        self.overlay.push(Token {
            kind: TokenKind::Flag,
            span,
        });
        let without_dashes = raw.text.strip_prefix("--").unwrap_or(&raw.text);
        let (name, value) = match without_dashes.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (without_dashes.to_string(), None),
        };
        let equals_char = raw.text.chars().position(|c| c == '=');
        let equals_at = equals_char.and_then(|index| raw.positions.get(index).copied());
        let name_span = logical.span(raw.start, equals_at.unwrap_or(raw.end));
        let value = value.map(|text| {
            let value_start = equals_at.map_or(raw.end, |at| at + 1);
            self.expandable_flag_value(kind, &name, logical, value_start, raw.end, expandables);
            FlagValue {
                text,
                span: logical.span(value_start, raw.end),
            }
        });
        Flag {
            span,
            name,
            name_span,
            value,
            raw: raw.text.clone(),
        }
    }

    /// Flag values the builder expands: all but `COPY --from` and a mount's `from=`.
    fn expandable_flag_value(
        &self,
        kind: InstructionKind,
        name: &str,
        logical: &LogicalLine,
        start: usize,
        end: usize,
        expandables: &mut Vec<Expandable>,
    ) {
        if name == "from" {
            return;
        }
        if kind == InstructionKind::Run && name == "mount" {
            let mut part_start = start;
            for part in logical.text[start..end].split(',') {
                let part_end = part_start + part.len();
                if !part.to_ascii_lowercase().starts_with("from=") {
                    push_expandable(expandables, part_start, part_end, Expansion::Builder);
                }
                part_start = part_end + 1;
            }
            return;
        }
        push_expandable(expandables, start, end, Expansion::Builder);
    }

    /// The per-instruction line parsers of BuildKit's `line_parsers.go`.
    fn args_for(
        &mut self,
        kind: InstructionKind,
        logical: &LogicalLine,
        start: usize,
        end: usize,
        expandables: &mut Vec<Expandable>,
    ) -> Args {
        let rest = &logical.text[start..end];
        let word = |from: usize, to: usize| logical.word(from, to);
        match kind {
            InstructionKind::Add | InstructionKind::Copy | InstructionKind::Volume => {
                match self.json_args(logical, start, end) {
                    Some(args) => {
                        if matches!(args, Args::Exec(_)) {
                            push_expandable(expandables, start, end, Expansion::Builder);
                        }
                        args
                    }
                    None => {
                        push_expandable(expandables, start, end, Expansion::Builder);
                        words_args(split_whitespace(rest), start, &word)
                    }
                }
            }
            InstructionKind::Run
            | InstructionKind::Cmd
            | InstructionKind::Entrypoint
            | InstructionKind::Shell => {
                if rest.is_empty() {
                    return Args::None;
                }
                if let Some(args) = self.json_args(logical, start, end) {
                    return args;
                }
                let expansion = match kind {
                    InstructionKind::Run => Some(Expansion::BuildShell),
                    InstructionKind::Shell => None,
                    _ => Some(Expansion::RuntimeShell),
                };
                if let Some(expansion) = expansion {
                    push_expandable(expandables, start, end, expansion);
                }
                Args::Text(word(start, end))
            }
            InstructionKind::Env | InstructionKind::Label => {
                self.name_value_args(kind, logical, start, end, expandables)
            }
            InstructionKind::Arg => {
                let pairs: Vec<Pair> = parse_words(rest, self.escape)
                    .iter()
                    .map(|raw| pair_from_word(raw, start, logical, expandables))
                    .collect();
                if pairs.is_empty() {
                    Args::None
                } else {
                    Args::Pairs(pairs)
                }
            }
            InstructionKind::From | InstructionKind::Expose => {
                let words = split_whitespace(rest);
                let expanded = if kind == InstructionKind::From {
                    words.first().map(|w| (w.start, w.end))
                } else {
                    Some((0, rest.len()))
                };
                if let Some((from, to)) = expanded {
                    push_expandable(expandables, start + from, start + to, Expansion::Builder);
                }
                words_args(words, start, &word)
            }
            InstructionKind::Maintainer
            | InstructionKind::Stopsignal
            | InstructionKind::User
            | InstructionKind::Workdir => {
                if rest.is_empty() {
                    return Args::None;
                }
                if kind != InstructionKind::Maintainer {
                    push_expandable(expandables, start, end, Expansion::Builder);
                }
                Args::Text(word(start, end))
            }
            InstructionKind::Healthcheck => {
                let type_end = rest
                    .char_indices()
                    .find(|&(_, c)| is_go_byte_space(c))
                    .map_or(rest.len(), |(i, _)| i);
                if type_end == 0 {
                    return Args::None;
                }
                let command_start = start
                    + type_end
                    + (rest[type_end..].len()
                        - rest[type_end..].trim_start_matches(is_go_byte_space).len());
                let command = if command_start >= end {
                    Args::None
                } else if let Some(args) = self.json_args(logical, command_start, end) {
                    args
                } else {
                    push_expandable(expandables, command_start, end, Expansion::RuntimeShell);
                    Args::Text(word(command_start, end))
                };
                Args::Healthcheck {
                    kind: word(start, start + type_end),
                    command: Box::new(command),
                }
            }
            InstructionKind::Onbuild => {
                if rest.is_empty() {
                    return Args::None;
                }
                Args::Onbuild(Box::new(self.node_from_line(
                    logical,
                    start,
                    end,
                    expandables,
                )))
            }
            InstructionKind::Unknown => Args::Ignored((!rest.is_empty()).then(|| word(start, end))),
        }
    }

    /// BuildKit's `parseJSON`: `Some` for a string array (or the error of a non-string array,
    /// falling back to text), `None` when the text is not a JSON array at all.
    fn json_args(&mut self, logical: &LogicalLine, start: usize, end: usize) -> Option<Args> {
        let rest = &logical.text[start..end];
        match parse_json_array(rest) {
            JsonArray::Invalid => None,
            JsonArray::NotStrings => {
                self.errors.push(SyntaxError {
                    span: logical.span(start, end),
                    message:
                        "when using JSON array syntax, arrays must be comprised of strings only"
                            .to_string(),
                });
                Some(Args::Text(Word {
                    text: rest.to_string(),
                    span: logical.span(start, end),
                }))
            }
            JsonArray::Strings {
                items,
                end: array_end,
            } => Some(Args::Exec(ExecForm {
                span: logical.span(start, start + array_end),
                items: items
                    .into_iter()
                    .map(|item| Word {
                        text: item.value,
                        span: logical.span(start + item.start, start + item.end),
                    })
                    .collect(),
            })),
        }
    }

    /// BuildKit's `parseNameVal` (ENV and LABEL): `k=v …` or the legacy `KEY value`.
    fn name_value_args(
        &mut self,
        kind: InstructionKind,
        logical: &LogicalLine,
        start: usize,
        end: usize,
        expandables: &mut Vec<Expandable>,
    ) -> Args {
        let rest = &logical.text[start..end];
        let word = |from: usize, to: usize| logical.word(from, to);
        let words = parse_words(rest, self.escape);
        let Some(first) = words.first() else {
            return Args::None;
        };
        if !first.text.contains('=') {
            let key_end = rest
                .char_indices()
                .find(|&(_, c)| is_split_space(c))
                .map_or(rest.len(), |(i, _)| i);
            let value_start = key_end
                + (rest[key_end..].len()
                    - rest[key_end..].trim_start_matches(is_split_space).len());
            let key = word(start, start + key_end);
            if value_start >= rest.len() {
                self.errors.push(SyntaxError {
                    span: key.span,
                    message: format!("{} must have two arguments", kind.name()),
                });
                return Args::Pairs(vec![Pair {
                    span: key.span,
                    key,
                    value: None,
                    separator: PairSeparator::Space,
                }]);
            }
            push_expandable(expandables, start + value_start, end, Expansion::Builder);
            return Args::Pairs(vec![Pair {
                span: logical.span(start, end),
                key,
                value: Some(word(start + value_start, end)),
                separator: PairSeparator::Space,
            }]);
        }
        let mut pairs = Vec::with_capacity(words.len());
        for raw in &words {
            let pair = pair_from_word(raw, start, logical, expandables);
            if pair.separator == PairSeparator::None {
                self.errors.push(SyntaxError {
                    span: pair.span,
                    message: format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        go_quote(&raw.text)
                    ),
                });
            }
            pairs.push(pair);
        }
        Args::Pairs(pairs)
    }

    /// Heredoc bodies follow the instruction's last line, in the order of their markers.
    fn read_heredocs(&mut self, instruction: &mut Instruction, logical: &LogicalLine) {
        let effective = instruction.effective();
        if !effective.kind.takes_heredocs()
            || matches!(effective.args, Args::Exec(_))
            || !logical.text.contains("<<")
        {
            return;
        }
        for marker in heredoc_words(&logical.text) {
            let Some(found) = heredoc_marker(&marker) else {
                continue;
            };
            let body_start = self.position.min(self.text.len());
            let mut terminator = None;
            while let Some(line) = self.take_line() {
                let content = &self.text[line.start..line.content_end];
                let candidate = if found.chomp {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if candidate == found.name {
                    terminator = Some(line.content());
                    self.structural.push(Token {
                        kind: TokenKind::HeredocTerminator,
                        span: line.content(),
                    });
                    break;
                }
                if line.content_end > line.start {
                    self.structural.push(Token {
                        kind: TokenKind::HeredocBody,
                        span: line.content(),
                    });
                }
            }
            let body_end = terminator.map_or(self.text.len(), |span| span.start);
            let marker_span = logical.span(marker.start, marker.end);
            if terminator.is_none() {
                self.errors.push(SyntaxError {
                    span: marker_span,
                    message: "unterminated heredoc".to_string(),
                });
            }
            instruction.heredocs.push(Heredoc {
                marker: marker_span,
                name: found.name,
                chomp: found.chomp,
                expand: found.expand,
                body: Span::new(body_start, body_end.max(body_start)),
                terminator,
            });
        }
    }

    fn collect_vars(
        &self,
        instruction: &Instruction,
        logical: &LogicalLine,
        expandables: &[Expandable],
    ) -> Vec<VarRef> {
        let mut out = Vec::new();
        for region in expandables {
            let map = |s: usize, e: usize| logical.span(region.start + s, region.start + e);
            vars::scan(
                &logical.text[region.start..region.end],
                self.escape,
                region.expansion,
                &map,
                &mut out,
            );
        }
        let body_expansion = match instruction.effective().kind {
            InstructionKind::Run => Some(Expansion::BuildShell),
            _ => None,
        };
        for heredoc in &instruction.heredocs {
            let expansion = match body_expansion {
                Some(expansion) if heredoc.expand => expansion,
                None if heredoc.expand => Expansion::Builder,
                _ => continue,
            };
            let start = heredoc.body.start;
            let map = |s: usize, e: usize| Span::new(start + s, start + e);
            vars::scan(
                &self.text[heredoc.body.start..heredoc.body.end],
                '\\',
                expansion,
                &map,
                &mut out,
            );
        }
        out
    }

    /// The flat token list: structural tokens as they are, keywords and flags in the gaps between
    /// them, everything else white space or argument text.
    fn tokens(&mut self, from: usize, to: usize) -> Vec<Token> {
        self.structural.sort_by_key(|t| t.span.start);
        self.overlay.sort_by_key(|t| t.span.start);
        let mut tokens = Vec::with_capacity(self.structural.len() * 2 + self.overlay.len());
        let mut overlay = self.overlay.iter().peekable();
        let mut cursor = from;
        let gaps_then_token = self
            .structural
            .iter()
            .map(|t| (t.span.start, Some(*t)))
            .chain(std::iter::once((to, None)));
        for (gap_end, token) in gaps_then_token {
            while let Some(over) = overlay.peek() {
                if over.span.start >= gap_end {
                    break;
                }
                let start = over.span.start.max(cursor);
                let end = over.span.end.min(gap_end);
                if start < end {
                    fill(self.text, cursor, start, &mut tokens);
                    tokens.push(Token {
                        kind: over.kind,
                        span: Span::new(start, end),
                    });
                    cursor = end;
                }
                if over.span.end <= gap_end {
                    overlay.next();
                } else {
                    break;
                }
            }
            fill(self.text, cursor, gap_end, &mut tokens);
            cursor = cursor.max(gap_end);
            if let Some(token) = token {
                let start = token.span.start.max(cursor);
                if start < token.span.end {
                    tokens.push(Token {
                        kind: token.kind,
                        span: Span::new(start, token.span.end),
                    });
                    cursor = token.span.end;
                }
            }
        }
        tokens
    }
}

fn push_expandable(
    expandables: &mut Vec<Expandable>,
    start: usize,
    end: usize,
    expansion: Expansion,
) {
    if start < end {
        expandables.push(Expandable {
            start,
            end,
            expansion,
        });
    }
}

/// `name=value` (split at the first `=`) or a bare `name`, from a `parseWords` word.
fn pair_from_word(
    raw: &RawWord,
    start: usize,
    logical: &LogicalLine,
    expandables: &mut Vec<Expandable>,
) -> Pair {
    let (from, to) = (start + raw.start, start + raw.end);
    let span = logical.span(from, to);
    match raw.text.split_once('=') {
        Some((key, value)) => {
            let eq = from + key.len();
            push_expandable(expandables, eq + 1, to, Expansion::Builder);
            Pair {
                span,
                key: Word {
                    text: key.to_string(),
                    span: logical.span(from, eq),
                },
                value: Some(Word {
                    text: value.to_string(),
                    span: logical.span(eq + 1, to),
                }),
                separator: PairSeparator::Equals,
            }
        }
        None => Pair {
            span,
            key: Word {
                text: raw.text.clone(),
                span,
            },
            value: None,
            separator: PairSeparator::None,
        },
    }
}

fn words_args(words: Vec<RawWord>, start: usize, word: &dyn Fn(usize, usize) -> Word) -> Args {
    if words.is_empty() {
        return Args::None;
    }
    Args::Words(
        words
            .into_iter()
            .map(|raw| word(start + raw.start, start + raw.end))
            .collect(),
    )
}

/// Go's `unicode.IsSpace(rune(b))` on single bytes, restricted to ASCII so that a multi-byte
/// character is never split.
fn is_go_byte_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// White space and argument runs for the bytes `from..to` not covered by any token.
fn fill(text: &str, from: usize, to: usize, tokens: &mut Vec<Token>) {
    if from >= to {
        return;
    }
    let mut run_start = from;
    let mut run_is_space = None;
    for (offset, c) in text[from..to].char_indices() {
        let space = is_space(c);
        match run_is_space {
            Some(previous) if previous != space => {
                tokens.push(Token {
                    kind: if previous {
                        TokenKind::Whitespace
                    } else {
                        TokenKind::Argument
                    },
                    span: Span::new(run_start, from + offset),
                });
                run_start = from + offset;
            }
            _ => {}
        }
        run_is_space = Some(space);
    }
    if let Some(space) = run_is_space {
        tokens.push(Token {
            kind: if space {
                TokenKind::Whitespace
            } else {
                TokenKind::Argument
            },
            span: Span::new(run_start, to),
        });
    }
}

/// The longest physical line BuildKit reads: `bufio.MaxScanTokenSize - 1`. Its scanner needs room
/// for the line and the `\n` after it (or, at the end of the text, one more byte to learn that
/// the text ended), and stops with `bufio.ErrTooLong` otherwise, which `handleScannerError` turns
/// into "dockerfile line greater than max allowed size of 65535".
const MAX_LINE_BYTES: usize = 64 * 1024 - 1;

/// The part of `line` past BuildKit's limit (the bytes before its `\n`, a `\r` and on the first
/// line a BOM included, as the scanner counts them), from the character the limit falls in.
/// BuildKit stops reading there; we report it and read on.
fn beyond_max_line(text: &str, line: PhysicalLine) -> Option<Span> {
    let scanned_end = if text[line.start..line.end].ends_with('\n') {
        line.end - 1
    } else {
        line.end
    };
    if scanned_end - line.start <= MAX_LINE_BYTES {
        return None;
    }
    let mut from = line.start + MAX_LINE_BYTES;
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    Some(Span::new(from, scanned_end))
}

fn trim_newline(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = end.min(bytes.len());
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`; returns the name and value ranges.
fn match_directive(line: &str) -> Option<(Span, Span)> {
    let is_re_space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let bytes = line.as_bytes();
    if bytes.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    while bytes.get(i).copied().is_some_and(is_re_space) {
        i += 1;
    }
    let name_start = i;
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        i += 1;
    }
    let name = Span::new(name_start, i);
    while bytes.get(i).copied().is_some_and(is_re_space) {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while bytes.get(i).copied().is_some_and(is_re_space) {
        i += 1;
    }
    let mut end = bytes.len();
    while end > i && is_re_space(bytes[end - 1]) {
        end -= 1;
    }
    (end > i).then_some((name, Span::new(i, end)))
}

/// A flag word as BuildKit's `extractBuilderFlags` builds it, with the logical offset of each
/// character it kept.
struct RawFlag {
    text: String,
    positions: Vec<usize>,
    start: usize,
    end: usize,
}

/// BuildKit's `extractBuilderFlags`: leading `--words` (quotes removed, `\` escapes), a bare `--`
/// ends them. Returns the flags and the logical offset where the arguments start.
fn extract_flags(line: &str, base: usize) -> (Vec<RawFlag>, usize) {
    let mut flags = Vec::new();
    let mut chars = line.char_indices().peekable();
    loop {
        while chars.peek().is_some_and(|&(_, c)| is_space(c)) {
            chars.next();
        }
        let Some(&(word_start, _)) = chars.peek() else {
            return (flags, base + line.len());
        };
        if !line[word_start..].starts_with("--") {
            return (flags, base + word_start);
        }
        let mut flag = RawFlag {
            text: String::new(),
            positions: Vec::new(),
            start: base + word_start,
            end: base + line.len(),
        };
        let mut quote = None;
        let mut ended_at = None;
        while let Some((pos, c)) = chars.next() {
            match quote {
                None if is_space(c) => {
                    ended_at = Some(pos);
                    break;
                }
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ => {
                    let (pos, c) = if c == '\\' {
                        match chars.next() {
                            Some(next) => next,
                            None => {
                                quote = None;
                                continue;
                            }
                        }
                    } else {
                        (pos, c)
                    };
                    flag.text.push(c);
                    flag.positions.push(base + pos);
                }
            }
        }
        if let Some(pos) = ended_at {
            flag.end = base + pos;
        }
        if flag.text == "--" {
            return (flags, flag.end);
        }
        flags.push(flag);
        if ended_at.is_none() {
            return (flags, base + line.len());
        }
    }
}

struct HeredocMarker {
    name: String,
    chomp: bool,
    expand: bool,
}

/// `^(\d*)<<(-?)([^<]*)$` on a raw shell word, with a non-empty single-word delimiter.
fn heredoc_marker(word: &RawWord) -> Option<HeredocMarker> {
    let text = word.text.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = text.strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let name = unquote(rest, '\\');
    if name.is_empty() {
        return None;
    }
    let quotes = |s: &str| s.chars().filter(|&c| c == '"' || c == '\'').count();
    Some(HeredocMarker {
        expand: quotes(&name) == quotes(rest),
        name,
        chomp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_errors(text: &str) -> Vec<Span> {
        parse(text)
            .errors
            .into_iter()
            .filter(|error| error.message.starts_with("dockerfile line greater"))
            .map(|error| error.span)
            .collect()
    }

    /// `bufio.Scanner` with `MaxScanTokenSize`: 65,535 bytes before the `\n`, or before the end
    /// of the text, fit; one more does not.
    #[test]
    fn lines_fit_up_to_65535_bytes_as_buildkits_scanner_counts_them() {
        let line = |length: usize| format!("RUN {}", "x".repeat(length - 4));
        assert_eq!(line_errors(&format!("{}\nUSER u\n", line(65535))), []);
        assert_eq!(line_errors(&line(65535)), []);
        assert_eq!(line_errors(&line(65536)), [Span::new(65535, 65536)]);
        // A `\r` before the `\n` counts.
        assert_eq!(
            line_errors(&format!("FROM a\n{}\r\n", line(65535))),
            [Span::new(7 + 65535, 7 + 65536)]
        );
        // So does a BOM on the first line.
        let with_bom = format!("{BOM}{}", line(65533));
        assert_eq!(line_errors(&with_bom), [Span::new(65535, 65536)]);
        // The limit inside a character: the error starts at the character.
        let wide = format!("RUN {}é{}", "x".repeat(65530), "y".repeat(10));
        assert_eq!(line_errors(&wide), [Span::new(65534, wide.len())]);
        // Every long line is reported, also a comment or a heredoc body line.
        let long = "#".repeat(70000);
        let text = format!("{long}\nRUN <<EOF\n{long}\nEOF\n");
        assert_eq!(line_errors(&text).len(), 2);
        assert_eq!(parse(&text).tree.to_source(), text);
    }
}
