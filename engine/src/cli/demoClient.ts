import { join } from "node:path";
import { AttributeIds, ClientMonitoredItem, OPCUACertificateManager, OPCUAClient, TimestampsToReturn } from "node-opcua";
import { SIM_NAMESPACE, SimNodes } from "../sim/simServer";

/**
 * The demo's OPC UA client: an ordinary client of the pair's endpoint, as an HMI would be. It
 * knows nothing of the two servers behind it; it subscribes to the sims' counter and reports
 * each value it receives.
 */
export async function subscribeToCounter(url: string, pkiDir: string, onValue: (value: number) => void): Promise<{ close(): Promise<void> }> {
  const client = OPCUAClient.create({
    applicationName: "RedundancyMaster demo client",
    endpointMustExist: false,
    keepSessionAlive: true,
    connectionStrategy: { maxRetry: 10, initialDelay: 250, maxDelay: 1000 },
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(pkiDir, "demo-client"), automaticallyAcceptUnknownCertificate: true }),
  });
  await client.connect(url);
  const session = await client.createSession();
  const ns = (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE);
  if (ns < 0) throw new Error(`the endpoint ${url} does not serve the sims' namespace ${SIM_NAMESPACE}`);
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: 100,
    requestedLifetimeCount: 600,
    requestedMaxKeepAliveCount: 20,
    publishingEnabled: true,
  });
  const item = ClientMonitoredItem.create(
    subscription,
    { nodeId: `ns=${ns};s=${SimNodes.counter}`, attributeId: AttributeIds.Value },
    { samplingInterval: 50, queueSize: 20, discardOldest: true },
    TimestampsToReturn.Both,
  );
  item.on("changed", (dv) => onValue(Number(dv.value.value)));
  return {
    async close() {
      await subscription.terminate().catch(() => undefined);
      await session.close().catch(() => undefined);
      await client.disconnect();
    },
  };
}
