// Builds the three bundles DESIGN.md names (and the engine's config worker), the client's in two (its language client loads after
// activation). node-opcua stays external (it ships in node_modules: bundling it needs its nodeset
// files beside the bundle, see shared recipes); the client bundles must never pull it in at all,
// which test/vscode/suite/clientBoundary.test.ts checks.
import * as esbuild from "esbuild";

const watch = process.argv.includes("--watch");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  minify: true,
  logLevel: "warning",
};

const builds = [
  { entryPoints: ["client/src/extension.ts"], outfile: "dist/client.js", external: ["vscode"] },
  // loaded by the client after activation, so that the views and commands do not wait for it
  { entryPoints: ["client/src/languageClient.ts"], outfile: "dist/languageClient.js", external: ["vscode"] },
  { entryPoints: ["server/src/server.ts"], outfile: "dist/server.js", external: ["node-opcua"] },
  { entryPoints: ["engine/src/cli/main.ts"], outfile: "dist/engine.js", external: ["node-opcua"] },
  // the engine's check of a reloaded config, in a worker thread beside it (config/loadConfigOffThread.ts)
  { entryPoints: ["engine/src/config/configWorker.ts"], outfile: "dist/configWorker.js" },
];

const t0 = Date.now();
if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  console.log(`built ${builds.map((b) => b.outfile).join(", ")} in ${Date.now() - t0} ms`);
}
