import { attribute, childElements, type XmlElement, type XmlTree } from "../config/xmlTree";

/** The endpoint URLs of one `<server>` pair, as written (either may be missing in a half-typed file). */
export interface PairEndpoints {
  server: XmlElement;
  primary?: string;
  secondary?: string;
}

export function pairEndpoints(server: XmlElement): PairEndpoints {
  const url = (side: string) => {
    const element = childElements(server, side)[0];
    const value = element && attribute(element, "url")?.value.trim();
    return value || undefined;
  };
  return { server, primary: url("primary"), secondary: url("secondary") };
}

/** The pair whose `<server>` element holds the offset. */
export function pairAt(tree: XmlTree, offset: number): PairEndpoints | undefined {
  const root = tree.root;
  if (!root) return undefined;
  const server = childElements(root, "server").find((s) => s.span.start <= offset && offset <= s.span.end);
  return server && pairEndpoints(server);
}

