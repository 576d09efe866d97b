//! `stagesmith check [PATH…]`: lint Dockerfiles for people and CI.
//!
//! For each file: parse, load the nearest `.stagesmith.toml` (once per config file), read the
//! `.dockerignore` that applies, run the rules, apply the configured levels, then render every
//! file in the chosen format. Findings at or above `--fail-level` make the exit status 1; a path,
//! file or config that cannot be used makes it 2 (and its file is not linted, so a broken config
//! never produces a misleading report).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use annotate_snippets::Renderer;
use clap::{Args, ValueEnum};

use super::discover::{self, Input};
use super::format::{self, FileReport, OutputFormat};
use super::{Status, report_error, report_warning, write_to};
use crate::config::{self, Config, RuleLevel};
use crate::ide::diagnostics::{self, Diagnostic, LintContext, Severity};
use crate::model::Model;
use crate::syntax;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when nothing reaches --fail-level, 1 when something does, \
2 on a usage, I/O or configuration error.\n\
Each file uses the nearest .stagesmith.toml above it (up to the folder holding .git)."
)]
pub struct CheckArgs {
    /// Files and folders to lint. Folders are searched for Dockerfile, Containerfile, *.Dockerfile,
    /// *.dockerfile, Dockerfile.* and Containerfile.*, skipping .git, node_modules and target.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// How to report.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailLevel::Error)]
    fail_level: FailLevel,
    /// Colour for the human format (`auto` honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailLevel {
    Error,
    Warning,
    Info,
    Hint,
}

impl FailLevel {
    fn severity(self) -> Severity {
        match self {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Info => Severity::Info,
            FailLevel::Hint => Severity::Hint,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

pub fn run(args: &CheckArgs) -> Status {
    let discovery = discover::discover(&args.paths);
    let mut trouble = !discovery.errors.is_empty();
    for error in &discovery.errors {
        report_error(error);
    }
    for warning in &discovery.warnings {
        report_warning(warning);
    }
    if discovery.inputs.is_empty() && !trouble {
        report_warning("no Dockerfiles found");
    }
    let mut configs = ConfigCache::default();
    let mut reports = Vec::with_capacity(discovery.inputs.len());
    for input in &discovery.inputs {
        match check_file(input, &mut configs) {
            Ok(report) => reports.push(report),
            Err(problems) => {
                trouble = true;
                for problem in problems {
                    report_error(&problem);
                }
            }
        }
    }
    let write_status = emit(args, &reports);
    let fail_at = args.fail_level.severity();
    let failing = reports
        .iter()
        .flat_map(|report| &report.diagnostics)
        .any(|diagnostic| diagnostic.severity >= fail_at);
    if trouble || write_status == Status::Trouble {
        Status::Trouble
    } else if failing {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// Reports go to stdout; the summary joins them in the human format and goes to stderr otherwise,
/// so machine output stays parseable.
fn emit(args: &CheckArgs, reports: &[FileReport]) -> Status {
    let summary = format!("{}\n", format::summary(reports));
    match format::render_machine(args.format, reports) {
        Some(machine) => {
            let status = write_to(&mut std::io::stdout(), &machine);
            write_to(&mut anstream::stderr(), &summary);
            status
        }
        None => {
            let choice = match args.color {
                ColorWhen::Auto => anstream::AutoStream::choice(&std::io::stdout()),
                ColorWhen::Always => anstream::ColorChoice::Always,
                ColorWhen::Never => anstream::ColorChoice::Never,
            };
            let human = format::render_human(reports, &Renderer::styled());
            let mut stdout = anstream::AutoStream::new(std::io::stdout(), choice);
            write_to(&mut stdout, &(human + &summary))
        }
    }
}

fn check_file(input: &Input, configs: &mut ConfigCache) -> Result<FileReport, Vec<String>> {
    let bytes = config::read_workspace_file(&input.source, &input.workspace_root)
        .map_err(|error| vec![format!("cannot read {}: {error}", input.display)])?;
    let (text, invalid_utf8) = config::decode_dockerfile(bytes);
    let config = configs.for_file(input)?;
    let dockerignore = match config::find_dockerignore(&input.location) {
        Some(path) => Some(
            config::read_workspace_file(&path, &input.workspace_root)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .map_err(|error| {
                    vec![format!(
                        "{}: not checked because {} cannot be read: {error}",
                        input.display,
                        shown_path(&path)
                    )]
                })?,
        ),
        None => None,
    };
    let parse = syntax::parse(&text);
    let model = Model::build(&parse.tree);
    let context = LintContext {
        config: &config,
        dockerignore: dockerignore.as_deref(),
    };
    let mut found = diagnostics::diagnostics(&parse, &model, &context);
    found.extend(invalid_utf8.map(|invalid| {
        Diagnostic::new(
            "InvalidUtf8",
            Severity::Warning,
            invalid.replacement,
            invalid.message(),
        )
    }));
    let diagnostics = with_configured_levels(&config, found);
    Ok(FileReport {
        path: input.display.clone(),
        text,
        diagnostics,
    })
}

/// Drop what the config turns off, re-level what it changes, and order by position.
fn with_configured_levels(config: &Config, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut diagnostic| {
            match config.effective_level(diagnostic.code, RuleLevel::On(diagnostic.severity)) {
                RuleLevel::Off => None,
                RuleLevel::On(severity) => {
                    diagnostic.severity = severity;
                    Some(diagnostic)
                }
            }
        })
        .collect();
    kept.sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.span.end, diagnostic.code));
    kept
}

/// Configs by the file that defines them (or none) and the workspace root its reading was checked
/// against, loaded once. An invalid one is reported the first time, and every file it governs is
/// refused with a pointer to it.
#[derive(Default)]
struct ConfigCache {
    loaded: HashMap<(Option<PathBuf>, PathBuf), Option<Config>>,
}

impl ConfigCache {
    /// The config that governs `input`. Its errors are returned once, the first time; after that
    /// only the note that the file was skipped.
    fn for_file(&mut self, input: &Input) -> Result<Config, Vec<String>> {
        let folder = input.location.parent().unwrap_or(&input.location);
        let path = config::find_config_file(folder);
        let key = (path.clone(), input.workspace_root.clone());
        let (config, mut problems) = match self.loaded.get(&key) {
            Some(loaded) => (loaded.clone(), Vec::new()),
            None => {
                let outcome = match &path {
                    None => Ok(Config::default()),
                    Some(path) => load_config(path, &input.workspace_root),
                };
                let (config, problems) = match outcome {
                    Ok(config) => (Some(config), Vec::new()),
                    Err(problems) => (None, problems),
                };
                self.loaded.insert(key, config.clone());
                (config, problems)
            }
        };
        config.ok_or_else(|| {
            let shown = path.as_deref().map(shown_path).unwrap_or_default();
            problems.push(format!(
                "{}: not checked because {shown} could not be used",
                input.display
            ));
            problems
        })
    }
}

fn load_config(path: &Path, workspace_root: &Path) -> Result<Config, Vec<String>> {
    let mut config = Config::default();
    config.apply_toml_file(path, workspace_root, Path::new(&shown_path(path)))?;
    Ok(config)
}

/// Paths we found ourselves are canonical; relative to the current folder they read better and
/// match the paths the user typed.
fn shown_path(path: &Path) -> String {
    std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::with_configured_levels;
    use crate::config::{Config, RuleLevel};
    use crate::ide::diagnostics::{Diagnostic, Severity};
    use crate::syntax::Span;

    #[test]
    fn configured_levels_drop_relevel_and_sort() {
        let mut config = Config::default();
        config.rules.insert("Quiet".to_owned(), RuleLevel::Off);
        config
            .rules
            .insert("Loud".to_owned(), RuleLevel::On(Severity::Error));
        let diagnostics = vec![
            Diagnostic::new("Untouched", Severity::Info, Span::new(9, 12), "c"),
            Diagnostic::new("Quiet", Severity::Warning, Span::new(0, 4), "a"),
            Diagnostic::new("Loud", Severity::Hint, Span::new(5, 8), "b"),
        ];
        let kept: Vec<(&str, Severity)> = with_configured_levels(&config, diagnostics)
            .iter()
            .map(|diagnostic| (diagnostic.code, diagnostic.severity))
            .collect();
        assert_eq!(
            kept,
            [("Loud", Severity::Error), ("Untouched", Severity::Info)]
        );
    }
}
