#!/usr/bin/env bash
# Installs code-server (a real VS Code server with a Node extension host) into .vscode-test/, so the
# integration and browser suites run inside VS Code without downloading anything but npm and Debian packages.
# Idempotent: a stamp file records the installed version, and a changed pin reinstalls.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.vscode-test/code-server"
stamp="$cache/.installed-version"

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "Missing system packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$CODE_SERVER_VERSION" ]; then
  echo "$cache/node_modules/code-server/out/node/entry.js"
  exit 0
fi

echo "Installing code-server $CODE_SERVER_VERSION into $cache ..." >&2
rm -rf "$cache"
mkdir -p "$cache"
cd "$cache"
echo '{"name":"vscode-test-host","private":true}' > package.json
npm install --no-save --ignore-scripts --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2

cs="$cache/node_modules/code-server"
# argon2 is a native addon of code-server's own password login; it has to be built for this Node.
(cd "$cache" && npm rebuild argon2 >&2)

prepare_vscode_dir() {
  (cd "$1" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >&2)
}

prepare_vscode_dir "$cs/lib/vscode"
rgdir="$cs/lib/vscode/node_modules/@vscode/ripgrep/bin"
mkdir -p "$rgdir"
ln -sf "$(command -v rg)" "$rgdir/rg"
(cd "$cs/lib/vscode" && npm_config_yes=true npm rebuild >&2)
ln -sfn node_modules "$cs/lib/vscode/node_modules.asar"

prepare_vscode_dir "$cs/lib/vscode/extensions"
(cd "$cs/lib/vscode/extensions" && node postinstall.mjs >&2)

echo "$CODE_SERVER_VERSION" > "$stamp"
echo "$cs/out/node/entry.js"
