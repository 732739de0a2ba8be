#!/usr/bin/env bash
# What the vscode suite needs beyond npm: Debian's chromium and ripgrep, the headers code-server's
# native modules build against, and code-server itself (installCodeServer.sh). Idempotent and
# quiet; the vscode suite runs it when something is missing, so `npm test` works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || ! dpkg -s libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "the VS Code tests need Debian packages (chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev): install them as root" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium ripgrep pkg-config build-essential python3 libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev >/dev/null
fi
mkdir -p .vscode-test
bash test/vscode/installCodeServer.sh > .vscode-test/install.log 2>&1 || { tail -50 .vscode-test/install.log >&2; exit 1; }
