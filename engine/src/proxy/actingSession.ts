import { StatusCodes, type ClientSession, type StatusCode } from "node-opcua";
import type { PairRuntime } from "../pair/pairRuntime";
import type { EndpointUsers } from "./endpointUsers";

/**
 * The active side's session to act for one client session of the endpoint: as its user when it
 * logged in as one (so the server's own permissions apply), else the pair's own session. A
 * status code when there is none: no side active, or the server now refuses that user.
 */
export async function actingSession(pair: PairRuntime, users: EndpointUsers, clientSession: object | undefined): Promise<ClientSession | StatusCode> {
  const credentials = users.credentialsOf(clientSession);
  const session = credentials ? await pair.activeSessionAs(credentials.user, credentials.password) : pair.activeSession();
  if (session === "refused") return StatusCodes.BadUserAccessDenied;
  return session ?? StatusCodes.BadNoCommunication;
}

export function isSession(session: ClientSession | StatusCode): session is ClientSession {
  return "write" in session;
}
