import { join } from "node:path";
import { loadConfigFile } from "../config/loadConfig";
import { actor } from "../host/actor";
import { defaultStateDir, statePaths } from "../state/stateDir";
import { ServerTrust } from "../upstream/serverTrust";
import { reportConfigFailure } from "./configFailure";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";

/** `trust`: the command-line twin of the extension's "Trust Server Certificate…". */
export const trustVerb: Verb = {
  name: "trust",
  summary: "trust the server certificate a pair's side presented and the engine refused",
  usage: [
    "usage: redundancymaster trust FILE PAIR primary|secondary [--thumbprint HEX] [--state-dir DIR]",
    "",
    "Shows the certificate the engine last refused for that side of PAIR (subject, validity,",
    "thumbprint) and, with --thumbprint naming that very certificate, adds it to the trust list",
    "(<state>/pki/upstream/trusted/certs) and pins the side's URL to it. Compare the thumbprint with",
    "the one the server itself shows before you trust it. A running engine with the same state folder",
    "connects with it on its next attempt (within 4 s) and logs serverCertificateTrusted.",
    "  --thumbprint HEX  the SHA-1 thumbprint of the certificate to trust, as the refusal's event shows it",
    "  --state-dir DIR   default $XDG_STATE_HOME/redundancymaster or ~/.local/state/redundancymaster",
    "",
    "Exit status: 0 trusted (or shown, without --thumbprint), 1 FILE has errors, 2 usage, unknown pair,",
    "nothing refused there, a thumbprint that does not match, or I/O failure.",
  ].join("\n"),
  async run(args, io) {
    const { options, positional } = parseOptions(args, ["state-dir", "thumbprint"]);
    const [file, pair, side] = positional;
    if (positional.length !== 3 || (side !== "primary" && side !== "secondary")) throw new UsageError("trust needs FILE PAIR primary|secondary");
    let url: string;
    try {
      const servers = (await loadConfigFile(file)).config.servers;
      const found = servers.find((s) => s.effectiveName === pair);
      if (!found) throw new UsageError(`${file} has no pair named '${pair}' (pairs: ${servers.map((s) => `'${s.effectiveName}'`).join(", ") || "none"})`);
      url = found[side].url;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      return reportConfigFailure(err, io);
    }
    const paths = statePaths(typeof options["state-dir"] === "string" ? options["state-dir"] : defaultStateDir());
    const trust = new ServerTrust(join(paths.pki, "upstream"));
    const refused = await trust.refusedAt(url);
    if (!refused) throw new Error(`no certificate was refused for the ${side} of '${pair}' (${url}) in ${trust.folder}: there is nothing to trust`);
    io.out(`certificate refused for the ${side} of '${pair}' (${url}) on ${refused.at}:`);
    io.out(`  subject     ${refused.subject}`);
    io.out(`  valid       ${refused.validFrom} to ${refused.validTo}`);
    io.out(`  thumbprint  ${refused.thumbprint}`);
    if (typeof options.thumbprint !== "string") {
      io.out(`to trust it: redundancymaster trust ${positional.join(" ")} --thumbprint ${refused.thumbprint}${options["state-dir"] ? ` --state-dir ${paths.dir}` : ""}`);
      return EXIT_OK;
    }
    await trust.trust(url, options.thumbprint, actor("command line"));
    io.out(`trusted: ${trust.trustedFolder}; ${url} is pinned to it`);
    return EXIT_OK;
  },
};
