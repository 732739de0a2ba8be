#!/usr/bin/env node
// The `redundancymaster` command: the engine bundle is the CLI.
require("../dist/engine.js").runCli();
