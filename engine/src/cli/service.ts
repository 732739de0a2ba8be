import { realpathSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { SMTP_PASSWORD_ENV } from "../notify/smtpPasswords";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";

const UNIT_PATH = "/etc/systemd/system/redundancymaster.service";
const SERVICE_STATE_DIR = "/var/lib/redundancymaster";
const ENVIRONMENT_FILE = "/etc/redundancymaster/smtp.env";

/** The systemd unit that runs `redundancymaster run CONFIG` as a service. */
export function systemdUnit(config: string, node: string, engine: string): string {
  return [
    "[Unit]",
    "Description=RedundancyMaster: a redundant pair of OPC UA servers behind one endpoint",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[node, engine, "run", config, "--state-dir", SERVICE_STATE_DIR].map(unitWord).join(" ")}`,
    // Exit 1/2 mean a broken config or usage: restarting would only repeat the failure.
    "Restart=on-failure",
    "RestartSec=5",
    "RestartPreventExitStatus=1 2",
    "TimeoutStopSec=30",
    "StateDirectory=redundancymaster",
    "StateDirectoryMode=0700",
    "ProtectSystem=strict",
    "ProtectHome=read-only",
    "NoNewPrivileges=yes",
    "PrivateTmp=yes",
    `# SMTP passwords never go in this unit: put ${SMTP_PASSWORD_ENV.primary}=… (and`,
    `# ${SMTP_PASSWORD_ENV.secondary}=…) in ${ENVIRONMENT_FILE}, owned by root, mode 0600.`,
    `EnvironmentFile=-${ENVIRONMENT_FILE}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** One word of a unit's command line: quoted when it has blanks or quotes, `%` doubled (systemd's specifier escape). */
function unitWord(word: string): string {
  const escaped = word.replace(/%/g, "%%");
  return /[\s"'\\]/.test(escaped) ? `"${escaped.replace(/["\\]/g, "\\$&")}"` : escaped;
}

/** The engine bundle this command runs from, for ExecStart. */
function engineScript(): string {
  return realpathSync(process.argv[1]);
}

/** Folders the unit's PrivateTmp=yes replaces with an empty one of the service's own. */
const PRIVATE_TMP = ["/tmp", "/var/tmp"];

/**
 * Why the unit would not run `file` (node or the engine) as meant: a refusal when the service
 * cannot see it, a warning when someone other than root can change what the service runs as root.
 */
export function installPlaceProblem(file: string): { refuse?: string; warn?: string } {
  if (PRIVATE_TMP.some((dir) => file.startsWith(`${dir}/`))) {
    return {
      refuse: `${file} lies in ${PRIVATE_TMP.find((dir) => file.startsWith(`${dir}/`))}, which the unit's PrivateTmp=yes hides from the service: install the engine elsewhere (README: As a service)`,
    };
  }
  for (let path = file; ; path = dirname(path)) {
    const info = statSync(path);
    if (info.uid !== 0 || (info.mode & 0o022) !== 0) {
      return {
        warn: `${path} can be changed by ${info.uid !== 0 ? `user ${info.uid}` : "users other than root"}, yet the service runs ${file} as root: install it where only root writes, e.g. /opt/redundancymaster (README: As a service)`,
      };
    }
    if (path === dirname(path)) return {};
  }
}

export const serviceVerb: Verb = {
  name: "service",
  summary: "print (or install) a systemd unit that runs the engine as a service",
  usage: [
    "usage: redundancymaster service --config FILE [--install]",
    "",
    `Prints a systemd unit that runs 'redundancymaster run FILE --state-dir ${SERVICE_STATE_DIR}',`,
    "restarted on failure, with node and the engine from where this command runs: install the engine",
    "where only root writes and outside /tmp (e.g. a clone in /opt/redundancymaster, built there).",
    "With --install writes it to " + UNIT_PATH + " (as root); then:",
    "  systemctl daemon-reload && systemctl enable --now redundancymaster",
    `  redundancymaster enable FILE NAME… --state-dir ${SERVICE_STATE_DIR}   (pairs start disabled)`,
    `SMTP passwords go in ${ENVIRONMENT_FILE} (mode 0600), never in the unit.`,
  ].join("\n"),
  async run(args, io) {
    const { options } = parseOptions(args, ["config"], ["install"]);
    if (typeof options.config !== "string") throw new UsageError("service needs --config FILE");
    const engine = engineScript();
    for (const file of [process.execPath, engine]) {
      const problem = installPlaceProblem(file);
      if (problem.refuse) throw new Error(problem.refuse);
      if (problem.warn) io.err(`redundancymaster service: warning: ${problem.warn}`);
    }
    const unit = systemdUnit(resolve(options.config), process.execPath, engine);
    if (!options.install) {
      io.out(unit);
      return EXIT_OK;
    }
    try {
      await writeFile(UNIT_PATH, unit, { mode: 0o644 });
    } catch (err) {
      throw new Error(`cannot write ${UNIT_PATH} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); run as root, or print the unit and install it yourself`);
    }
    io.out(`wrote ${UNIT_PATH}; next: systemctl daemon-reload && systemctl enable --now redundancymaster`);
    return EXIT_OK;
  },
};
