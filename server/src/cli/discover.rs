//! Finding the Dockerfiles `check` lints: the paths named on the command line, and the files with a
//! Dockerfile name under the folders named there.
//!
//! A folder walk never leaves its root: a symlink is followed only when its target lies inside the
//! walked folder, and each real folder and file is visited once, so link cycles end.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Folders that never hold a project's own Dockerfiles but can be huge.
const SKIPPED_FOLDERS: [&str; 3] = [".git", "node_modules", "target"];

pub use crate::lsp::is_dockerfile_name;

/// A Dockerfile to lint and the places that matter around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as the user will read it in reports.
    pub display: String,
    /// Where the file sits (canonical folder + its own name, even when the file is a symlink): its
    /// folder is the build context whose `.dockerignore` applies.
    pub location: PathBuf,
    /// The real file to read.
    pub source: PathBuf,
    /// The canonical folder no symlink may leave when reading `.dockerignore` and
    /// `.stagesmith.toml`: the enclosing git work tree, else the folder that was named.
    pub workspace_root: PathBuf,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    /// Paths that could not be used at all: the run must fail.
    pub errors: Vec<String>,
    /// Things skipped on purpose that the user may want to know about.
    pub warnings: Vec<String>,
}

pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen_sources = HashSet::new();
    for path in paths {
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(error) => {
                discovery
                    .errors
                    .push(format!("cannot read {}: {error}", path.display()));
                continue;
            }
        };
        if canonical.is_dir() {
            Walk {
                root: &canonical,
                workspace_root: enclosing_work_tree(&canonical),
                visited_folders: HashSet::from([canonical.clone()]),
                seen_sources: &mut seen_sources,
                linked_files: Vec::new(),
                discovery: &mut discovery,
            }
            .run(&display_root(path));
        } else if canonical.is_file() {
            // Named explicitly: the user vouches for it, whatever its name or where a link points.
            let Some(location) = canonical_location(path) else {
                discovery
                    .errors
                    .push(format!("cannot resolve the folder of {}", path.display()));
                continue;
            };
            let folder = location.parent().unwrap_or(&location).to_path_buf();
            if seen_sources.insert(canonical.clone()) {
                discovery.inputs.push(Input {
                    display: path.display().to_string(),
                    location,
                    source: canonical,
                    workspace_root: enclosing_work_tree(&folder),
                });
            }
        } else {
            discovery
                .errors
                .push(format!("{} is neither a file nor a folder", path.display()));
        }
    }
    discovery
}

/// The folder's own canonical path joined with the entry's name, without resolving the entry itself.
fn canonical_location(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}

/// Reports under `.` read best without the `./`.
fn display_root(path: &Path) -> PathBuf {
    if path == Path::new(".") {
        PathBuf::new()
    } else {
        path.to_path_buf()
    }
}

/// The nearest folder from `folder` upward that holds `.git` (a folder, or a file in a worktree),
/// else `folder` itself.
fn enclosing_work_tree(folder: &Path) -> PathBuf {
    folder
        .ancestors()
        .find(|ancestor| ancestor.join(".git").exists())
        .unwrap_or(folder)
        .to_path_buf()
}

struct Walk<'a> {
    root: &'a Path,
    workspace_root: PathBuf,
    visited_folders: HashSet<PathBuf>,
    seen_sources: &'a mut HashSet<PathBuf>,
    /// Linked Dockerfiles wait until the walk is over, so a file that is also reachable under its
    /// real name is reported under that name.
    linked_files: Vec<Input>,
    discovery: &'a mut Discovery,
}

impl Walk<'_> {
    fn run(mut self, shown_root: &Path) {
        let root = self.root.to_path_buf();
        self.folder(&root, shown_root);
        for input in std::mem::take(&mut self.linked_files) {
            if self.seen_sources.insert(input.source.clone()) {
                self.discovery.inputs.push(input);
            }
        }
    }

    /// `real` is canonical; `shown` is the same folder as the user will read it.
    fn folder(&mut self, real: &Path, shown: &Path) {
        let entries = match fs::read_dir(real) {
            Ok(entries) => entries,
            Err(error) => {
                self.discovery
                    .warnings
                    .push(format!("skipping {}: {error}", shown.display()));
                return;
            }
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let name = entry.file_name();
            let Some(name) = name.to_str().filter(|name| !SKIPPED_FOLDERS.contains(name)) else {
                continue;
            };
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let path = real.join(name);
            let shown_path = shown.join(name);
            let target = if file_type.is_symlink() {
                match fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(self.root) => target,
                    Ok(target) => {
                        // Only links the walk would have entered or linted are worth a word.
                        if target.is_dir() || is_dockerfile_name(name) {
                            self.discovery.warnings.push(format!(
                                "skipping {}: it links to {}, outside {}",
                                shown_path.display(),
                                target.display(),
                                self.root.display()
                            ));
                        }
                        continue;
                    }
                    // A dangling link is nothing to lint.
                    Err(_) => continue,
                }
            } else {
                path.clone()
            };
            if target.is_dir() {
                if self.visited_folders.insert(target.clone()) {
                    self.folder(&target, &shown_path);
                }
            } else if target.is_file() && is_dockerfile_name(name) {
                let input = Input {
                    display: shown_path.display().to_string(),
                    location: path,
                    source: target,
                    workspace_root: self.workspace_root.clone(),
                };
                if file_type.is_symlink() {
                    self.linked_files.push(input);
                } else if self.seen_sources.insert(input.source.clone()) {
                    self.discovery.inputs.push(input);
                }
            }
        }
    }
}
