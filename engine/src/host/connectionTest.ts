import { join } from "node:path";
import { AttributeIds, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, StatusCodes } from "node-opcua";
import type { ServerPairConfig } from "../config/model";
import type { ConnectionTestResult, ConnectionTestSide } from "../control/protocol";
import type { Side } from "../events/catalog";
import { disposeOwnedCertificateManager, initializeCertificateManager } from "../upstream/certificateManagers";
import type { ServerTrust } from "../upstream/serverTrust";
import { endpointCertificate, refusalText } from "../upstream/trustedEndpoint";

interface Probe {
  side: ConnectionTestSide;
  /** Configured item ids the side does not have; undefined when it could not be asked. */
  missing?: string[];
}

/**
 * The seed's "Test connection": connects to both sides of a pair on its own (not through the
 * running pair), with short bounded timeouts, and reports whether each side answers, the security
 * modes it offers, whether the trust list accepts its certificate, and the configured monitor
 * items each side lacks. A side the trust list refuses gets no session (the probe's is anonymous,
 * but reads only from servers the engine would talk to); the probe pins and files nothing.
 */
export async function testPairConnection(config: ServerPairConfig, pkiDir: string, trust: ServerTrust, timeoutMs = 5000): Promise<ConnectionTestResult> {
  const items = config.monitoring.items.map((i) => i.id);
  const [primary, secondary] = await Promise.all((["primary", "secondary"] as const).map((side) => probe(config, side, items, pkiDir, trust, timeoutMs)));
  const bothAsked = primary.missing && secondary.missing;
  return {
    pair: config.effectiveName,
    primary: primary.side,
    secondary: secondary.side,
    ...(bothAsked ? { missingOnPrimary: primary.missing, missingOnSecondary: secondary.missing } : {}),
  };
}

async function probe(config: ServerPairConfig, side: Side, items: string[], pkiDir: string, trust: ServerTrust, timeoutMs: number): Promise<Probe> {
  const url = config[side].url;
  // A folder per side: two clients creating their certificate in one folder at once trip over each other.
  const certificateManager = new OPCUACertificateManager({ rootFolder: join(pkiDir, "connection-test", side), automaticallyAcceptUnknownCertificate: false });
  const client = OPCUAClient.create({
    applicationName: `RedundancyMaster connection test (${config.effectiveName})`,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 100 },
    transportTimeout: timeoutMs,
    requestedSessionTimeout: timeoutMs * 2,
    defaultTransactionTimeout: timeoutMs,
    clientCertificateManager: certificateManager,
  });
  const attempt = async (): Promise<Probe> => {
    try {
      await initializeCertificateManager(certificateManager);
      await client.connect(url);
    } catch (err) {
      return { side: { side, url, reachable: false, detail: `no connection: ${(err as Error).message}` } };
    }
    const endpoints = await client.getEndpoints();
    const securityModes = [...new Set(endpoints.map((e) => MessageSecurityMode[e.securityMode]))];
    const verdict = await trust.check(url, endpointCertificate(endpoints, MessageSecurityMode.None, ""), config.security.trustPolicy, false);
    if (!verdict.trusted) {
      return {
        side: { side, url, reachable: true, detail: `reachable, but ${refusalText(verdict)}: trust it with Trust Server Certificate… on the ${side}, or redundancymaster trust`, securityModes },
      };
    }
    const firstUse = verdict.how === "firstUse" ? `; its certificate (thumbprint ${verdict.certificate.thumbprint}) will be pinned when the pair first connects` : "";
    let session;
    try {
      session = await client.createSession();
    } catch (err) {
      return { side: { side, url, reachable: true, detail: `reachable, but no session without credentials: ${(err as Error).message}`, securityModes } };
    }
    const results = items.length ? await session.read(items.map((nodeId) => ({ nodeId, attributeId: AttributeIds.NodeClass }))) : [];
    const missing = items.filter((_id, i) => [StatusCodes.BadNodeIdUnknown, StatusCodes.BadNodeIdInvalid].some((c) => c.value === results[i].statusCode.value));
    await session.close().catch(() => undefined);
    const detail = (missing.length ? `connected; ${missing.length} of ${items.length} monitor items missing` : "connected") + firstUse;
    return { side: { side, url, reachable: true, detail, securityModes }, missing };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Probe>((done) => {
    // Each request is bounded by timeoutMs; this bounds the whole test, which on a first run also creates
    // the client certificate (seconds on a busy machine).
    const overallMs = timeoutMs * 3;
    timer = setTimeout(() => done({ side: { side, url, reachable: false, detail: `no answer within ${overallMs} ms` } }), overallMs);
  });
  try {
    return await Promise.race([attempt().catch((err: Error) => ({ side: { side, url, reachable: false, detail: err.message } })), timeout]);
  } finally {
    clearTimeout(timer);
    void client
      .disconnect()
      .catch(() => undefined)
      .finally(() => disposeOwnedCertificateManager(certificateManager));
  }
}
