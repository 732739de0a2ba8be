import type { CursorContext } from "./cursorContext";

/** The characters that open completion by themselves, each only where it starts something. */
const TRIGGERS: Record<string, readonly CursorContext["kind"][]> = {
  "<": ["elementName"],
  " ": ["attributeName"],
  '"': ["attributeValue"],
  "'": ["attributeValue"],
  "=": ["attributeValue"],
  ";": ["attributeValue"],
  ".": ["attributeValue"],
};

export const TRIGGER_CHARACTERS = Object.keys(TRIGGERS);

/** False when a trigger character was typed where it starts nothing (a space in indentation, a dot in text). */
export function triggeredHere(context: CursorContext, triggerCharacter: string | undefined): boolean {
  return triggerCharacter === undefined || (TRIGGERS[triggerCharacter]?.includes(context.kind) ?? true);
}
