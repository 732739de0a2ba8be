#!/usr/bin/env bash
# A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }):
# forwards --extensionDevelopmentPath / --extensionTestsPath and the folder to code-server.
dev= tests= folder=
for a in "$@"; do
  case "$a" in
    --extensionDevelopmentPath=*) dev="${a#*=}";;
    --extensionTestsPath=*) tests="${a#*=}";;
    --*) ;;
    *) [ -d "$a" ] && folder="$a";;
  esac
done
exec node "$(dirname "$0")/runInCodeServer.mjs" "$dev" "$tests" $folder
