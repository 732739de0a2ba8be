import assert from "node:assert/strict";
import { validateConfigText, type ConfigDiagnostic } from "../../engine/src/config/validate";

/**
 * lemminx-style: a small document and the exact list of `CODE@line:char-endChar` it must produce
 * (0-based LSP positions; `CODE@l1:c1-l2:c2` when the range spans lines).
 */
export function expectDiagnostics(xml: string, expected: string[]): ConfigDiagnostic[] {
  const actual = validateConfigText(xml);
  assert.deepEqual(actual.map(describe), expected, actual.map((d) => `${describe(d)} ${d.message}`).join("\n"));
  return actual;
}

export function describe(d: ConfigDiagnostic): string {
  const { start, end } = d.range;
  const to = start.line === end.line ? `${end.character}` : `${end.line}:${end.character}`;
  return `${d.code}@${start.line}:${start.character}-${to}`;
}

/** A valid document around the given `<server>` body and extra top-level elements. */
export function config(serverBody: string, extra = ""): string {
  return `<redundancyMaster version="1">
<server name="S" port="48401">
<primary url="opc.tcp://a:4840"/>
<secondary url="opc.tcp://b:4840"/>
${serverBody}
</server>
${extra}
</redundancyMaster>
`;
}
