//! The syntax tree: typed instructions over byte spans, plus a flat token list that covers every
//! byte of the input exactly once (the lossless guarantee).

use std::fmt;

use super::vars::VarRef;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Span {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `offset` lies inside the span or touches its end, which is what a cursor
    /// placed right after a word means.
    pub const fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub const fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub const fn contains_span(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The result of parsing: a tree, always, and the errors BuildKit's parser would raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    pub tree: SyntaxTree,
    pub errors: Vec<SyntaxError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SyntaxTree {
    pub(super) source: String,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    pub directives: Vec<Directive>,
    /// Every comment line that is not a parser directive, including those inside continuations.
    pub comments: Vec<Comment>,
    pub instructions: Vec<Instruction>,
    /// Covers the source exactly once, in order.
    pub tokens: Vec<Token>,
}

impl fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::tree_dump(self))
    }
}

impl SyntaxTree {
    pub fn text(&self) -> &str {
        &self.source
    }

    /// The source text of `span`; empty when the span does not fit the text.
    pub fn slice(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    /// Where the line holding `offset` starts (after the previous `\n`).
    pub fn line_start(&self, offset: usize) -> usize {
        self.source
            .as_bytes()
            .get(..offset)
            .and_then(|before| before.iter().rposition(|&b| b == b'\n'))
            .map_or(0, |newline| newline + 1)
    }

    /// The source rebuilt from the tokens; equal to the input by construction.
    pub fn to_source(&self) -> String {
        self.tokens
            .iter()
            .map(|token| self.slice(token.span))
            .collect()
    }

    pub fn directive(&self, kind: DirectiveKind) -> Option<&Directive> {
        self.directives.iter().find(|d| d.kind == kind)
    }

    /// The instruction whose span touches `offset` (innermost ONBUILD content excluded).
    pub fn instruction_at(&self, offset: usize) -> Option<(usize, &Instruction)> {
        let index = self.instructions.partition_point(|i| i.span.end < offset);
        let instruction = self.instructions.get(index)?;
        instruction
            .span
            .touches(offset)
            .then_some((index, instruction))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectiveKind {
    Syntax,
    Escape,
    Check,
}

impl DirectiveKind {
    pub fn from_name(name: &str) -> Option<DirectiveKind> {
        match name.to_ascii_lowercase().as_str() {
            "syntax" => Some(DirectiveKind::Syntax),
            "escape" => Some(DirectiveKind::Escape),
            "check" => Some(DirectiveKind::Check),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DirectiveKind::Syntax => "syntax",
            DirectiveKind::Escape => "escape",
            DirectiveKind::Check => "check",
        }
    }
}

/// `# name=value` in the leading block of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The whole line without its line break.
    pub span: Span,
    pub name: Span,
    pub value: Span,
    pub value_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line, without the line break.
    pub span: Span,
    /// The comment sits between the lines of a continued instruction (BuildKit drops it).
    pub inside_instruction: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstructionKind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// A keyword BuildKit does not know; kept so nothing is lost.
    Unknown,
}

impl InstructionKind {
    pub const ALL: [InstructionKind; 18] = [
        InstructionKind::Add,
        InstructionKind::Arg,
        InstructionKind::Cmd,
        InstructionKind::Copy,
        InstructionKind::Entrypoint,
        InstructionKind::Env,
        InstructionKind::Expose,
        InstructionKind::From,
        InstructionKind::Healthcheck,
        InstructionKind::Label,
        InstructionKind::Maintainer,
        InstructionKind::Onbuild,
        InstructionKind::Run,
        InstructionKind::Shell,
        InstructionKind::Stopsignal,
        InstructionKind::User,
        InstructionKind::Volume,
        InstructionKind::Workdir,
    ];

    pub fn from_keyword(keyword: &str) -> InstructionKind {
        InstructionKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(keyword))
            .unwrap_or(InstructionKind::Unknown)
    }

    /// The keyword in upper case (`UNKNOWN` for unknown instructions).
    pub fn name(self) -> &'static str {
        match self {
            InstructionKind::Add => "ADD",
            InstructionKind::Arg => "ARG",
            InstructionKind::Cmd => "CMD",
            InstructionKind::Copy => "COPY",
            InstructionKind::Entrypoint => "ENTRYPOINT",
            InstructionKind::Env => "ENV",
            InstructionKind::Expose => "EXPOSE",
            InstructionKind::From => "FROM",
            InstructionKind::Healthcheck => "HEALTHCHECK",
            InstructionKind::Label => "LABEL",
            InstructionKind::Maintainer => "MAINTAINER",
            InstructionKind::Onbuild => "ONBUILD",
            InstructionKind::Run => "RUN",
            InstructionKind::Shell => "SHELL",
            InstructionKind::Stopsignal => "STOPSIGNAL",
            InstructionKind::User => "USER",
            InstructionKind::Volume => "VOLUME",
            InstructionKind::Workdir => "WORKDIR",
            InstructionKind::Unknown => "UNKNOWN",
        }
    }

    /// RUN, COPY and ADD take heredocs (and ONBUILD wrapping them).
    pub fn takes_heredocs(self) -> bool {
        matches!(
            self,
            InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
        )
    }
}

/// One instruction: its keyword, flags, typed arguments, and the pieces of source it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub kind: InstructionKind,
    /// From the keyword to the end of the last line it occupies (heredoc terminators included),
    /// without the final line break.
    pub span: Span,
    pub keyword: Span,
    /// The keyword as written (continuations removed).
    pub keyword_text: String,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// Each escape character that continues a line, with the blanks after it.
    pub continuations: Vec<Span>,
    /// Blank lines inside the continuation (BuildKit's NoEmptyContinuation).
    pub empty_continuation_lines: Vec<Span>,
    /// The logical line BuildKit works on, with the map back to the source.
    pub logical: LogicalLine,
    /// Every variable reference in text that the builder or a shell expands.
    pub vars: Vec<VarRef>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|flag| flag.name.eq_ignore_ascii_case(name))
    }

    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags
            .iter()
            .filter(move |flag| flag.name.eq_ignore_ascii_case(name))
    }

    /// The instruction a trigger runs: the ONBUILD payload, or the instruction itself.
    pub fn effective(&self) -> &Instruction {
        match &self.args {
            Args::Onbuild(inner) => inner,
            _ => self,
        }
    }

    /// Whitespace-split words of FROM, EXPOSE, and shell-form ADD/COPY/VOLUME.
    pub fn words(&self) -> &[Word] {
        match &self.args {
            Args::Words(words) => words,
            _ => &[],
        }
    }

    /// The span of everything after the flags, if there is anything.
    pub fn args_span(&self) -> Option<Span> {
        self.args.span()
    }

    /// The exec-form items when the arguments are a JSON array.
    pub fn exec_items(&self) -> Option<&[Word]> {
        match &self.args {
            Args::Exec(exec) => Some(&exec.items),
            Args::Healthcheck { command, .. } => match command.as_ref() {
                Args::Exec(exec) => Some(&exec.items),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Arguments of an instruction, split the way BuildKit's line parsers split them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    None,
    /// A JSON array of strings. Items carry the decoded string and the span of the quoted literal.
    Exec(ExecForm),
    /// The rest of the logical line as one string (shell form, and MAINTAINER/USER/WORKDIR/STOPSIGNAL).
    Text(Word),
    /// Words split on white space, quotes kept (FROM, EXPOSE, shell-form ADD/COPY/VOLUME).
    Words(Vec<Word>),
    /// `key=value` pairs (ENV, LABEL, ARG) or the legacy `KEY value` form.
    Pairs(Vec<Pair>),
    /// `HEALTHCHECK [flags] TYPE command`.
    Healthcheck {
        kind: Word,
        command: Box<Args>,
    },
    Onbuild(Box<Instruction>),
    /// An unknown instruction: its text is kept, BuildKit prints one empty argument.
    Ignored(Option<Word>),
}

impl Args {
    pub fn span(&self) -> Option<Span> {
        match self {
            Args::None | Args::Ignored(None) => None,
            Args::Exec(exec) => Some(exec.span),
            Args::Text(word) | Args::Ignored(Some(word)) => Some(word.span),
            Args::Words(words) => cover(words.iter().map(|w| w.span)),
            Args::Pairs(pairs) => cover(pairs.iter().map(|p| p.span)),
            Args::Healthcheck { kind, command } => Some(match command.span() {
                Some(span) => kind.span.cover(span),
                None => kind.span,
            }),
            Args::Onbuild(inner) => Some(inner.span),
        }
    }
}

fn cover(spans: impl Iterator<Item = Span>) -> Option<Span> {
    spans.reduce(Span::cover)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecForm {
    /// From `[` to `]`.
    pub span: Span,
    pub items: Vec<Word>,
}

/// A piece of argument text: `text` is what BuildKit sees (continuations removed), `span` is where
/// it stands in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairSeparator {
    /// `key=value`
    Equals,
    /// legacy `KEY value`
    Space,
    /// `ARG name` without a value
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub span: Span,
    pub key: Word,
    /// The value as written (quotes kept); `None` for `ARG name`.
    pub value: Option<Word>,
    pub separator: PairSeparator,
}

impl Pair {
    /// The value with shell quoting removed, as the builder would store it (before expansion).
    pub fn unquoted_value(&self, escape: char) -> Option<String> {
        self.value
            .as_ref()
            .map(|value| super::unquote(&value.text, escape))
    }
}

/// `--name`, `--name=` or `--name=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub span: Span,
    /// The name without the leading dashes, quotes removed.
    pub name: String,
    /// The name with its dashes.
    pub name_span: Span,
    pub value: Option<FlagValue>,
    /// The flag the way BuildKit records it (`--name=value`, quotes removed).
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue {
    pub text: String,
    /// After the `=`; empty for `--name=`.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// `<<EOF`, `<<-"EOF"`, `3<<EOF` in the instruction line.
    pub marker: Span,
    pub name: String,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// The delimiter is unquoted, so the builder expands variables in the body (COPY/ADD).
    pub expand: bool,
    /// The body lines with their line breaks.
    pub body: Span,
    /// The terminator line; `None` when the file ends first.
    pub terminator: Option<Span>,
}

/// BuildKit's logical line: physical lines joined with continuations, comments and blank lines
/// removed. `segments` maps each run of logical bytes back to the source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogicalLine {
    pub text: String,
    /// `(logical start, source start)` of each contiguous run, in order.
    pub(super) segments: Vec<(usize, usize)>,
}

impl LogicalLine {
    /// The source offset of logical offset `offset` (the start of the run that holds it).
    pub fn source_offset(&self, offset: usize) -> usize {
        let index = self
            .segments
            .partition_point(|&(logical, _)| logical <= offset)
            .saturating_sub(1);
        match self.segments.get(index) {
            Some(&(logical, source)) => source + (offset - logical),
            None => offset,
        }
    }

    /// The source offset of an end bound: an end that falls on a run boundary stays on the
    /// earlier run, so a word never reaches across a continuation it does not cover.
    fn source_end(&self, offset: usize) -> usize {
        if offset == 0 {
            return self.source_offset(0);
        }
        self.source_offset(offset - 1) + 1
    }

    /// The source span of the logical range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if start >= end {
            let at = self.source_offset(start);
            return Span::new(at, at);
        }
        Span::new(self.source_offset(start), self.source_end(end))
    }

    /// The logical text `start..end` as a word with its source span.
    pub fn word(&self, start: usize, end: usize) -> Word {
        Word {
            text: self.text.get(start..end).unwrap_or_default().to_string(),
            span: self.span(start, end),
        }
    }

    /// `(logical start, source start)` of each physical line's contribution, in order.
    pub fn segments(&self) -> &[(usize, usize)] {
        &self.segments
    }

    /// The logical offset of a source offset, if the source byte belongs to the logical line.
    pub fn logical_offset(&self, source_offset: usize) -> Option<usize> {
        let mut best = None;
        for (index, &(logical, source)) in self.segments.iter().enumerate() {
            let run_len = match self.segments.get(index + 1) {
                Some(&(next_logical, _)) => next_logical - logical,
                None => self.text.len() - logical,
            };
            if source <= source_offset && source_offset <= source + run_len {
                best = Some(logical + (source_offset - source));
            }
        }
        best
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Bom,
    Whitespace,
    Newline,
    Comment,
    Directive,
    Keyword,
    Flag,
    /// Argument text of an instruction (one token per physical line piece).
    Argument,
    /// The escape character ending a continued line, with the blanks after it.
    Continuation,
    HeredocBody,
    HeredocTerminator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}
