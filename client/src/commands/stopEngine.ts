import type { Services } from "../services";

export function stopEngine(services: Services): Promise<void> {
  return services.engine.stop();
}
