#!/usr/bin/env bash
# End-to-end test of the extension in a real VS Code: code-server (the last release on Node 20) with the
# .vsix installed, driven by headless Chromium through playwright-core. Installs what it needs into the
# editors cache on first use (~2 minutes, then cached).
#   STAGESMITH_SERVER=/path/to/stagesmith editors/vscode/scripts/e2e.sh
# Screenshots of each step land in editors/vscode/e2e/out/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

CODE_SERVER_VERSION=4.100.3 # 4.101+ need Node 22
vscode_dir="$editors_dir/vscode"
code_server_dir="$cache_dir/code-server-$CODE_SERVER_VERSION"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  log "code-server $CODE_SERVER_VERSION needs Node 20, this is Node $node_major"
  exit 1
fi

# code-server's postinstall would fetch ripgrep from GitHub and prebuilt native modules from elsewhere;
# instead install with scripts off, build the native modules it loads from source against the local
# Node headers, and link Debian's rg where @vscode/ripgrep expects its download.
install_code_server() {
  local node_gyp
  node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  local node_headers=/usr
  [ -f "$node_headers/include/node/node.h" ] || node_headers="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  local npm_install=(npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  local staging="$code_server_dir.partial"
  rm -rf "$staging" && mkdir -p "$staging"
  log "installing code-server $CODE_SERVER_VERSION into $code_server_dir"
  (cd "$staging" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null && tar xzf "code-server-$CODE_SERVER_VERSION.tgz" --strip-components=1 && rm "code-server-$CODE_SERVER_VERSION.tgz")
  (cd "$staging" && "${npm_install[@]}" >&2)
  (cd "$staging" && npm_config_nodedir="$node_headers" npm_config_build_from_source=true npm rebuild argon2 --loglevel=error >&2)
  (cd "$staging/lib/vscode" && "${npm_install[@]}" >&2 && ln -sfn node_modules node_modules.asar)
  local module
  for module in @vscode/spdlog native-watchdog node-pty; do
    (cd "$staging/lib/vscode/node_modules/$module" && node "$node_gyp" rebuild --nodedir="$node_headers" --loglevel=error >&2)
  done
  mkdir -p "$staging/lib/vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$staging/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  (cd "$staging/lib/vscode/extensions" && "${npm_install[@]}" >&2)
  rm -rf "$code_server_dir" && mv "$staging" "$code_server_dir"
}

started=$SECONDS
ensure_apt chromium ripgrep g++ make curl
ensure_server
ensure_vscode_node_modules
[ -f "$code_server_dir/out/node/entry.js" ] || install_code_server
log "prerequisites ready after $((SECONDS - started)) s"

work="$(mktemp -d)"
code_server_pid=""
cleanup() {
  if [ -n "$code_server_pid" ]; then
    kill "$code_server_pid" 2>/dev/null || true
    wait "$code_server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

vsix="$("$vscode_dir/scripts/package.sh" --server "$STAGESMITH_SERVER" | tail -n 1)"
log "packaged $vsix after $((SECONDS - started)) s"
mkdir -p "$work/project" "$work/data/User" "$work/extensions" "$work/home"
cp "$editors_dir/test-fixture/Containerfile" "$editors_dir/test-fixture/.dockerignore" "$work/project/"
cat > "$work/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  "editor.suggestOnTriggerCharacters": false,
  "editor.wordBasedSuggestions": "off",
  "stagesmith.rules": { "FromAsCasing": "error" }
}
JSON

code_server=(node "$code_server_dir/out/node/entry.js" --user-data-dir "$work/data" --extensions-dir "$work/extensions")
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
"${code_server[@]}" --install-extension "$vsix" >&2

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
"${code_server[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened \
  "$work/project" >"$work/code-server.log" 2>&1 &
code_server_pid=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$code_server_pid" 2>/dev/null || break
  sleep 0.1
done
log "code-server up after $((SECONDS - started)) s"

status=0
(cd "$vscode_dir" && node e2e/run.mjs "http://127.0.0.1:$port/?folder=$work/project") || status=$?
if [ "$status" -ne 0 ]; then
  log "code-server log:"
  tail -n 40 "$work/code-server.log" >&2
  log "extension host / stagesmith logs:"
  find "$work/data/logs" -type f \( -path '*stagesmith*' -o -name 'exthost.log' \) 2>/dev/null | while read -r file; do
    log "--- $file"
    tail -n 40 "$file" >&2
  done
fi
log "vscode e2e took $((SECONDS - started)) s"
exit "$status"
