#!/usr/bin/env bash
# Every test: the Rust workspace (unit, conformance, corpus, black-box LSP) and the editor clients.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
STAGESMITH_SERVER="${STAGESMITH_SERVER:-$(pwd)/${CARGO_TARGET_DIR:-target}/debug/stagesmith}" \
  bash editors/scripts/test.sh
