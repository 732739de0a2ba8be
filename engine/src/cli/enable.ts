import { loadConfigFile } from "../config/loadConfig";
import { EnabledStore } from "../state/enabledStore";
import { defaultStateDir, statePaths } from "../state/stateDir";
import { reportConfigFailure } from "./configFailure";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";

/** `enable` and `disable`: machine-local state (a copied config starts with its pairs disabled). */
export function enableVerb(enabled: boolean): Verb {
  const name = enabled ? "enable" : "disable";
  return {
    name,
    summary: `${name} redundancy for pairs of a config on this machine (a running engine applies it at once)`,
    usage: [
      `usage: redundancymaster ${name} FILE NAME… [--state-dir DIR]`,
      `       redundancymaster ${name} FILE --all [--state-dir DIR]`,
      "",
      `${enabled ? "Enables" : "Disables"} the pairs NAME (effective names: alias, else name) of FILE on this machine.`,
      "The state lives in the state folder, not in FILE, so a config copied to another machine starts",
      "with its pairs disabled. A running engine with the same state folder applies the change at once.",
      "  --state-dir DIR   default $XDG_STATE_HOME/redundancymaster or ~/.local/state/redundancymaster",
      "  --all             every pair of FILE",
      "",
      "Exit status: 0 done, 1 FILE has errors, 2 usage, unknown pair, or I/O failure.",
    ].join("\n"),
    async run(args, io) {
      const { options, positional } = parseOptions(args, ["state-dir"], ["all"]);
      const [file, ...names] = positional;
      if (!file) throw new UsageError(`${name} needs a config FILE`);
      if (!options.all && names.length === 0) throw new UsageError(`${name} needs at least one pair NAME, or --all`);
      if (options.all && names.length) throw new UsageError("give pair names or --all, not both");
      let pairs: string[];
      try {
        pairs = (await loadConfigFile(file)).config.servers.map((s) => s.effectiveName);
      } catch (err) {
        return reportConfigFailure(err, io);
      }
      const unknown = names.filter((n) => !pairs.includes(n));
      if (unknown.length) throw new Error(`${file} has no pair named ${unknown.map((n) => `'${n}'`).join(", ")} (pairs: ${pairs.map((n) => `'${n}'`).join(", ") || "none"})`);
      const chosen = options.all ? pairs : names;
      const paths = statePaths(typeof options["state-dir"] === "string" ? options["state-dir"] : defaultStateDir());
      await new EnabledStore(paths.enabled).set(file, chosen, enabled);
      for (const pair of chosen) io.out(`${name}d '${pair}' of ${file} (state: ${paths.enabled})`);
      return EXIT_OK;
    },
  };
}
