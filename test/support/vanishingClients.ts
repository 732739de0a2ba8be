// Clients that vanish, for the endpoint-limit tests: run as a child process
// (`node --import tsx test/support/vanishingClients.ts URL COUNT`), it opens COUNT clients of the
// endpoint at once, each with a session that asks for an hour's timeout and a subscription to the
// sims' Counter with a ten-minute lifetime, prints a line `RESULT {json}` (how many got a session, the
// timeouts granted, the refusals) and waits: the test kills it with SIGKILL, so that no session is
// closed, as when a plant's PCs lose power or their network.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttributeIds, OPCUACertificateManager, OPCUAClient, TimestampsToReturn } from "node-opcua";
import { SIM_NAMESPACE } from "../../engine/src/sim/simServer";

const [url, count] = [process.argv[2], Number(process.argv[3])];
const clientCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-vanishing"), automaticallyAcceptUnknownCertificate: true });

interface Outcome {
  timeout?: number;
  refused?: string;
}

async function oneClient(): Promise<Outcome> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, requestedSessionTimeout: 3_600_000, clientCertificateManager });
  try {
    await client.connect(url);
    const session = await client.createSession();
    const ns = (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE);
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, requestedLifetimeCount: 6000, requestedMaxKeepAliveCount: 10, publishingEnabled: true });
    await subscription.monitor({ nodeId: `ns=${ns};s=Counter`, attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 10 }, TimestampsToReturn.Both);
    return { timeout: session.timeout };
  } catch (error) {
    return { refused: (error as Error).message.match(/Bad\w+/)?.[0] ?? (error as Error).message.slice(0, 80) };
  }
}

void (async () => {
  await clientCertificateManager.initialize();
  // A client whose session node-opcua closed under it (BadSessionIdInvalid) may wait for ever in its library's repair: it counts as refused.
  const patient = () => Promise.race([oneClient(), new Promise<Outcome>((done) => setTimeout(() => done({ refused: "no answer within 60 s" }), 60_000))]);
  const results = await Promise.all(Array.from({ length: count }, patient));
  const timeouts = [...new Set(results.flatMap((r) => (r.timeout === undefined ? [] : [r.timeout])))];
  const refused = results.flatMap((r) => (r.refused === undefined ? [] : [r.refused]));
  // node-opcua prints on stdout too: the result is the line that starts with RESULT.
  process.stdout.write(`RESULT ${JSON.stringify({ sessions: count - refused.length, timeouts, refused })}\n`);
  setInterval(() => undefined, 1 << 30);
})();
