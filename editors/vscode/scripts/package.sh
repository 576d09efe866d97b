#!/usr/bin/env bash
# Builds stagesmith-<version>.vsix with the server binary for this machine bundled in
# server/<platform>-<arch>/stagesmith (where the extension looks before PATH).
#   scripts/package.sh                    bundles `cargo build --release -p stagesmith`
#   scripts/package.sh --server PATH      bundles an existing binary instead (the e2e test uses a debug build)
#   scripts/package.sh --no-server        no bundled binary: the extension uses the setting or PATH
# Writes the .vsix path to stdout as its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"

server_binary=""
bundle=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_binary="${2:?--server needs a path}"; shift 2 ;;
    --no-server) bundle=no; shift ;;
    *) echo "usage: $0 [--server PATH | --no-server]" >&2; exit 2 ;;
  esac
done

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund >&2
fi

rm -rf server
if [ "$bundle" = yes ]; then
  if [ -z "$server_binary" ]; then
    (cd "$repo" && cargo build --release -p stagesmith >&2)
    server_binary="${CARGO_TARGET_DIR:-$repo/target}/release/stagesmith"
  fi
  target="$(node -p 'process.platform + "-" + process.arch')"
  mkdir -p "server/$target"
  install -m 0755 "$server_binary" "server/$target/stagesmith"
fi

node scripts/build.mjs --production >&2
version="$(node -p 'require("./package.json").version')"
vsix="$here/stagesmith-$version.vsix"
npx --no-install vsce package --no-dependencies --skip-license --allow-missing-repository --out "$vsix" >&2
echo "$vsix"
