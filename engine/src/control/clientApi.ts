/**
 * All of the engine the extension (client/) may import: the control protocol, and the few pure
 * helpers its commands read and edit redundancymaster.xml with. eslint.config.mjs refuses any
 * other import of engine/ in client/. Whatever this file exports ends up in the extension's
 * bundle: nothing here may pull in node-opcua or start work when it is loaded.
 */
export * from "./protocol";
export { errorMessage } from "../errorMessage";
export { elementRemoval } from "../config/elementRemoval";
export { serverElement, type NewSide } from "../config/newPair";
export { anchored, OPC_URL_PATTERN } from "../config/patterns";
export { attribute, childElements, parseXml, type XmlElement } from "../config/xmlTree";
export { savedLogLine } from "../events/eventLines";
export { defaultStateDir } from "../state/stateDir";
