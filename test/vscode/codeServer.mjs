// code-server (VS Code's server build) and Debian's chromium, the two halves of a real VS Code on a
// machine where desktop VS Code cannot be downloaded. Shared by the extension-host runner and the
// UI checks. Everything lands in a temp folder: nothing is fetched, nothing touches the home folder.
import { chromium } from "playwright-core";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(new URL("../..", import.meta.url).pathname);
const codeServerBin = process.env.CODE_SERVER || path.join(root, ".vscode-test/code-server/node_modules/.bin/code-server");
const chromiumBin = process.env.CHROMIUM || "/usr/bin/chromium";

/**
 * Starts code-server on 127.0.0.1:port, with the `.vsix` files of `install` installed; `log`
 * receives its output lines. `trust: true` turns workspace trust on (folders then open in
 * Restricted Mode); by default it is off, as for a trusted folder. Its XDG folders (and so the
 * engine's default state folder, `env.XDG_STATE_HOME`) are temp folders: `env` is what a CLI run
 * beside it needs to share them.
 */
export async function startCodeServer({ port, log = () => {}, settings = {}, install = [], trust = false }) {
  if (!fs.existsSync(codeServerBin)) throw new Error(`no code-server at ${codeServerBin}: run test/vscode/installCodeServer.sh`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rm-code-server-"));
  fs.mkdirSync(`${tmp}/ud/User`, { recursive: true });
  fs.writeFileSync(
    `${tmp}/ud/User/settings.json`,
    JSON.stringify({
      "workbench.startupEditor": "none",
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "workbench.tips.enabled": false,
      "chat.commandCenter.enabled": false,
      ...settings,
    }),
  );
  fs.writeFileSync(`${tmp}/config.yaml`, "");
  const env = { ...process.env, XDG_DATA_HOME: `${tmp}/xdg-data`, XDG_CONFIG_HOME: `${tmp}/xdg-config`, XDG_STATE_HOME: `${tmp}/xdg-state`, EXTENSIONS_GALLERY: "{}" };
  for (const vsix of install) {
    execFileSync(codeServerBin, ["--config", `${tmp}/config.yaml`, "--user-data-dir", `${tmp}/ud`, "--extensions-dir", `${tmp}/exts`, "--install-extension", vsix], { env, stdio: "pipe" });
  }
  const server = spawn(
    codeServerBin,
    [
      "--config",
      `${tmp}/config.yaml`,
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      ...(trust ? [] : ["--disable-workspace-trust"]),
      "--disable-getting-started-override",
      "--user-data-dir",
      `${tmp}/ud`,
      "--extensions-dir",
      `${tmp}/exts`,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env,
    },
  );
  server.stdout.on("data", (d) => log(`[code-server] ${d}`.trimEnd()));
  server.stderr.on("data", (d) => log(`[code-server!] ${d}`.trimEnd()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    if (i > 300 || server.exitCode !== null) throw new Error(`code-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    authority: `127.0.0.1:${port}`,
    env,
    /** Stops the whole process group (server, extension host, file watcher, the engine they started), then cleans up. */
    async stop() {
      const alive = () => {
        try {
          process.kill(-server.pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {}
      // the engine writes its preserved event log into the user-data folder as it stops
      for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive())
        try {
          process.kill(-server.pid, "SIGKILL");
        } catch {}
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-features=LocalNetworkAccessChecks",
    ],
  });
}

/**
 * The built web workbench honours the payload's extensionDevelopmentPath/extensionTestsPath only
 * with developmentOptions.enableSmokeTestDriver, which code-server has no flag for: patch the
 * workbench configuration embedded in the main document.
 */
export async function enableSmokeTestDriver(page, authority) {
  await page.route(
    (u) => u.origin === `http://${authority}` && u.pathname === "/",
    async (route) => {
      const resp = await route.fetch();
      const body = (await resp.text()).replace("&quot;developmentOptions&quot;:{", "&quot;developmentOptions&quot;:{&quot;enableSmokeTestDriver&quot;:true,");
      await route.fulfill({ response: resp, body });
    },
  );
}

/** The workbench URL for a folder, loading the extension under development (and its tests, if given), if given. */
export function workbenchUrl(cs, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  if (!extensionDevelopmentPath) return `${cs.base}/?folder=${encodeURIComponent(folder)}`;
  const remote = (p) => `vscode-remote://${cs.authority}${p}`;
  const payload = [["extensionDevelopmentPath", remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(["extensionTestsPath", remote(extensionTestsPath)]);
  return `${cs.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
