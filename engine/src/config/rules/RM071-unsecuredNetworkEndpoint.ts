import { isLoopbackAddress } from "../listenAddress";
import { attribute } from "../xmlTree";
import { firstChild, servers, shown, valueSpan, type Rule } from "./rule";

/**
 * An endpoint that other machines reach and that lets anonymous clients in without signing or
 * encryption: anyone on the network reads and writes the plant's values. The engine does it only
 * when the config says so in so many words (allowUnsecuredAnonymous); this warns that it does.
 */
export const RM071: Rule = {
  code: "RM071",
  severity: "warning",
  summary: "An endpoint on a network address offers SecurityMode None to anonymous clients only when allowUnsecuredAnonymous says so, and then anyone who reaches it may read and write.",
  check: (doc) =>
    servers(doc).flatMap((server) => {
      const allow = attribute(server, "allowUnsecuredAnonymous");
      const listen = attribute(server, "listen");
      if (allow?.value !== "true" || !listen || isLoopbackAddress(listen.value)) return [];
      const security = firstChild(server, "security");
      if (security && attribute(security, "user")) return [];
      return [
        {
          span: valueSpan(allow),
          message: `the endpoint listens on ${shown(listen.value)}, which other machines reach, and lets anonymous clients in with SecurityMode None: anyone who reaches the port reads and writes without signing, encryption or login`,
        },
      ];
    }),
};
