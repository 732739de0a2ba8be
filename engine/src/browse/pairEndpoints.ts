import { attributeSpec, TRUST_POLICIES } from "../config/format";
import type { TrustPolicy } from "../config/model";
import { attribute, childElements, type XmlElement, type XmlTree } from "../config/xmlTree";

/** The endpoint URLs of one `<server>` pair, as written (either may be missing in a half-typed file). */
export interface PairEndpoints {
  server: XmlElement;
  primary?: string;
  secondary?: string;
  /** The pair's `<security trustPolicy>`, its default when absent or not (yet) valid. */
  trustPolicy: TrustPolicy;
}

export function pairEndpoints(server: XmlElement): PairEndpoints {
  const url = (side: string) => {
    const element = childElements(server, side)[0];
    const value = element && attribute(element, "url")?.value.trim();
    return value || undefined;
  };
  const security = childElements(server, "security")[0];
  const written = security && attribute(security, "trustPolicy")?.value;
  const trustPolicy = (TRUST_POLICIES as readonly string[]).includes(written ?? "") ? (written as TrustPolicy) : (attributeSpec("security", "trustPolicy")!.default as TrustPolicy);
  return { server, primary: url("primary"), secondary: url("secondary"), trustPolicy };
}

/** The pair whose `<server>` element holds the offset. */
export function pairAt(tree: XmlTree, offset: number): PairEndpoints | undefined {
  const root = tree.root;
  if (!root) return undefined;
  const server = childElements(root, "server").find((s) => s.span.start <= offset && offset <= s.span.end);
  return server && pairEndpoints(server);
}
