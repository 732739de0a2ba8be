import type { XmlElement } from "../../engine/src/config/xmlTree";

/** The innermost element whose span holds the offset; descends by position, so it stays fast on 10,000-item files. */
export function elementAt(root: XmlElement | undefined, offset: number): XmlElement | undefined {
  if (!root || offset < root.span.start || offset > root.span.end) return undefined;
  let current = root;
  for (;;) {
    const children = current.children;
    let lo = 0;
    let hi = children.length - 1;
    let found: XmlElement | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const child = children[mid];
      if (offset < child.span.start) hi = mid - 1;
      else if (offset > child.span.end) lo = mid + 1;
      else {
        found = child;
        break;
      }
    }
    if (!found) return current;
    current = found;
  }
}
