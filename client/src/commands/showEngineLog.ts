import type { Services } from "../services";

export function showEngineLog(services: Services): void {
  services.log.channel.show();
}
