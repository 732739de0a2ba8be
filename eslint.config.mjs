// Few rules, each for a mistake that has cost this project or would cost a plant: a promise nobody
// awaits (an unhandled rejection ends the engine), and the boundaries between the three parts
// (the engine and the language server run without VS Code; the client never carries node-opcua,
// and of the engine it imports only engine/src/control/clientApi.ts, the one door a change to the
// engine's internals has to pass to reach the extension's bundle), and node-opcua's internals used
// only behind their one door, engine/src/opcuaInternals/, where each has a test that fails when a
// node-opcua upgrade changes it (scripts/eslint/opcuaInternals.mjs says what the rule refuses).
import tseslint from "typescript-eslint";
import { opcuaInternals } from "./scripts/eslint/opcuaInternals.mjs";

const noVscode = { name: "vscode", message: "Only the extension (client/) runs inside VS Code." };
const noOpcua = { group: ["node-opcua", "node-opcua-*"], message: "node-opcua lives in the engine and language server bundles, never in the client's." };
const onlyClientApi = {
  regex: "(^|/)engine/(?!src/control/clientApi$)",
  message: "The client imports the engine only through engine/src/control/clientApi.ts (the control protocol and pure config helpers); export what it needs from there.",
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".vscode-test/**", "test/fixtures/**", "test-artifacts/**", "scratch/**", "**/*.mjs", "**/*.js"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      // node:test's describe/it return promises that its runner awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"] }] },
      ],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
    },
  },
  {
    files: ["engine/src/**/*.ts", "server/src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [noVscode] }] },
  },
  {
    files: ["engine/src/**/*.ts", "server/src/**/*.ts"],
    ignores: ["engine/src/opcuaInternals/**"],
    plugins: { redundancymaster: { rules: { "opcua-internals": opcuaInternals } } },
    rules: { "redundancymaster/opcua-internals": "error" },
  },
  {
    files: ["client/src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noOpcua, onlyClientApi] }] },
  },
);
