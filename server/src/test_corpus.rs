//! The shared corpus of real Dockerfiles (`../shared/corpus/real`), for tests that run over all
//! of it.

use std::path::{Path, PathBuf};

/// Every real Dockerfile of the corpus, sorted by name.
pub(crate) fn real_files() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    let entries = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("the corpus at {}: {error}", folder.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_none_or(|ext| ext != "tsv"))
        .collect();
    files.sort();
    assert!(
        files.len() > 250,
        "the corpus at {} is incomplete",
        folder.display()
    );
    files
}

/// A corpus file's text (invalid UTF-8 replaced, as an editor would show it).
pub(crate) fn read(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
