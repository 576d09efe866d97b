//! Shared by the `cli_*` tests: a throw-away workspace on disk and a way to run the real binary in it.
#![allow(dead_code)] // Each test crate that includes this module uses only part of it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A folder under cargo's per-test temp dir, removed on drop. It holds a `.git` folder so the
/// upward search for `.stagesmith.toml` stops here, as it does at the root of a real repository.
pub struct Workspace {
    pub root: PathBuf,
}

pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Workspace {
    pub fn new(files: &[(&str, &str)]) -> Workspace {
        let workspace = Workspace::bare();
        fs::create_dir_all(workspace.root.join(".git")).unwrap();
        for (path, content) in files {
            workspace.write(path, content.as_bytes());
        }
        workspace
    }

    /// Without the `.git` marker.
    pub fn bare() -> Workspace {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "cli-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        Workspace {
            root: fs::canonicalize(root).unwrap(),
        }
    }

    pub fn write(&self, path: &str, content: &[u8]) {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Run `stagesmith args…` with the workspace as the current folder and colour off.
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.run_in("", args)
    }

    pub fn run_in(&self, folder: &str, args: &[&str]) -> Outcome {
        let output = Command::new(env!("CARGO_BIN_EXE_stagesmith"))
            .args(args)
            .current_dir(self.root.join(folder))
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap();
        Outcome {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

impl Outcome {
    /// Exit code, stdout and stderr in one string for a snapshot.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A Dockerfile whose only problem is a syntax error every rule set agrees on: an unterminated
/// heredoc (the rest is tagged, non-root and single-stage, so later rules stay quiet).
pub const UNTERMINATED_HEREDOC: &str = "FROM alpine:3.20\nUSER 1001\nRUN <<EOF\necho hi\n";

/// A Dockerfile with no problem at all.
pub const CLEAN: &str = "FROM alpine:3.20\nUSER 1001\nCMD [\"echo\", \"hi\"]\n";
