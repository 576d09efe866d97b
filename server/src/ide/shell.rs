//! A small reader for the shell text of RUN instructions: splits `&&`/`||`/`;`/`|` chains into
//! simple commands (argv with quotes removed and byte spans), and recognises the commands
//! Dockerfile advice is about: dependency installs (`npm ci`, `pip install`, `apt-get install`,
//! `apk add`…) and build steps (`npm run build`, `tsc`, `go build`, `cargo build`…).
//!
//! It is not a shell parser: command substitutions, functions and loops are kept as opaque
//! words, and control keywords (`if`, `then`, `do`…) in front of a command are skipped, which is
//! what lint rules need to find the commands a RUN line runs.

use crate::syntax::{Args, Instruction, InstructionKind, Span, SyntaxTree};

/// How a command is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `|` (or `|&`)
    Pipe,
    /// `;`, `&`, a line break, or a subshell parenthesis.
    Sequence,
}

/// One word of a command: its text after quote removal (`$…` kept verbatim) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    pub text: String,
    pub span: Span,
}

/// A simple command: leading `NAME=value` assignments, then its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub assignments: Vec<ShellWord>,
    /// The words after the assignments; `words[0]` is the program as written (maybe `sudo`).
    pub words: Vec<ShellWord>,
    /// From the first assignment or word to the last word (redirections excluded).
    pub span: Span,
    /// The operator before this command; `None` for the first command of a script.
    pub connector: Option<Connector>,
}

/// Programs that run the rest of their command line as another command.
const WRAPPERS: [&str; 8] = [
    "sudo",
    "env",
    "time",
    "nice",
    "nohup",
    "exec",
    "command",
    "eatmydata",
];

/// Options of the wrappers that take the next word as their value.
const WRAPPER_VALUE_OPTIONS: [&str; 6] = ["-u", "-g", "-n", "-C", "-D", "-h"];

impl Command {
    /// The program and its arguments with wrappers such as `sudo -E` or `env A=b` removed, and
    /// `python -m pip` read as `pip`.
    pub fn argv(&self) -> &[ShellWord] {
        let mut rest = self.words.as_slice();
        while let Some((first, tail)) = rest.split_first() {
            if !WRAPPERS.contains(&program_name(&first.text)) {
                break;
            }
            rest = skip_wrapper_options(tail);
        }
        match rest {
            [python, dash_m, module, tail @ ..]
                if program_name(&python.text).starts_with("python")
                    && dash_m.text == "-m"
                    && module.text == "pip" =>
            {
                // `module` stands in for the program, so `argv()[0]` is `pip`.
                let start = rest.len() - tail.len() - 1;
                rest.get(start..).unwrap_or(rest)
            }
            _ => rest,
        }
    }

    /// The program's file name (`/usr/bin/apt-get` → `apt-get`), wrappers skipped.
    pub fn program(&self) -> Option<&str> {
        self.argv().first().map(|word| program_name(&word.text))
    }

    /// The arguments after the program, wrappers skipped.
    pub fn args(&self) -> &[ShellWord] {
        self.argv().get(1..).unwrap_or_default()
    }

    /// True when an argument is one of `names` (`--flag` or `--flag=value` forms both count).
    pub fn has_option(&self, names: &[&str]) -> bool {
        self.args()
            .iter()
            .any(|word| option_matches(&word.text, names))
    }

    /// True when a short-option cluster (`-yq`) holds `letter`.
    pub fn has_short_option(&self, letter: char) -> bool {
        self.args().iter().any(|word| {
            word.text
                .strip_prefix('-')
                .is_some_and(|cluster| !cluster.starts_with('-') && cluster.contains(letter))
        })
    }

    /// The value of an assignment in front of the command (`NODE_ENV=production npm ci`).
    pub fn assignment(&self, name: &str) -> Option<&str> {
        self.assignments
            .iter()
            .find_map(|word| word.text.strip_prefix(name)?.strip_prefix('='))
    }
}

fn option_matches(text: &str, names: &[&str]) -> bool {
    names.iter().any(|name| {
        text == *name
            || text
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('='))
    })
}

fn skip_wrapper_options(mut words: &[ShellWord]) -> &[ShellWord] {
    while let Some((first, tail)) = words.split_first() {
        let text = first.text.as_str();
        if WRAPPER_VALUE_OPTIONS.contains(&text) {
            words = tail.get(1..).unwrap_or_default();
        } else if text.starts_with('-') || is_assignment(text) {
            words = tail;
        } else {
            break;
        }
    }
    words
}

/// The file name of a program path: `/usr/bin/apt-get` → `apt-get`, `./gradlew` → `gradlew`.
pub fn program_name(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

fn is_assignment(text: &str) -> bool {
    let Some((name, _)) = text.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Words that open or close a compound command; skipped in front of a command.
const CONTROL_WORDS: [&str; 13] = [
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac",
];

/// Splits shell text into simple commands; spans are offsets into `text`. The patterns of a
/// `case` (`amd64|arm64)`) are skipped: their `|` is no pipe.
pub fn split_commands(text: &str) -> Vec<Command> {
    let mut builder = CommandBuilder::default();
    let mut lexer = Lexer { text, position: 0 };
    let mut in_case_patterns = false;
    while let Some(token) = lexer.next_token() {
        match token {
            Token::Word(word) if in_case_patterns => {
                in_case_patterns = word.text != "esac";
            }
            Token::Operator(_) if in_case_patterns => {}
            Token::CloseParen if in_case_patterns => in_case_patterns = false,
            Token::Word(word)
                if word.text == "in"
                    && builder
                        .words
                        .first()
                        .is_some_and(|first| first.text == "case") =>
            {
                builder.finish(Some(Connector::Sequence));
                in_case_patterns = true;
            }
            Token::Word(word) => builder.word(word),
            Token::Operator(connector) => builder.finish(Some(connector)),
            Token::CloseParen => builder.finish(Some(Connector::Sequence)),
            Token::CaseBreak => {
                builder.finish(Some(Connector::Sequence));
                in_case_patterns = true;
            }
            Token::Redirection => {
                // The redirection target is not an argument of the command.
                lexer.next_word();
            }
        }
    }
    builder.finish(None);
    builder.commands
}

/// Every command a RUN instruction (or `ONBUILD RUN`) runs, with spans in the source: the
/// shell form, and heredoc bodies that the shell reads as its script (`RUN <<EOF`, `RUN bash <<EOF`).
/// Exec-form RUN lines yield nothing: they are not shell text.
pub fn run_commands(tree: &SyntaxTree, instruction: &Instruction) -> Vec<Command> {
    let run = instruction.effective();
    if run.kind != InstructionKind::Run {
        return Vec::new();
    }
    let Args::Text(word) = &run.args else {
        return Vec::new();
    };
    let mut commands = Vec::new();
    let shell_text_commands = split_commands(&word.text);
    let logical_start = instruction.logical.logical_offset(word.span.start);
    let feeds_shell = heredoc_feeds_shell(&shell_text_commands);
    for mut command in shell_text_commands {
        if let Some(start) = logical_start {
            let map = |span: Span| {
                instruction
                    .logical
                    .span(start + span.start, start + span.end)
            };
            command.span = map(command.span);
            for word in command
                .assignments
                .iter_mut()
                .chain(command.words.iter_mut())
            {
                word.span = map(word.span);
            }
        }
        commands.push(command);
    }
    if feeds_shell {
        for heredoc in &run.heredocs {
            let body = tree.slice(heredoc.body);
            for mut command in split_commands(body) {
                let shift = |span: Span| {
                    Span::new(
                        span.start + heredoc.body.start,
                        span.end + heredoc.body.start,
                    )
                };
                command.span = shift(command.span);
                for word in command
                    .assignments
                    .iter_mut()
                    .chain(command.words.iter_mut())
                {
                    word.span = shift(word.span);
                }
                commands.push(command);
            }
        }
    }
    commands
}

/// `RUN <<EOF` runs the body with the default shell; `RUN sh <<EOF`/`bash <<EOF` too. Other
/// programs (`python3 <<EOF`, `cat <<EOF > file`) read the body as data.
fn heredoc_feeds_shell(commands: &[Command]) -> bool {
    match commands {
        [] => true,
        [only] => {
            matches!(only.program(), Some("sh" | "bash" | "ash" | "dash" | "zsh"))
                && only.args().iter().all(|word| word.text.starts_with('-'))
        }
        _ => false,
    }
}

#[derive(Default)]
struct CommandBuilder {
    commands: Vec<Command>,
    assignments: Vec<ShellWord>,
    words: Vec<ShellWord>,
    connector: Option<Connector>,
}

impl CommandBuilder {
    fn word(&mut self, word: ShellWord) {
        if self.words.is_empty() {
            if self.assignments.is_empty() && CONTROL_WORDS.contains(&word.text.as_str()) {
                return;
            }
            if is_assignment(&word.text) {
                self.assignments.push(word);
                return;
            }
        }
        self.words.push(word);
    }

    fn finish(&mut self, next: Option<Connector>) {
        let assignments = std::mem::take(&mut self.assignments);
        let words = std::mem::take(&mut self.words);
        let first = assignments.first().or(words.first()).map(|w| w.span);
        let last = words.last().or(assignments.last()).map(|w| w.span);
        if let (Some(first), Some(last)) = (first, last) {
            self.commands.push(Command {
                assignments,
                words,
                span: first.cover(last),
                connector: self.connector,
            });
            self.connector = next;
        } else if !self.commands.is_empty() {
            // An empty command (`then`, a parenthesis): keep the operator that joins the real
            // commands around it; a pipe or `&&` wins over a plain separator.
            self.connector = match (self.connector, next) {
                (None | Some(Connector::Sequence), Some(next)) => Some(next),
                (current, _) => current,
            };
        }
    }
}

enum Token {
    Word(ShellWord),
    Operator(Connector),
    /// `)`: ends a subshell, or a `case` pattern.
    CloseParen,
    /// `;;`: ends a `case` branch.
    CaseBreak,
    Redirection,
}

struct Lexer<'a> {
    text: &'a str,
    position: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.position..)?.chars().next()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.text.get(self.position..)?.chars().nth(ahead)
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.position += ch.len_utf8();
        Some(ch)
    }

    fn skip_blanks(&mut self) {
        while let Some(ch) = self.peek() {
            match ch {
                ' ' | '\t' | '\r' => {
                    self.bump();
                }
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                _ => break,
            }
        }
    }

    fn next_token(&mut self) -> Option<Token> {
        loop {
            self.skip_blanks();
            let ch = self.peek()?;
            match ch {
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                ')' => {
                    self.bump();
                    return Some(Token::CloseParen);
                }
                ';' if self.peek_at(1) == Some(';') => {
                    self.bump();
                    self.bump();
                    return Some(Token::CaseBreak);
                }
                '\n' | ';' | '(' => {
                    self.bump();
                    return Some(Token::Operator(Connector::Sequence));
                }
                '&' => {
                    self.bump();
                    return Some(match self.peek() {
                        Some('&') => {
                            self.bump();
                            Token::Operator(Connector::And)
                        }
                        Some('>') => self.redirection(),
                        _ => Token::Operator(Connector::Sequence),
                    });
                }
                '|' => {
                    self.bump();
                    return Some(match self.peek() {
                        Some('|') => {
                            self.bump();
                            Token::Operator(Connector::Or)
                        }
                        Some('&') => {
                            self.bump();
                            Token::Operator(Connector::Pipe)
                        }
                        _ => Token::Operator(Connector::Pipe),
                    });
                }
                '<' | '>' => return Some(self.redirection()),
                _ => {
                    let word = self.next_word()?;
                    let fd_number = word.text.bytes().all(|b| b.is_ascii_digit())
                        && word.span.end == self.position
                        && matches!(self.peek(), Some('<' | '>'));
                    if fd_number {
                        return Some(self.redirection());
                    }
                    return Some(Token::Word(word));
                }
            }
        }
    }

    /// Consumes a redirection operator (`>`, `>>`, `2>&`, `<<<`, `&>`…); the caller skips its target.
    fn redirection(&mut self) -> Token {
        while matches!(self.peek(), Some('<' | '>' | '&' | '|' | '-')) {
            self.bump();
        }
        Token::Redirection
    }

    /// One word with quotes removed; `None` at the end of the text or at an operator.
    fn next_word(&mut self) -> Option<ShellWord> {
        self.skip_blanks();
        let start = self.position;
        let mut text = String::new();
        while let Some(ch) = self.peek() {
            match ch {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\'' => {
                    self.bump();
                    while let Some(inner) = self.bump() {
                        if inner == '\'' {
                            break;
                        }
                        text.push(inner);
                    }
                }
                '"' => {
                    self.bump();
                    self.double_quoted(&mut text);
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(escaped) => text.push(escaped),
                    }
                }
                '$' if matches!(self.peek_at(1), Some('(' | '{')) => self.substitution(&mut text),
                '`' => self.backquoted(&mut text),
                _ => {
                    text.push(ch);
                    self.bump();
                }
            }
        }
        (self.position > start).then(|| ShellWord {
            text,
            span: Span::new(start, self.position),
        })
    }

    fn double_quoted(&mut self, text: &mut String) {
        while let Some(ch) = self.peek() {
            match ch {
                '"' => {
                    self.bump();
                    return;
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some(next @ ('"' | '\\' | '$' | '`')) => text.push(next),
                        Some('\n') | None => {}
                        Some(other) => {
                            text.push('\\');
                            text.push(other);
                        }
                    }
                }
                '$' if matches!(self.peek_at(1), Some('(' | '{')) => self.substitution(text),
                '`' => self.backquoted(text),
                _ => {
                    text.push(ch);
                    self.bump();
                }
            }
        }
    }

    /// `$(…)`, `$((…))` or `${…}`, copied verbatim, nested brackets and quotes respected.
    fn substitution(&mut self, text: &mut String) {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(ch) = self.bump() {
            text.push(ch);
            match (quote, ch) {
                (Some(open), _) if ch == open => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(ch),
                (None, '(' | '{') => depth += 1,
                (None, ')' | '}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn backquoted(&mut self, text: &mut String) {
        if let Some(open) = self.bump() {
            text.push(open);
        }
        while let Some(ch) = self.bump() {
            text.push(ch);
            if ch == '`' {
                return;
            }
        }
    }
}

/// The package managers whose installs the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackageManager {
    Npm,
    Yarn,
    Pnpm,
    Pip,
    AptGet,
    /// `apt`, the interactive front end.
    Apt,
    Apk,
    /// `go mod download`
    GoMod,
    /// `cargo fetch`
    Cargo,
}

impl PackageManager {
    pub fn is_node(self) -> bool {
        matches!(
            self,
            PackageManager::Npm | PackageManager::Yarn | PackageManager::Pnpm
        )
    }

    /// Installs OS packages (as opposed to the application's dependencies).
    pub fn is_system(self) -> bool {
        matches!(
            self,
            PackageManager::AptGet | PackageManager::Apt | PackageManager::Apk
        )
    }
}

/// A command that installs dependencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyInstall<'a> {
    pub manager: PackageManager,
    pub command: &'a Command,
    /// The program word through the subcommand: `npm install`, `apt-get install`, `yarn`.
    pub words_span: Span,
    /// The subcommand (`install`, `ci`, `add`…); `None` for a bare `yarn`.
    pub subcommand: Option<&'a ShellWord>,
    /// Packages named on the command line; empty when installing from a manifest or lock file.
    pub packages: Vec<&'a ShellWord>,
    /// `pip install -r FILE` / `--requirement FILE` / `-c FILE`: the file names, each with the
    /// span of the word that names it.
    pub requirement_files: Vec<ShellWord>,
    /// A production-only install: `--omit=dev`, `--production`, `--prod`, `NODE_ENV=production`.
    pub production_only: bool,
    /// `npm install -g`, `pip install --user`…: tools for the image, not the app's dependencies.
    pub global: bool,
}

/// Options of the installers that take the next word as their value.
const VALUE_OPTIONS: [&str; 22] = [
    "--omit",
    "--only",
    "--include",
    "--prefix",
    "--registry",
    "--loglevel",
    "--cache",
    "--cache-folder",
    "--modules-folder",
    "--network-timeout",
    "-w",
    "--workspace",
    "--filter",
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--target",
    "--virtual",
];

/// Recognises a dependency install: npm/yarn/pnpm installs, pip, apt-get/apt, apk,
/// `go mod download`, `cargo fetch`.
pub fn dependency_install(command: &Command) -> Option<DependencyInstall<'_>> {
    let argv = command.argv();
    let (program, rest) = argv.split_first()?;
    let name = program_name(&program.text);
    let manager = match name {
        "npm" => PackageManager::Npm,
        "yarn" => PackageManager::Yarn,
        "pnpm" => PackageManager::Pnpm,
        "apt-get" => PackageManager::AptGet,
        "apt" => PackageManager::Apt,
        "apk" => PackageManager::Apk,
        "go" => PackageManager::GoMod,
        "cargo" => PackageManager::Cargo,
        _ if is_pip(name) => PackageManager::Pip,
        _ => return None,
    };
    let (subcommand_index, subcommand) = rest
        .iter()
        .enumerate()
        .find(|(_, word)| !word.text.starts_with('-'))
        .map_or((rest.len(), None), |(index, word)| (index, Some(word)));
    let subcommand_text = subcommand.map(|word| word.text.as_str());
    let installs = match manager {
        PackageManager::Npm => matches!(subcommand_text, Some("install" | "i" | "ci" | "isntall")),
        PackageManager::Yarn => matches!(subcommand_text, None | Some("install")),
        PackageManager::Pnpm => matches!(subcommand_text, Some("install" | "i")),
        PackageManager::Pip => subcommand_text == Some("install"),
        PackageManager::AptGet | PackageManager::Apt => subcommand_text == Some("install"),
        PackageManager::Apk => subcommand_text == Some("add"),
        PackageManager::GoMod => {
            subcommand_text == Some("mod")
                && rest.get(subcommand_index + 1).map(|w| w.text.as_str()) == Some("download")
        }
        PackageManager::Cargo => subcommand_text == Some("fetch"),
    };
    // `apt-get install -s` only prints what it would do.
    let simulated = command.has_option(&[
        "-s",
        "--simulate",
        "--dry-run",
        "--just-print",
        "--no-act",
        "--recon",
    ]);
    if !installs || simulated {
        return None;
    }
    let after_subcommand = rest.get(subcommand_index + 1..).unwrap_or_default();
    let mut packages = Vec::new();
    let mut requirement_files = Vec::new();
    let mut words = after_subcommand.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let inline_file = ["--requirement=", "--constraint=", "-r"]
            .iter()
            .find_map(|prefix| text.strip_prefix(prefix))
            .filter(|file| !file.is_empty() && !file.starts_with('-'));
        if let Some(file) = inline_file {
            requirement_files.push(ShellWord {
                text: file.to_string(),
                span: word.span,
            });
        } else if VALUE_OPTIONS.contains(&text) {
            if let Some(value) = words.next()
                && matches!(text, "-r" | "--requirement" | "-c" | "--constraint")
            {
                requirement_files.push(value.clone());
            }
        } else if !text.starts_with('-') {
            packages.push(word);
        }
    }
    if manager == PackageManager::GoMod {
        packages.clear();
    }
    let words_end = subcommand.map_or(program.span, |word| word.span);
    let production_only = match manager {
        PackageManager::Npm => {
            command.has_option(&["--production", "--prod"])
                || omits_dev(after_subcommand)
                || command.assignment("NODE_ENV") == Some("production")
        }
        PackageManager::Yarn | PackageManager::Pnpm => {
            command.has_option(&["--production", "--prod", "-P"])
                || command.assignment("NODE_ENV") == Some("production")
        }
        _ => false,
    };
    let global = command.has_option(&["-g", "--global", "--user", "--location"])
        && manager != PackageManager::AptGet;
    Some(DependencyInstall {
        manager,
        command,
        words_span: program.span.cover(words_end),
        subcommand,
        packages,
        requirement_files,
        production_only,
        global,
    })
}

fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|version| version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// `--omit=dev`, `--omit dev`, `--only=prod`, `--only=production`.
fn omits_dev(words: &[ShellWord]) -> bool {
    words.iter().enumerate().any(|(index, word)| {
        let value = match word.text.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (word.text.as_str(), None),
        };
        let value_of = |option: Option<&str>| {
            option
                .map(str::to_string)
                .or_else(|| words.get(index + 1).map(|next| next.text.clone()))
        };
        match value {
            ("--omit", inline) => value_of(inline).is_some_and(|v| v == "dev"),
            ("--only", inline) => {
                value_of(inline).is_some_and(|v| v == "prod" || v == "production")
            }
            _ => false,
        }
    })
}

/// The tools a build step runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuildTool {
    /// `npm|yarn|pnpm|bun run build…`
    NodeScript,
    /// `tsc`, `npx tsc`
    TypeScript,
    /// `ng build`, `vite build`, `next build`, `nuxt build`, `react-scripts build`, `webpack`
    FrontEnd,
    Go,
    Cargo,
    Maven,
    Gradle,
    Dotnet,
}

/// A command that compiles the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildStep<'a> {
    pub tool: BuildTool,
    pub command: &'a Command,
    /// The words naming the step: `npm run build`, `go build`, `tsc`.
    pub words_span: Span,
}

/// Recognises a build step (see [`BuildTool`]).
pub fn build_step(command: &Command) -> Option<BuildStep<'_>> {
    let argv = command.argv();
    let mut program_index = 0;
    // `npx tsc`, `npx vite build`: npx runs the tool that follows.
    if argv
        .first()
        .is_some_and(|word| matches!(program_name(&word.text), "npx" | "pnpx" | "bunx"))
    {
        program_index = argv
            .iter()
            .skip(1)
            .position(|word| !word.text.starts_with('-'))
            .map_or(argv.len(), |position| position + 1);
    }
    let words = argv.get(program_index..)?;
    let (program, rest) = words.split_first()?;
    let name = program_name(&program.text);
    let subcommand = rest.iter().find(|word| !word.text.starts_with('-'));
    let sub = subcommand.map(|word| word.text.as_str());
    let (tool, last) = match name {
        "npm" | "yarn" | "pnpm" | "bun" => {
            let script = match sub {
                Some("run" | "run-script") => rest
                    .iter()
                    .filter(|word| !word.text.starts_with('-'))
                    .nth(1),
                _ if name != "npm" => subcommand,
                _ => None,
            }?;
            is_build_script(&script.text).then_some((BuildTool::NodeScript, script))?
        }
        "tsc" => (BuildTool::TypeScript, program),
        "webpack" => (BuildTool::FrontEnd, program),
        "ng" | "vite" | "next" | "nuxt" | "react-scripts" | "vue-cli-service" => {
            (sub == Some("build")).then_some((BuildTool::FrontEnd, subcommand?))?
        }
        "go" => (sub == Some("build")).then_some((BuildTool::Go, subcommand?))?,
        "cargo" => (sub == Some("build")).then_some((BuildTool::Cargo, subcommand?))?,
        "mvn" | "mvnw" => rest
            .iter()
            .find(|word| matches!(word.text.as_str(), "package" | "install" | "verify"))
            .map(|word| (BuildTool::Maven, word))?,
        "gradle" | "gradlew" => rest
            .iter()
            .find(|word| {
                matches!(
                    word.text.as_str(),
                    "build" | "assemble" | "bootJar" | "jar" | "installDist" | "shadowJar"
                )
            })
            .map(|word| (BuildTool::Gradle, word))?,
        "dotnet" => {
            matches!(sub, Some("publish" | "build")).then_some((BuildTool::Dotnet, subcommand?))?
        }
        _ => return None,
    };
    let first = argv.first().map_or(program.span, |word| word.span);
    Some(BuildStep {
        tool,
        command,
        words_span: first.cover(last.span),
    })
}

/// `build`, `build:prod`, `build-server`, `compile`.
fn is_build_script(script: &str) -> bool {
    script == "compile"
        || script
            .strip_prefix("build")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '-', '_']))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check_split(text: &str, expect: Expect) {
        let rendered: Vec<String> = split_commands(text)
            .iter()
            .map(|command| {
                let words: Vec<String> = command
                    .assignments
                    .iter()
                    .chain(&command.words)
                    .map(|word| {
                        format!(
                            "{}@{}",
                            word.text,
                            &text[word.span.start..word.span.end].replace('\n', "⏎")
                        )
                    })
                    .collect();
                format!(
                    "{:?} [{}] {}",
                    command.connector,
                    command.span.start,
                    words.join(" ")
                )
            })
            .collect();
        expect.assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn splits_chains_and_pipes() {
        check_split(
            "apt-get update && apt-get install -y curl || true; curl -fsSL x | sh -",
            expect![[r#"
                None [0] apt-get@apt-get update@update
                Some(And) [18] apt-get@apt-get install@install -y@-y curl@curl
                Some(Or) [45] true@true
                Some(Sequence) [51] curl@curl -fsSL@-fsSL x@x
                Some(Pipe) [66] sh@sh -@-"#]],
        );
    }

    #[test]
    fn removes_quotes_and_keeps_substitutions_whole() {
        check_split(
            r#"echo "a b" 'c d' e\ f "$(cat "x y")" ${A:-b c} `date`"#,
            expect![[
                r#"None [0] echo@echo a b@"a b" c d@'c d' e f@e\ f $(cat "x y")@"$(cat "x y")" ${A:-b c}@${A:-b c} `date`@`date`"#
            ]],
        );
    }

    #[test]
    fn skips_redirections_comments_and_control_words() {
        check_split(
            "if [ -f x ]; then npm ci >/dev/null 2>&1; fi # done\nA=1 B=2 make",
            expect![[r#"
                None [3] [@[ -f@-f x@x ]@]
                Some(Sequence) [18] npm@npm ci@ci
                Some(Sequence) [52] A=1@A=1 B=2@B=2 make@make"#]],
        );
    }

    #[test]
    fn skips_case_patterns() {
        check_split(
            "case \"$arch\" in amd64|arm64) echo ok ;; *) exit 1 ;; esac | cat",
            expect![[r#"
                None [0] case@case $arch@"$arch"
                Some(Sequence) [29] echo@echo ok@ok
                Some(Sequence) [43] exit@exit 1@1
                Some(Pipe) [60] cat@cat"#]],
        );
    }

    #[test]
    fn pipes_through_subshells() {
        check_split(
            "(cd a && make) | tee log",
            expect![[r#"
                None [1] cd@cd a@a
                Some(And) [9] make@make
                Some(Pipe) [17] tee@tee log@log"#]],
        );
    }

    #[test]
    fn never_panics_on_unbalanced_text() {
        for text in [
            "\"abc", "'", "$(", "${a", "`x", "a |", "&&", "2>", "\\", "é|ü",
        ] {
            split_commands(text);
        }
    }

    fn describe_install(text: &str) -> String {
        split_commands(text)
            .iter()
            .filter_map(dependency_install)
            .map(|install| {
                format!(
                    "{:?} `{}` packages={:?} requirements={:?} production={} global={}",
                    install.manager,
                    &text[install.words_span.start..install.words_span.end],
                    install.packages.iter().map(|w| &w.text).collect::<Vec<_>>(),
                    install
                        .requirement_files
                        .iter()
                        .map(|w| &w.text)
                        .collect::<Vec<_>>(),
                    install.production_only,
                    install.global,
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn recognises_installs() {
        let text = "npm ci --omit=dev && npm install express && npm i -g typescript && \
                    NODE_ENV=production npm install && yarn && yarn install --production && \
                    pnpm i --prod && sudo apt-get -y install --no-install-recommends curl git && \
                    apk add --no-cache tini && python3 -m pip install --no-cache-dir -r requirements.txt && \
                    pip3 install -rdev.txt . && go mod download && cargo fetch && npm run build && \
                    apt-get install -s postgresql-jit";
        expect![[r#"
            Npm `npm ci` packages=[] requirements=[] production=true global=false
            Npm `npm install` packages=["express"] requirements=[] production=false global=false
            Npm `npm i` packages=["typescript"] requirements=[] production=false global=true
            Npm `npm install` packages=[] requirements=[] production=true global=false
            Yarn `yarn` packages=[] requirements=[] production=false global=false
            Yarn `yarn install` packages=[] requirements=[] production=true global=false
            Pnpm `pnpm i` packages=[] requirements=[] production=true global=false
            AptGet `apt-get -y install` packages=["curl", "git"] requirements=[] production=false global=false
            Apk `apk add` packages=["tini"] requirements=[] production=false global=false
            Pip `pip install` packages=[] requirements=["requirements.txt"] production=false global=false
            Pip `pip3 install` packages=["."] requirements=["dev.txt"] production=false global=false
            GoMod `go mod` packages=[] requirements=[] production=false global=false
            Cargo `cargo fetch` packages=[] requirements=[] production=false global=false"#]]
        .assert_eq(&describe_install(text));
    }

    #[test]
    fn recognises_build_steps() {
        let text = "npm run build && yarn build:prod && pnpm run compile && npx tsc -p . && \
                    go build -o /app . && cargo build --release && ./mvnw -B package && \
                    gradle clean bootJar && dotnet publish -c Release && npm test && go test ./...";
        let steps: Vec<String> = split_commands(text)
            .iter()
            .filter_map(build_step)
            .map(|step| {
                format!(
                    "{:?} `{}`",
                    step.tool,
                    &text[step.words_span.start..step.words_span.end]
                )
            })
            .collect();
        expect![[r#"
            NodeScript `npm run build`
            NodeScript `yarn build:prod`
            NodeScript `pnpm run compile`
            TypeScript `npx tsc`
            Go `go build`
            Cargo `cargo build`
            Maven `./mvnw -B package`
            Gradle `gradle clean bootJar`
            Dotnet `dotnet publish`"#]]
        .assert_eq(&steps.join("\n"));
    }

    #[test]
    fn maps_run_commands_to_source() {
        let text = "FROM alpine\nRUN apk add \\\n    # comment\n    curl && \\\n  echo hi\nRUN <<EOF\nnpm ci\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\n";
        let parse = crate::syntax::parse(text);
        let rendered: Vec<String> = parse
            .tree
            .instructions
            .iter()
            .flat_map(|instruction| run_commands(&parse.tree, instruction))
            .map(|command| {
                command
                    .words
                    .iter()
                    .map(|word| &text[word.span.start..word.span.end])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        expect![[r#"
            apk add curl
            echo hi
            npm ci
            python3"#]]
        .assert_eq(&rendered.join("\n"));
    }
}
