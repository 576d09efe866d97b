#!/usr/bin/env bash
# Every test: the Rust workspace (unit, conformance, corpus, black-box LSP) and the editor clients.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$(pwd)/$target_dir" ;; esac
STAGESMITH_SERVER="${STAGESMITH_SERVER:-$target_dir/debug/stagesmith}" bash editors/scripts/test.sh
