import { attributeSpec, elementSpec, type AttributeSpec, type ValueType } from "../../engine/src/config/format";
import { eventKindOf } from "../../engine/src/events/catalog";

/** Markdown for hovers and completion items, all of it from format.ts and the event catalog. */
export function elementMarkdown(name: string): string | undefined {
  const spec = elementSpec(name);
  if (!spec) return undefined;
  const lines = [`**<${name}>** — ${spec.doc}`];
  if (spec.attributes.length) lines.push("", `Attributes: ${spec.attributes.map((a) => `\`${a.name}\`${a.required ? " (required)" : ""}`).join(", ")}`);
  if (spec.children.length) lines.push("", `Children: ${spec.children.map((c) => `\`<${c.name}>\``).join(", ")}`);
  if (spec.text) lines.push("", `Content: ${spec.text.doc}`);
  return lines.join("\n");
}

export function attributeMarkdown(element: string, attribute: string): string | undefined {
  const spec = attributeSpec(element, attribute);
  if (!spec) return undefined;
  return [`**${attribute}** on \`<${element}>\` — ${spec.doc}`, "", attributeFacts(spec)].join("\n");
}

/** The doc of one value of an enum attribute (a connection mode, a trigger, an event id). */
export function valueDoc(element: string, attribute: string, value: string): string | undefined {
  const type = attributeSpec(element, attribute)?.type;
  if (type?.kind !== "enum" || !type.values.includes(value)) return undefined;
  if (element === "event" && attribute === "id") {
    const kind = eventKindOf(value);
    return kind && `${kind.doc} (${kind.severity})`;
  }
  return type.docs?.[value];
}

export function valueMarkdown(element: string, attribute: string, value: string): string | undefined {
  const doc = valueDoc(element, attribute, value);
  const about = attributeMarkdown(element, attribute);
  if (!doc) return about;
  return [`**${value}** — ${doc}`, "", "---", "", about ?? ""].join("\n");
}

function attributeFacts(spec: AttributeSpec): string {
  const facts = [`Type: ${typeLabel(spec.type)}`];
  if (spec.required) facts.push("required");
  if (spec.default !== undefined) facts.push(`default \`${spec.default}\``);
  return facts.join(" · ");
}

export function typeLabel(type: ValueType): string {
  switch (type.kind) {
    case "integer":
      return `integer ${type.min} … ${type.max}`;
    case "enum":
      return type.values.length > 8 ? `one of ${type.values.length} values` : type.values.map((v) => `\`${v}\``).join(" | ");
    case "nodeId":
      return "OPC UA NodeId";
    case "opcUrl":
      return "opc.tcp:// URL";
    case "ipAddress":
      return "IP address";
    case "email":
      return "e-mail address";
    default:
      return type.kind;
  }
}
