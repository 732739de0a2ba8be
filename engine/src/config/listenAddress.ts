import { isIP } from "node:net";

/** 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z): addresses only this machine reaches. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.trim().toLowerCase();
  if (isIP(a) === 4) return a.startsWith("127.");
  if (a.startsWith("::ffff:") && isIP(a.slice(7)) === 4) return a.slice(7).startsWith("127.");
  return a === "::1" || a === "0:0:0:0:0:0:0:1";
}

/**
 * Whether a pair's endpoint offers SecurityMode None: always on loopback; on an address other
 * machines reach only when anonymous clients are refused anyway (`<security>` names a user) or
 * the config allows unsecured anonymous access in so many words.
 */
export function offersSecurityNone(pair: { listen: string; allowUnsecuredAnonymous: boolean; security: { user?: string } }): boolean {
  return isLoopbackAddress(pair.listen) || !!pair.security.user || pair.allowUnsecuredAnonymous;
}
