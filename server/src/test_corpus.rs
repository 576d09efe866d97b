//! The shared corpus of real Dockerfiles (`../shared/corpus/real`), for tests that run over all
//! of it.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

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

/// Text an edit inserts: Dockerfile fragments and the characters that make conversion and
/// parsing hard (line breaks of all kinds, continuations, heredocs, multi-byte characters).
pub(crate) fn inserted_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(""),
        Just("x"),
        Just(" "),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just("\\\n"),
        Just("\\"),
        Just("`"),
        Just("<<EOF"),
        Just("EOF\n"),
        Just("RUN <<EOF\necho hi\nEOF\n"),
        Just("FROM alpine AS b\n"),
        Just("COPY --from=b /a /b\n"),
        Just("ONBUILD "),
        Just("# check=skip=all\n"),
        Just("# escape=`\n"),
        Just("#"),
        Just("${A:-x}"),
        Just("[\"a\", "),
        Just("😀"),
        Just("漢"),
        // Characters that share leading (漢 漣) or trailing (é ©) bytes with another.
        Just("漣"),
        Just("é"),
        Just("©"),
        Just("\""),
    ];
    proptest::collection::vec(piece, 0..4).prop_map(|pieces| pieces.concat())
}

/// The byte range an edit replaces: from `start` (scaled to the text) for `length` bytes, both
/// ends moved back to character boundaries.
pub(crate) fn edit_range(
    text: &str,
    start: &proptest::sample::Index,
    length: usize,
) -> (usize, usize) {
    let start = floor_char_boundary(text, start.index(text.len() + 1));
    (start, floor_char_boundary(text, start + length))
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    (0..=offset.min(text.len()))
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0)
}
