//! What each stage produces for the stages after it: its WORKDIR, the destinations of its
//! COPY/ADD, the paths its RUN lines evidently write (`-o path`, `--out-dir`, `> file`,
//! `mkdir -p`), and the conventional outputs of the builds it runs (`dist/`, `target/release/app`,
//! `/go/bin/app`, a venv, `target/*.jar`). A stage built `FROM` another stage starts with
//! everything its parent produced.
//!
//! Feeds the runner extraction (what to copy), path completion after `COPY --from=<stage>` and
//! `--mount=…,from=<stage>,source=`, and hover on such paths. Everything here is a guess from the
//! Dockerfile alone (no build context, no `package.json`), so each output says why it is listed.

use crate::syntax::{Args, Expansion, Instruction, InstructionKind, SyntaxTree};

use super::{Model, Resolution, VarResolution};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    Dir,
    File,
}

/// How a path came to exist, for features that want only some of them (the runner extraction
/// copies build outputs and leaves sources behind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputOrigin {
    Workdir,
    /// A COPY or ADD destination.
    Copied,
    /// Written by a plain command: `mkdir`, `> file`, `curl -o`, `git clone`, `cp`.
    Written,
    /// What a compiler or bundler produced (`go build -o`, `tsc`, `npm run build`, `cargo build`).
    Build,
    /// Installed dependencies: `node_modules`, a venv, a pip prefix, wheels.
    Dependencies,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageOutput {
    /// Absolute, normalised, without a trailing slash; may hold a glob (`target/*.jar`).
    pub path: String,
    pub kind: OutputKind,
    pub origin: OutputOrigin,
    /// Index into `SyntaxTree::instructions` (possibly in a parent stage).
    pub produced_by: usize,
    /// One line for hover and completion details.
    pub why: String,
}

/// What `stage` contains for later stages, its parents' outputs first.
pub fn stage_outputs(tree: &SyntaxTree, model: &Model, stage: usize) -> Vec<StageOutput> {
    let mut done: Vec<StageState> = Vec::new();
    for index in 0..=stage.min(model.stages.len().saturating_sub(1)) {
        let mut state = model
            .stages
            .get(index)
            .and_then(|s| s.parent_stage(model))
            .and_then(|parent| done.get(parent))
            .map_or_else(StageState::default, |parent| StageState {
                workdir: parent.workdir.clone(),
                outputs: parent.outputs.clone(),
                stop_at: None,
            });
        walk_stage(tree, model, index, &mut state, &done);
        done.push(state);
    }
    done.pop()
        .filter(|_| stage < model.stages.len())
        .map(|state| state.outputs)
        .unwrap_or_default()
}

/// The working directory in force at `instruction`: relative WORKDIRs resolved, inherited
/// through `FROM <stage>`; `/` when nothing set one (the image may have its own).
pub fn workdir_at(tree: &SyntaxTree, model: &Model, instruction: usize) -> String {
    let Some(stage) = model.stage_of_instruction(instruction) else {
        return "/".to_string();
    };
    let mut state = StageState {
        stop_at: Some(instruction),
        ..StageState::default()
    };
    for ancestor in ancestry(model, stage) {
        walk_stage(tree, model, ancestor, &mut state, &[]);
    }
    state.workdir
}

/// The working directory at the end of `stage`.
pub fn stage_workdir(tree: &SyntaxTree, model: &Model, stage: usize) -> String {
    let mut state = StageState::default();
    for ancestor in ancestry(model, stage) {
        walk_stage(tree, model, ancestor, &mut state, &[]);
    }
    state.workdir
}

/// The paths one level below `prefix` in what `stage` produces: `/app/` → `/app/dist/`,
/// `/app/package.json`. Directories end with `/`. Used for path completion.
pub fn paths_under(tree: &SyntaxTree, model: &Model, stage: usize, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for output in stage_outputs(tree, model, stage) {
        let mut push = |candidate: String| {
            if !out.contains(&candidate) {
                out.push(candidate);
            }
        };
        // Every ancestor directory of an output is a path of the stage too.
        let mut ancestor_end = 0;
        while let Some(slash) = output
            .path
            .get(ancestor_end + 1..)
            .and_then(|r| r.find('/'))
        {
            ancestor_end += slash + 1;
            let dir = format!("{}/", &output.path[..ancestor_end]);
            if let Some(level) = next_level(&dir, prefix) {
                push(level);
            }
        }
        let own = match output.kind {
            OutputKind::Dir if output.path != "/" => format!("{}/", output.path),
            _ => output.path.clone(),
        };
        if let Some(level) = next_level(&own, prefix) {
            push(level);
        }
    }
    out.sort();
    out
}

/// `candidate` cut to one path segment past `prefix`, if it lies below it.
fn next_level(candidate: &str, prefix: &str) -> Option<String> {
    let rest = candidate.strip_prefix(prefix)?;
    if rest.is_empty() {
        return None;
    }
    Some(match rest.find('/') {
        Some(slash) => candidate[..prefix.len() + slash + 1].to_string(),
        None => candidate.to_string(),
    })
}

/// `stage` and the stages it is built FROM, root first.
fn ancestry(model: &Model, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(parent) = model
        .stages
        .get(current)
        .and_then(|s| s.parent_stage(model))
    {
        if chain.contains(&parent) {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    chain.reverse();
    chain
}

#[derive(Default)]
struct StageState {
    workdir: String,
    outputs: Vec<StageOutput>,
    /// Stop before this instruction (for `workdir_at`).
    stop_at: Option<usize>,
}

impl StageState {
    fn push(
        &mut self,
        path: String,
        kind: OutputKind,
        origin: OutputOrigin,
        produced_by: usize,
        why: String,
    ) {
        if path.is_empty() || path.starts_with("/dev/") || path.starts_with("/proc/") {
            return;
        }
        // The newest producer wins: it is what a hover should name.
        self.outputs.retain(|o| o.path != path);
        self.outputs.push(StageOutput {
            path,
            kind,
            origin,
            produced_by,
            why,
        });
    }
}

/// Adds what `stage`'s own instructions produce to `state`; `earlier` holds the finished
/// earlier stages for `COPY --from` lookups.
fn walk_stage(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
    state: &mut StageState,
    earlier: &[StageState],
) {
    let Some(stage) = model.stages.get(stage) else {
        return;
    };
    if state.workdir.is_empty() {
        state.workdir = "/".to_string();
    }
    for index in stage.instructions.clone() {
        if state.stop_at == Some(index) {
            return;
        }
        let Some(instruction) = tree.instructions.get(index) else {
            continue;
        };
        match instruction.kind {
            InstructionKind::Workdir => {
                if let Args::Text(word) = &instruction.args {
                    let written = crate::syntax::unquote(&word.text, tree.escape);
                    let dir = expand(tree, model, index, &written);
                    state.workdir = join(&state.workdir, &dir);
                    let path = state.workdir.clone();
                    let why = format!("WORKDIR, {}", line_label(tree, instruction));
                    state.push(path, OutputKind::Dir, OutputOrigin::Workdir, index, why);
                }
            }
            InstructionKind::Copy | InstructionKind::Add => {
                copy_outputs(tree, model, index, instruction, state, earlier);
            }
            InstructionKind::Run => run_outputs(tree, model, index, instruction, state),
            _ => {}
        }
    }
}

/// `produced by `RUN npm run build`, line 7`.
fn line_label(tree: &SyntaxTree, instruction: &Instruction) -> String {
    format!(
        "`{}`, line {}",
        instruction_summary(tree, instruction),
        line_number(tree.text(), instruction.span.start)
    )
}

/// The first line of an instruction, shortened for one-line messages.
pub fn instruction_summary(tree: &SyntaxTree, instruction: &Instruction) -> String {
    let text = tree.slice(instruction.span);
    let first_line = text.lines().next().unwrap_or_default().trim_end();
    let first_line = first_line
        .strip_suffix(tree.escape)
        .unwrap_or(first_line)
        .trim_end();
    let mut short: String = first_line.chars().take(60).collect();
    if short.len() < first_line.len() || first_line.len() < text.trim_end().len() {
        short.push('…');
    }
    short
}

/// 1-based line of `offset`.
pub fn line_number(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

fn copy_outputs(
    tree: &SyntaxTree,
    model: &Model,
    index: usize,
    instruction: &Instruction,
    state: &mut StageState,
    earlier: &[StageState],
) {
    let words: Vec<String> = match (&instruction.args, instruction.exec_items()) {
        (_, Some(items)) => items.iter().map(|w| w.text.clone()).collect(),
        (Args::Words(words), None) => words
            .iter()
            .map(|w| crate::syntax::unquote(&w.text, tree.escape))
            .collect(),
        _ => return,
    };
    let Some((dest, sources)) = words.split_last() else {
        return;
    };
    if sources.is_empty() {
        return;
    }
    let dest_expanded = expand(tree, model, index, dest);
    let dest_path = join(&state.workdir, &dest_expanded);
    let dest_is_dir = dest_expanded.ends_with('/')
        || dest_expanded == "."
        || dest_expanded.ends_with("/.")
        || sources.len() > 1;
    let from_stage = instruction
        .flag("from")
        .and(model.stage_refs.iter().find(|r| r.instruction == index))
        .and_then(|r| match r.resolution {
            Resolution::Stage(stage) => Some(stage),
            _ => None,
        });
    let why = format!("copied by {}", line_label(tree, instruction));
    for source in sources {
        let source = expand(tree, model, index, source);
        let source_is_dir = source == "." || source.ends_with('/') || source.ends_with("/.");
        let kind_of_source = || {
            from_stage
                .and_then(|stage| earlier.get(stage))
                .and_then(|state| {
                    let absolute = join("/", &source);
                    state.outputs.iter().find(|o| o.path == absolute)
                })
                .map_or_else(|| guess_kind(&source), |o| o.kind)
        };
        let (path, kind) = if source_is_dir {
            (dest_path.clone(), OutputKind::Dir)
        } else if dest_is_dir {
            let name = source.strip_prefix("<<").map_or_else(
                || basename(&source),
                |marker| marker.trim_start_matches('-'),
            );
            (join(&dest_path, name), kind_of_source())
        } else {
            (dest_path.clone(), kind_of_source())
        };
        state.push(path, kind, OutputOrigin::Copied, index, why.clone());
    }
}

/// A name with an extension or a glob is a file, otherwise assume a directory.
fn guess_kind(path: &str) -> OutputKind {
    let name = basename(path);
    if name.contains('*') || name.get(1..).is_some_and(|rest| rest.contains('.')) {
        OutputKind::File
    } else {
        OutputKind::Dir
    }
}

fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// `path` resolved against `base`, `.` and `..` removed, no trailing slash.
pub fn join(base: &str, path: &str) -> String {
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{base}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in full.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Expands `$NAME`/`${NAME}` with the ARG/ENV defaults visible at `instruction`; references
/// without a known value stay as written.
fn expand(tree: &SyntaxTree, model: &Model, instruction: usize, text: &str) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let visible = model.visible_vars(instruction, Expansion::BuildShell);
    let value_of = |name: &str| {
        visible.iter().find_map(|resolution| match resolution {
            VarResolution::Defined(def) => model
                .var_defs
                .get(*def)
                .filter(|d| d.name == name)
                .and_then(|d| d.effective_value(model))
                .map(|v| v.unquoted.clone()),
            _ => None,
        })
    };
    let mut refs = Vec::new();
    crate::syntax::vars::scan_text(text, tree.escape, &mut refs);
    let mut out = String::new();
    let mut cursor = 0;
    for reference in refs {
        let (Some(before), Some(written)) = (
            text.get(cursor..reference.span.start),
            text.get(reference.span.start..reference.span.end),
        ) else {
            continue;
        };
        out.push_str(before);
        match value_of(&reference.name) {
            Some(value) => out.push_str(&value),
            None => out.push_str(written),
        }
        cursor = reference.span.end;
    }
    out.push_str(text.get(cursor..).unwrap_or_default());
    out
}

/// Paths under a `RUN --mount` target are not kept in the image.
fn mount_targets(run: &Instruction, workdir: &str) -> Vec<String> {
    run.flags_named("mount")
        .filter_map(|flag| flag.value.as_ref())
        .filter_map(|value| {
            value.text.split(',').find_map(|part| {
                let (key, target) = part.split_once('=')?;
                matches!(key.trim(), "target" | "dst" | "destination")
                    .then(|| join(workdir, target.trim_matches('"')))
            })
        })
        .collect()
}

/// The shell script a RUN executes: shell form, heredoc bodies, or exec form (`sh -c` unwrapped
/// later like any command).
fn run_scripts(tree: &SyntaxTree, instruction: &Instruction) -> Vec<String> {
    let mut scripts = Vec::new();
    match &instruction.args {
        Args::Text(word) => scripts.push(word.text.clone()),
        Args::Exec(exec) => scripts.push(
            exec.items
                .iter()
                .map(|item| shell_quote(&item.text))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => {}
    }
    for heredoc in &instruction.heredocs {
        scripts.push(tree.slice(heredoc.body).to_string());
    }
    scripts
}

/// Quotes `word` for a POSIX shell when it holds anything but plain characters.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn run_outputs(
    tree: &SyntaxTree,
    model: &Model,
    index: usize,
    instruction: &Instruction,
    state: &mut StageState,
) {
    let why = format!("produced by {}", line_label(tree, instruction));
    let mut found = Vec::new();
    let mut cwd = state.workdir.clone();
    for command in run_commands(tree, model, index) {
        command_outputs(&command, &mut cwd, &mut found);
    }
    let mounts = mount_targets(instruction, &state.workdir);
    for (path, kind, origin) in found {
        let under_mount = mounts
            .iter()
            .any(|m| path == *m || path.starts_with(&format!("{m}/")));
        if !under_mount {
            state.push(path, kind, origin, index, why.clone());
        }
    }
}

/// The simple commands RUN instruction `index` executes, variables with known defaults
/// expanded, `sh -c '…'` scripts unwrapped in place.
pub fn run_commands(tree: &SyntaxTree, model: &Model, index: usize) -> Vec<ShellCommand> {
    let Some(instruction) = tree.instructions.get(index) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for script in run_scripts(tree, instruction) {
        let script = expand(tree, model, index, &script);
        unwrap_shells(shell_commands(&script), &mut out, 0);
    }
    out
}

fn unwrap_shells(commands: Vec<ShellCommand>, out: &mut Vec<ShellCommand>, depth: usize) {
    for command in commands {
        let is_shell = matches!(command.program(), "sh" | "bash" | "ash" | "dash" | "zsh");
        let script = command
            .words
            .iter()
            .position(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('c'))
            .and_then(|p| command.arg(p + 1));
        match script {
            Some(script) if is_shell && depth < 4 => {
                unwrap_shells(shell_commands(script), out, depth + 1);
            }
            _ => out.push(command),
        }
    }
}

/// One simple command of a shell script: its words (quotes removed, leading `VAR=x`
/// assignments and wrappers such as `sudo` dropped) and the files its output goes to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ShellCommand {
    pub assignments: Vec<String>,
    pub words: Vec<String>,
    pub redirects: Vec<String>,
}

impl ShellCommand {
    pub fn program(&self) -> &str {
        self.words
            .first()
            .map_or("", |w| w.rsplit('/').next().unwrap_or(w))
    }

    pub fn arg(&self, position: usize) -> Option<&str> {
        self.words.get(position).map(String::as_str)
    }

    /// The value of `-o X`, `-oX`, `--name X` or `--name=X`, for any of `names`.
    pub fn option(&self, names: &[&str]) -> Option<&str> {
        let mut words = self.words.iter().skip(1);
        while let Some(word) = words.next() {
            for name in names {
                if word == name {
                    return words.next().map(String::as_str);
                }
                if let Some(value) = word.strip_prefix(name) {
                    if name.starts_with("--") {
                        if let Some(value) = value.strip_prefix('=') {
                            return Some(value);
                        }
                    } else if !value.is_empty() && name.len() == 2 {
                        return Some(value.trim_start_matches('='));
                    }
                }
            }
        }
        None
    }

    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.words.iter().skip(1).any(|w| {
            names
                .iter()
                .any(|n| w == n || w.starts_with(&format!("{n}=")))
        })
    }

    /// Words that are not options (and not values of `options_with_value`), after `skip` words.
    pub fn operands<'a>(&'a self, skip: usize, options_with_value: &[&str]) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut words = self.words.iter().skip(skip);
        while let Some(word) = words.next() {
            if options_with_value.contains(&word.as_str()) {
                words.next();
            } else if !word.starts_with('-') {
                out.push(word.as_str());
            }
        }
        out
    }
}

/// Splits a shell script into simple commands on `;`, `&&`, `||`, `|`, `&`, newlines and
/// parentheses. Quotes are removed, comments dropped, redirection targets collected. Not a full
/// shell: enough to see which programs run with which arguments.
pub fn shell_commands(script: &str) -> Vec<ShellCommand> {
    let mut commands = Vec::new();
    let mut current = ShellCommand::default();
    let mut word = String::new();
    let mut in_word = false;
    let mut redirect_next = false;
    let mut skip_next = false;
    let mut chars = script.chars().peekable();

    fn finish_word(
        word: &mut String,
        in_word: &mut bool,
        current: &mut ShellCommand,
        redirect_next: &mut bool,
        skip_next: &mut bool,
    ) {
        if !*in_word {
            return;
        }
        let text = std::mem::take(word);
        *in_word = false;
        if *redirect_next {
            *redirect_next = false;
            current.redirects.push(text);
        } else if *skip_next {
            *skip_next = false;
        } else if current.words.is_empty() && is_assignment(&text) {
            current.assignments.push(text);
        } else if !(current.words.is_empty() && WRAPPERS.contains(&text.as_str())) {
            current.words.push(text);
        }
    }

    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_word = true;
                for inner in chars.by_ref() {
                    if inner == '\'' {
                        break;
                    }
                    word.push(inner);
                }
            }
            '"' => {
                in_word = true;
                while let Some(inner) = chars.next() {
                    match inner {
                        '"' => break,
                        '\\' => {
                            if let Some(next) = chars.next() {
                                word.push(next);
                            }
                        }
                        inner => word.push(inner),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(next) => {
                    in_word = true;
                    word.push(next);
                }
            },
            '#' if !in_word => {
                for inner in chars.by_ref() {
                    if inner == '\n' {
                        break;
                    }
                }
                finish_word(
                    &mut word,
                    &mut in_word,
                    &mut current,
                    &mut redirect_next,
                    &mut skip_next,
                );
                commands.push(std::mem::take(&mut current));
            }
            '>' | '<' => {
                // A file descriptor number right before the operator belongs to it.
                if in_word && word.chars().all(|c| c.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                finish_word(
                    &mut word,
                    &mut in_word,
                    &mut current,
                    &mut redirect_next,
                    &mut skip_next,
                );
                while matches!(chars.peek(), Some('>') | Some('<') | Some('|')) {
                    chars.next();
                }
                // `2>&1` duplicates a descriptor: no file.
                let duplicates = chars.peek() == Some(&'&');
                if duplicates {
                    chars.next();
                }
                if ch == '>' && !duplicates {
                    redirect_next = true;
                } else {
                    skip_next = true;
                }
            }
            ';' | '&' | '|' | '\n' | '(' | ')' => {
                finish_word(
                    &mut word,
                    &mut in_word,
                    &mut current,
                    &mut redirect_next,
                    &mut skip_next,
                );
                commands.push(std::mem::take(&mut current));
            }
            c if c.is_whitespace() => finish_word(
                &mut word,
                &mut in_word,
                &mut current,
                &mut redirect_next,
                &mut skip_next,
            ),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish_word(
        &mut word,
        &mut in_word,
        &mut current,
        &mut redirect_next,
        &mut skip_next,
    );
    commands.push(current);
    commands.retain(|c| !c.words.is_empty() || !c.redirects.is_empty());
    commands
}

/// Programs that run the command after them.
const WRAPPERS: [&str; 6] = ["sudo", "exec", "time", "nohup", "env", "command"];

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

type Found = Vec<(String, OutputKind, OutputOrigin)>;

/// The paths one command writes, resolved against `cwd` (which `cd` changes).
fn command_outputs(command: &ShellCommand, cwd: &mut String, found: &mut Found) {
    let at = |path: &str| join(cwd, path);
    for target in &command.redirects {
        found.push((at(target), OutputKind::File, OutputOrigin::Written));
    }
    let program = command.program();
    let sub = command.arg(1).unwrap_or_default();
    match program {
        "cd" => {
            if let Some(dir) = command.arg(1) {
                *cwd = join(cwd, dir);
            }
        }
        "mkdir" => {
            for dir in command.operands(1, &["-m", "--mode"]) {
                found.push((at(dir), OutputKind::Dir, OutputOrigin::Written));
            }
        }
        "touch" => {
            for file in command.operands(1, &["-d", "-r", "-t"]) {
                found.push((at(file), OutputKind::File, OutputOrigin::Written));
            }
        }
        "cp" | "mv" | "ln" | "install" => {
            let operands = command.operands(1, &["-t", "-m", "-o", "-g", "--target-directory"]);
            if let Some(target) = command.option(&["-t", "--target-directory"]) {
                found.push((at(target), OutputKind::Dir, OutputOrigin::Written));
            } else if let [sources @ .., dest] = operands.as_slice()
                && !sources.is_empty()
            {
                let kind = if sources.len() > 1 || dest.ends_with('/') {
                    OutputKind::Dir
                } else {
                    guess_kind(dest)
                };
                found.push((at(dest), kind, OutputOrigin::Written));
            }
        }
        "git" if sub == "clone" => {
            let operands = command.operands(2, &["-b", "--branch", "--depth", "-c", "--origin"]);
            let dir = match operands.as_slice() {
                [_, dir, ..] => Some((*dir).to_string()),
                [url] => Some(basename(url).trim_end_matches(".git").to_string()),
                [] => None,
            };
            if let Some(dir) = dir {
                found.push((at(&dir), OutputKind::Dir, OutputOrigin::Written));
            }
        }
        "curl" => {
            if let Some(file) = command.option(&["-o", "--output"]) {
                found.push((at(file), OutputKind::File, OutputOrigin::Written));
            }
        }
        "wget" => {
            if let Some(file) = command.option(&["-O", "--output-document"]) {
                found.push((at(file), OutputKind::File, OutputOrigin::Written));
            } else if let Some(dir) = command.option(&["-P", "--directory-prefix"]) {
                found.push((at(dir), OutputKind::Dir, OutputOrigin::Written));
            }
        }
        "tar" => {
            if let Some(dir) = command.option(&["-C", "--directory"]) {
                found.push((at(dir), OutputKind::Dir, OutputOrigin::Written));
            }
        }
        "unzip" => {
            if let Some(dir) = command.option(&["-d"]) {
                found.push((at(dir), OutputKind::Dir, OutputOrigin::Written));
            }
        }
        "tee" => {
            for file in command.operands(1, &[]) {
                found.push((at(file), OutputKind::File, OutputOrigin::Written));
            }
        }
        _ => {
            if let Some(build) = build_output(command, cwd) {
                found.extend(build);
            }
        }
    }
}

/// Outputs of compilers, bundlers and package managers.
fn build_output(command: &ShellCommand, cwd: &str) -> Option<Found> {
    let at = |path: &str| join(cwd, path);
    let program = command.program();
    let sub = command.arg(1).unwrap_or_default();
    let build = |path: String, kind| vec![(path, kind, OutputOrigin::Build)];
    let deps = |path: String| vec![(path, OutputKind::Dir, OutputOrigin::Dependencies)];
    let found = match program {
        "go" if sub == "build" => {
            let output = command.option(&["-o"])?;
            let kind = if output.ends_with('/') {
                OutputKind::Dir
            } else {
                OutputKind::File
            };
            build(at(output), kind)
        }
        "go" if sub == "install" => {
            let gobin = command
                .assignments
                .iter()
                .find_map(|a| a.strip_prefix("GOBIN="))
                .unwrap_or("/go/bin")
                .to_string();
            let package = command.operands(2, &["-ldflags", "-tags", "-gcflags"]);
            match package.first().map(|p| go_binary_name(p)) {
                Some(Some(name)) => build(join(&gobin, &name), OutputKind::File),
                _ => build(join("/", &gobin), OutputKind::Dir),
            }
        }
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" | "rustc" | "zig" => {
            build(at(command.option(&["-o"])?), OutputKind::File)
        }
        "dotnet" if matches!(sub, "publish" | "build") => {
            build(at(command.option(&["-o", "--output"])?), OutputKind::Dir)
        }
        "javac" => build(at(command.option(&["-d"])?), OutputKind::Dir),
        "esbuild" => match command.option(&["--outfile"]) {
            Some(file) => build(at(file), OutputKind::File),
            None => build(at(command.option(&["--outdir"])?), OutputKind::Dir),
        },
        "cargo" => cargo_output(command, cwd)?,
        "tsc" => build(
            at(command.option(&["--outDir", "--outdir"]).unwrap_or("dist")),
            OutputKind::Dir,
        ),
        "vite" if sub == "build" => build(
            at(command.option(&["--outDir", "--outdir"]).unwrap_or("dist")),
            OutputKind::Dir,
        ),
        "ng" if sub == "build" => build(at("dist"), OutputKind::Dir),
        "react-scripts" if sub == "build" => build(at("build"), OutputKind::Dir),
        "next" if sub == "build" => build(at(".next"), OutputKind::Dir),
        "npx" | "pnpx" | "bunx" => {
            let rest = ShellCommand {
                words: command.words.iter().skip(1).cloned().collect(),
                ..ShellCommand::default()
            };
            build_output(&rest, cwd)?
        }
        "npm" | "yarn" | "pnpm" | "bun" => node_output(command, cwd)?,
        "python" | "python3" if command.option(&["-m"]) == Some("venv") => {
            let operands = command.operands(3, &["--prompt"]);
            deps(at(operands.first()?))
        }
        "python" | "python3" if command.option(&["-m"]) == Some("pip") => {
            let rest = ShellCommand {
                words: command.words.iter().skip(2).cloned().collect(),
                ..ShellCommand::default()
            };
            pip_output(&rest, cwd)?
        }
        "virtualenv" => deps(at(command.operands(1, &["-p", "--python"]).first()?)),
        "pip" | "pip3" => pip_output(command, cwd)?,
        "uv" if sub == "venv" => deps(at(command.operands(2, &[]).first().unwrap_or(&".venv"))),
        "uv" if sub == "sync" => deps(at(".venv")),
        "uv" if sub == "pip" => {
            let rest = ShellCommand {
                words: command.words.iter().skip(1).cloned().collect(),
                ..ShellCommand::default()
            };
            pip_output(&rest, cwd)?
        }
        "poetry" if sub == "install" => deps(at(".venv")),
        "mvn" | "mvnw" => {
            let goals = ["package", "install", "verify", "deploy"];
            if !command.words.iter().any(|w| goals.contains(&w.as_str())) {
                return None;
            }
            let project = command
                .option(&["-f", "--file"])
                .map_or_else(|| cwd.to_string(), |pom| join(cwd, &parent_dir(pom)));
            build(join(&project, "target/*.jar"), OutputKind::File)
        }
        "gradle" | "gradlew" => {
            let tasks = ["build", "bootJar", "jar", "assemble", "shadowJar"];
            if command.words.iter().any(|w| w == "installDist") {
                build(at("build/install"), OutputKind::Dir)
            } else if command.words.iter().any(|w| tasks.contains(&w.as_str())) {
                build(at("build/libs/*.jar"), OutputKind::File)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(found)
}

fn parent_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        Some(_) => "/".to_string(),
        None => ".".to_string(),
    }
}

/// `./cmd/server` → `server`, `github.com/x/tool@latest` → `tool`; `.` and `./...` name nothing
/// we can know.
fn go_binary_name(package: &str) -> Option<String> {
    let package = package.split('@').next().unwrap_or(package);
    let name = basename(package);
    (!name.is_empty() && name != "." && name != "..." && !name.contains('$'))
        .then(|| name.to_string())
}

fn cargo_output(command: &ShellCommand, cwd: &str) -> Option<Found> {
    let sub = command.arg(1).unwrap_or_default();
    if sub == "install" {
        let root = command.option(&["--root"]).unwrap_or("/usr/local/cargo");
        let bin_dir = join(&join(cwd, root), "bin");
        return Some(match command.option(&["--bin"]) {
            Some(bin) => vec![(join(&bin_dir, bin), OutputKind::File, OutputOrigin::Build)],
            None => vec![(bin_dir, OutputKind::Dir, OutputOrigin::Build)],
        });
    }
    if !matches!(sub, "build" | "b") {
        return None;
    }
    if let Some(dir) = command.option(&["--out-dir", "--artifact-dir"]) {
        return Some(vec![(join(cwd, dir), OutputKind::Dir, OutputOrigin::Build)]);
    }
    let profile = if command.has_flag(&["--release", "-r"]) {
        "release"
    } else {
        command.option(&["--profile"]).unwrap_or("debug")
    };
    let profile = if profile == "dev" { "debug" } else { profile };
    let target_dir = command.option(&["--target-dir"]).unwrap_or("target");
    let dir = match command.option(&["--target"]) {
        Some(triple) => format!("{target_dir}/{triple}/{profile}"),
        None => format!("{target_dir}/{profile}"),
    };
    let dir = join(cwd, &dir);
    let bin = command
        .option(&["--bin"])
        .or_else(|| command.option(&["-p", "--package"]));
    Some(match bin {
        Some(bin) => vec![(join(&dir, bin), OutputKind::File, OutputOrigin::Build)],
        None => vec![(dir, OutputKind::Dir, OutputOrigin::Build)],
    })
}

/// `npm ci` → `node_modules`; `npm run build` → `dist` (the common default of tsc, vite and
/// webpack configs; create-react-app's `build` is found by the extraction from other evidence).
fn node_output(command: &ShellCommand, cwd: &str) -> Option<Found> {
    let at = |path: &str| join(cwd, path);
    let operands = command.operands(1, &["--prefix", "-w", "--workspace", "--filter"]);
    let script = match operands.as_slice() {
        ["run" | "run-script", script, ..] => Some(*script),
        [script] if command.program() != "npm" && *script != "install" => Some(*script),
        _ => None,
    };
    if script.is_some_and(|s| s == "build" || s.starts_with("build:")) {
        return Some(vec![(at("dist"), OutputKind::Dir, OutputOrigin::Build)]);
    }
    let installs = matches!(
        operands.first().copied(),
        None | Some("ci" | "install" | "i" | "add")
    );
    let global = command.has_flag(&["-g", "--global"]) || operands.first() == Some(&"global");
    (installs && !global && script.is_none()).then(|| {
        vec![(
            at("node_modules"),
            OutputKind::Dir,
            OutputOrigin::Dependencies,
        )]
    })
}

/// Where `pip install`/`pip wheel` put things when told to put them somewhere.
fn pip_output(command: &ShellCommand, cwd: &str) -> Option<Found> {
    let at = |path: &str| join(cwd, path);
    let sub = command.arg(1).unwrap_or_default();
    let dir = match sub {
        "install" => {
            if let Some(dir) = command.option(&["--prefix", "--target", "-t", "--root"]) {
                at(dir)
            } else if command.has_flag(&["--user"]) {
                "/root/.local".to_string()
            } else {
                return None;
            }
        }
        "wheel" => at(command.option(&["-w", "--wheel-dir"]).unwrap_or(".")),
        _ => return None,
    };
    Some(vec![(dir, OutputKind::Dir, OutputOrigin::Dependencies)])
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::syntax::parse;

    /// The outputs of the stage at `$0` (or the last stage), one per line.
    fn check(fixture: &str, expect: Expect) {
        let offset = fixture.find("$0");
        let text = fixture.replacen("$0", "", 1);
        let tree = parse(&text).tree;
        let model = Model::build(&tree);
        let stage = offset
            .and_then(|o| model.stage_at(o))
            .or(model.final_stage())
            .map_or(0, |s| s.index);
        let mut out = String::new();
        for output in stage_outputs(&tree, &model, stage) {
            out.push_str(&format!(
                "{} {:?} {:?} ({})\n",
                output.path, output.kind, output.origin, output.why
            ));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn typescript_builder() {
        check(
            r#"
FROM node:20-alpine AS builder
WORKDIR /app
COPY package*.json tsconfig.json ./
RUN npm ci
COPY src/ src/
RUN npm run build
"#,
            expect![[r#"
                /app Dir Workdir (WORKDIR, `WORKDIR /app`, line 3)
                /app/package*.json File Copied (copied by `COPY package*.json tsconfig.json ./`, line 4)
                /app/tsconfig.json File Copied (copied by `COPY package*.json tsconfig.json ./`, line 4)
                /app/node_modules Dir Dependencies (produced by `RUN npm ci`, line 5)
                /app/src Dir Copied (copied by `COPY src/ src/`, line 6)
                /app/dist Dir Build (produced by `RUN npm run build`, line 7)
            "#]],
        );
    }

    #[test]
    fn relative_workdirs_variables_and_inheritance() {
        check(
            r#"
FROM golang:1.22 AS base
ENV APP_HOME=/src
WORKDIR $APP_HOME
WORKDIR service
FROM base AS build$0
RUN cd cmd && CGO_ENABLED=0 go build -o ../bin/server ./server && mkdir -p /out/logs
RUN go install github.com/x/tool@latest > /tmp/log.txt 2>&1
"#,
            expect![[r#"
                /src Dir Workdir (WORKDIR, `WORKDIR $APP_HOME`, line 4)
                /src/service Dir Workdir (WORKDIR, `WORKDIR service`, line 5)
                /src/service/bin/server File Build (produced by `RUN cd cmd && CGO_ENABLED=0 go build -o ../bin/server ./serv…`, line 7)
                /out/logs Dir Written (produced by `RUN cd cmd && CGO_ENABLED=0 go build -o ../bin/server ./serv…`, line 7)
                /tmp/log.txt File Written (produced by `RUN go install github.com/x/tool@latest > /tmp/log.txt 2>&1`, line 8)
                /go/bin/tool File Build (produced by `RUN go install github.com/x/tool@latest > /tmp/log.txt 2>&1`, line 8)
            "#]],
        );
    }

    #[test]
    fn rust_python_java_and_cache_mounts() {
        check(
            r#"
FROM rust:1.80 AS rust
WORKDIR /usr/src/app
RUN --mount=type=cache,target=/usr/src/app/target cargo build --release --bin api
RUN cargo build --release --bin api && cp target/release/api /usr/local/bin/
FROM python:3.12 AS py
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --prefix=/install -r req.txt
RUN pip wheel --wheel-dir /wheels -r req.txt
FROM maven:3.9-eclipse-temurin-21 AS java$0
WORKDIR /build
RUN ["sh", "-c", "mvn -B package -DskipTests"]
RUN <<EOF
gradle bootJar --no-daemon
echo done > /build/status
EOF
"#,
            expect![[r#"
                /build Dir Workdir (WORKDIR, `WORKDIR /build`, line 10)
                /build/target/*.jar File Build (produced by `RUN ["sh", "-c", "mvn -B package -DskipTests"]`, line 11)
                /build/build/libs/*.jar File Build (produced by `RUN <<EOF…`, line 12)
                /build/status File Written (produced by `RUN <<EOF…`, line 12)
            "#]],
        );
        check(
            r#"
FROM rust:1.80 AS rust$0
WORKDIR /usr/src/app
RUN --mount=type=cache,target=/usr/src/app/target cargo build --release --bin api
RUN cargo build --release --bin api && cp target/release/api /usr/local/bin/
"#,
            expect![[r#"
                /usr/src/app Dir Workdir (WORKDIR, `WORKDIR /usr/src/app`, line 3)
                /usr/src/app/target/release/api File Build (produced by `RUN cargo build --release --bin api && cp target/release/api…`, line 5)
                /usr/local/bin Dir Written (produced by `RUN cargo build --release --bin api && cp target/release/api…`, line 5)
            "#]],
        );
        check(
            r#"
FROM python:3.12 AS py$0
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --prefix=/install -r req.txt
RUN pip wheel --wheel-dir /wheels -r req.txt
"#,
            expect![[r#"
                /opt/venv Dir Dependencies (produced by `RUN python -m venv /opt/venv && /opt/venv/bin/pip install --…`, line 3)
                /install Dir Dependencies (produced by `RUN python -m venv /opt/venv && /opt/venv/bin/pip install --…`, line 3)
                /wheels Dir Dependencies (produced by `RUN pip wheel --wheel-dir /wheels -r req.txt`, line 4)
            "#]],
        );
    }

    #[test]
    fn copy_from_another_stage_takes_its_kind() {
        check(
            r#"
FROM golang:1.22 AS build
RUN go build -o /out/server .
FROM alpine
COPY --from=build /out/server /usr/local/bin/app
COPY --from=build /out/ /srv
COPY ["a b.txt", "/data/"]
"#,
            expect![[r#"
                /usr/local/bin/app File Copied (copied by `COPY --from=build /out/server /usr/local/bin/app`, line 5)
                /srv Dir Copied (copied by `COPY --from=build /out/ /srv`, line 6)
                /data/a b.txt File Copied (copied by `COPY ["a b.txt", "/data/"]`, line 7)
            "#]],
        );
    }

    #[test]
    fn paths_one_level_below_a_prefix() {
        let text = "FROM node:20 AS b\nWORKDIR /app\nCOPY package.json .\nRUN npm ci && npm run build\nFROM nginx\n";
        let tree = parse(text).tree;
        let model = Model::build(&tree);
        let listing = |prefix| paths_under(&tree, &model, 0, prefix).join(" ");
        assert_eq!(listing(""), "/");
        assert_eq!(listing("/"), "/app/");
        assert_eq!(
            listing("/app/"),
            "/app/dist/ /app/node_modules/ /app/package.json"
        );
        assert_eq!(listing("/app/d"), "/app/dist/");
        assert_eq!(workdir_at(&tree, &model, 3), "/app");
    }

    #[test]
    fn shell_command_splitting() {
        let commands = shell_commands(
            "set -e; FOO=1 sudo apt-get install -y 'a b' \\\n && echo \"x\" >>/log 2>&1 | tee out.txt # done",
        );
        let rendered: Vec<String> = commands
            .iter()
            .map(|c| format!("{:?} {:?} {:?}", c.assignments, c.words, c.redirects))
            .collect();
        expect![[r#"
            [
                "[] [\"set\", \"-e\"] []",
                "[\"FOO=1\"] [\"apt-get\", \"install\", \"-y\", \"a b\"] []",
                "[] [\"echo\", \"x\"] [\"/log\"]",
                "[] [\"tee\", \"out.txt\"] []",
            ]
        "#]]
        .assert_debug_eq(&rendered);
    }
}
