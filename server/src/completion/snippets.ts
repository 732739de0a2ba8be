import { elementSpec, type AttributeSpec } from "../../../engine/src/config/format";

/** A whole redundant pair, ready to fill in: the server, both sides, the connection and a heartbeat item. */
export const SERVER_PAIR_SNIPPET = [
  '<server name="${1:Name}" port="${2:48401}">',
  '\t<primary url="opc.tcp://${3:primary-host}:${4:4840}"/>',
  '\t<secondary url="opc.tcp://${5:secondary-host}:${4:4840}"/>',
  '\t<connection mode="${6|warm,hot,cold|}" statusIntervalMs="${7:1000}" statusTimeoutMs="${8:500}"/>',
  '\t<monitoring failureCount="1">',
  '\t\t<item id="${9:i=2258}" updateRateMs="${10:1000}" trigger="noDataChange" triggerData="${11:2000}"/>',
  "\t</monitoring>",
  "</server>",
].join("\n");

export const ITEM_SNIPPET = '<item id="$1" updateRateMs="${2:1000}" trigger="${3|badQuality,specificValue,noDataChange|}"$0/>';

/** An element with its required attributes as tab stops; elements with content get an end tag. */
export function elementSnippet(name: string): string {
  const spec = elementSpec(name);
  if (!spec) return `<${name}>$0</${name}>`;
  const attributes = spec.attributes
    .filter((a) => a.required)
    .map((a, i) => ` ${attributeSnippet(a, i + 1)}`)
    .join("");
  return spec.children.length || spec.text ? `<${name}${attributes}>$0</${name}>` : `<${name}${attributes}$0/>`;
}

/** `name="…"` with a choice of the enum's values when it is short enough to read. */
export function attributeSnippet(spec: AttributeSpec, tabStop: number): string {
  const type = spec.type;
  if (type.kind === "enum" && type.values.length <= 8) return `${spec.name}="\${${tabStop}|${type.values.join(",")}|}"`;
  if (type.kind === "boolean") return `${spec.name}="\${${tabStop}|true,false|}"`;
  return `${spec.name}="$${tabStop}"`;
}
