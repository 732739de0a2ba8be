import { ruleFor } from "../config/rules";
import { monitorItems, servers, valueSpan } from "../config/rules/rule";
import { analyzeConfig, type ConfigAnalysis, type ConfigDiagnostic } from "../config/validate";
import { attribute } from "../config/xmlTree";
import { join } from "node:path";
import { defaultStateDir, statePaths } from "../state/stateDir";
import { ServerTrust } from "../upstream/serverTrust";
import { EndpointPool } from "./endpointPool";
import { type SessionTimeouts } from "./endpointSession";
import { pairEndpoints, type PairEndpoints } from "./pairEndpoints";
import { errorMessage } from "../errorMessage";

const RM061 = ruleFor("RM061")!;

type Side = "primary" | "secondary";

/**
 * RM061, the live check: every monitor item id is looked up on the pair's primary and
 * secondary, by namespace URI (an `ns=` id is read in the primary's numbering, as the engine
 * reads it, so a secondary that numbers the namespace otherwise is asked for the same node). An id missing on one side means the pair is not synced; missing on both, a typo
 * or a server that lacks it. Sides that cannot be reached are left out, so an offline machine
 * adds no findings. Ids that RM060 rejects as malformed are not looked up.
 */
export async function checkItemsLive(analysis: ConfigAnalysis, pool: EndpointPool): Promise<LiveCheckResult> {
  const unreachable = new Map<string, string>();
  const malformed = new Set(analysis.diagnostics.filter((d) => d.code === "RM060").map((d) => d.span.start));
  const findings = await mapLimited(servers({ text: analysis.text, tree: analysis.tree }), PAIRS_AT_ONCE, async (server) => {
    const endpoints = pairEndpoints(server);
    const items = monitorItems(server)
      .map((item) => attribute(item, "id"))
      .filter((id) => id !== undefined && id.value.trim() !== "" && !malformed.has(valueSpan(id).start));
    if (items.length === 0) return [];
    const ids = [...new Set(items.map((id) => id!.value.trim()))];
    // `ns=` ids are in the primary's numbering: the secondary is asked for the same namespace URI.
    const primaryTable = endpoints.primary
      ? await pool
          .session(endpoints.primary, endpoints.trustPolicy)
          .namespaceTable()
          .catch(() => undefined)
      : undefined;
    const lookup = async (url: string | undefined) => {
      if (!url) return undefined;
      try {
        const session = pool.session(url, endpoints.trustPolicy);
        const onServer = await session.configNodeIds(ids, primaryTable);
        const known = onServer.filter((nodeId): nodeId is string => nodeId !== undefined);
        const facts = new Map((await session.readFacts(known)).map((f, i) => [known[i], f.exists]));
        return new Map(ids.map((id, i) => [id, onServer[i] !== undefined && facts.get(onServer[i]!) === true]));
      } catch (err) {
        unreachable.set(url, errorMessage(err));
        return undefined;
      }
    };
    const [primary, secondary] = await Promise.all([lookup(endpoints.primary), lookup(endpoints.secondary)]);
    if (!primary && !secondary) return [];
    return items.flatMap((id): ConfigDiagnostic[] => {
      const value = id!.value.trim();
      const missing: Side[] = [];
      if (primary?.get(value) === false) missing.push("primary");
      if (secondary?.get(value) === false) missing.push("secondary");
      if (missing.length === 0) return [];
      const span = valueSpan(id!);
      const where = (side: Side) => `the ${side} (${endpoints[side]})`;
      let message: string;
      if (missing.length === 2) message = `item '${value}' exists on neither ${where("primary")} nor ${where("secondary")}`;
      else {
        const other: Side = missing[0] === "primary" ? "secondary" : "primary";
        const otherKnown = (other === "primary" ? primary : secondary) !== undefined;
        message = otherKnown
          ? `item '${value}' is missing on ${where(missing[0])} but exists on the ${other}: pair not synced`
          : `item '${value}' is missing on ${where(missing[0])}; the ${other} is not reachable`;
      }
      return [
        {
          code: RM061.code,
          severity: RM061.severity,
          message,
          range: analysis.lines.rangeOf(span),
          span,
          data: { missing, key: liveItemKey(endpoints, value) },
        },
      ];
    });
  });
  return { diagnostics: findings.flat(), unreachable };
}

export interface LiveCheckResult {
  diagnostics: ConfigDiagnostic[];
  /** Endpoints that could not be asked, with the reason: their items are unchecked. */
  unreachable: Map<string, string>;
}

/** A file of hundreds of pairs must not open hundreds of connections at once. */
const PAIRS_AT_ONCE = 4;

async function mapLimited<T, R>(inputs: readonly T[], limit: number, work: (input: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await work(inputs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
}

/** What a live finding is about, independent of where the item sits in the text: the pair's endpoints and the id. */
export function liveItemKey(endpoints: PairEndpoints, id: string): string {
  return `${endpoints.primary ?? ""}\n${endpoints.secondary ?? ""}\n${id}`;
}

/** Timeouts for `validate --live`: nobody is typing, so a slow server gets a little longer. */
const CLI_TIMEOUTS: SessionTimeouts = { connectMs: 5000, requestMs: 10_000, retryAfterMs: 60_000, idleMs: 60_000 };

/**
 * The shape `validateVerb(liveCheck)` of engine/src/cli/validate.ts takes: one file's live
 * findings, with sessions opened for this file and closed before returning.
 */
export async function liveCheckForCli(file: string, text: string, diagnostics: ConfigDiagnostic[]): Promise<ConfigDiagnostic[]> {
  // The default state folder's trust list, as `run` without --state-dir uses it.
  const pool = new EndpointPool(undefined, CLI_TIMEOUTS, new ServerTrust(join(statePaths(defaultStateDir()).pki, "upstream")));
  try {
    const result = await checkItemsLive({ ...analyzeConfig(text), diagnostics }, pool);
    for (const [url, reason] of result.unreachable) console.error(`redundancymaster validate: ${file}: ${url} not checked (${reason})`);
    return result.diagnostics;
  } finally {
    await pool.close();
  }
}
