# Shared by the editor test scripts (sourced, not run).

editors_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_dir="$(cd "$editors_dir/.." && pwd)"
# Downloaded editors (Neovim venv, code-server) live here between runs.
cache_dir="${STAGESMITH_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stagesmith-editors}"

log() { printf '[editors] %s\n' "$*" >&2; }

# apt-get install the Debian packages that are not installed yet: `ensure_apt PACKAGE ...`.
ensure_apt() {
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
      missing+=("$package")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# Sets STAGESMITH_SERVER to the binary under test, building the debug server only when it is unset.
ensure_server() {
  if [ -z "${STAGESMITH_SERVER:-}" ]; then
    log "STAGESMITH_SERVER unset: cargo build -p stagesmith"
    (cd "$repo_dir" && cargo build -q -p stagesmith >&2)
    STAGESMITH_SERVER="${CARGO_TARGET_DIR:-$repo_dir/target}/debug/stagesmith"
  fi
  if [ ! -x "$STAGESMITH_SERVER" ]; then
    log "STAGESMITH_SERVER=$STAGESMITH_SERVER is not an executable file"
    return 1
  fi
  STAGESMITH_SERVER="$(cd "$(dirname "$STAGESMITH_SERVER")" && pwd)/$(basename "$STAGESMITH_SERVER")"
  export STAGESMITH_SERVER
}

# `npm ci` in editors/vscode unless node_modules matches the lock file already.
ensure_vscode_node_modules() {
  local dir="$editors_dir/vscode"
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.stamp" 2>/dev/null; then
    log "npm ci in editors/vscode"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    cp "$dir/package-lock.json" "$dir/node_modules/.package-lock.stamp"
  fi
}
