import { SimProcess, type SimProcessOptions } from "../../engine/src/sim/simProcess";

/** Starts simulated servers together; when one fails to start, stops those that did, so no server outlives the test (and keeps its process alive). */
export async function startSims(options: SimProcessOptions[]): Promise<SimProcess[]> {
  const started = await Promise.allSettled(options.map((o) => SimProcess.start(o)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.close() : undefined)));
    throw failed.reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<SimProcess>).value);
}
