#!/usr/bin/env bash
# Installs code-server (VS Code's server build, from npm) into the git-ignored .vscode-test/, for the
# extension-host and UI tests; desktop VS Code and Electron cannot be downloaded offline.
# Needs the apt packages listed in .ci/run. Idempotent: does nothing when already installed.
# A plain `npm install code-server` fails (root check, kerberos headers, ripgrep download, npx
# refusing node-gyp); each step below works around one of those.
set -euo pipefail
export npm_config_yes=true   # node-pty's install runs `npx node-gyp`
CS_VERSION="${CS_VERSION:-4.99.4}"   # VS Code 1.99.3: the last code-server whose engines.node is 20
DIR="$(cd "$(dirname "$0")/../.." && pwd)/.vscode-test/code-server"
if [ -x "$DIR/node_modules/.bin/code-server" ] && [ -f "$DIR/.installed-$CS_VERSION" ]; then exit 0; fi
mkdir -p "$DIR" && cd "$DIR"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
npm install --no-save --no-audit --no-fund --ignore-scripts "code-server@$CS_VERSION"
npm rebuild argon2            # prebuilt download fails, so it builds from source
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg   # its postinstall skips the download when bin/ exists
npm rebuild                    # node-pty, spdlog, kerberos, watcher, ... from source
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
( cd bin/remote-cli && ln -sf code-linux.sh code-server )
( cd bin/helpers && ln -sf browser-linux.sh browser.sh )
cd extensions
npm install --omit=dev --no-audit --no-fund
touch "$DIR/.installed-$CS_VERSION"
echo "code-server $CS_VERSION installed in $DIR"
