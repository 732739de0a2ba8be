import type { Services } from "../services";
import { confirmOperatorAction } from "./confirmOperatorAction";

/** Stops the engine after asking: every pair's endpoint closes, and the engine logs who stopped it. */
export async function stopEngine(services: Services, confirmed?: boolean): Promise<void> {
  if (services.engine.state === "stopped") return services.engine.stop();
  const detail = "Every pair's endpoint closes: the OPC UA clients connected to them get no data until the engine is started again.";
  if (!(await confirmOperatorAction("Stop the RedundancyMaster engine?", detail, "Stop Engine", confirmed))) return;
  return services.engine.stop();
}
