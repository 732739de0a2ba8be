// `npm run xsd`: regenerates schemas/redundancymaster.xsd from engine/src/config/format.ts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateXsd } from "../engine/src/config/xsd";

const target = join(__dirname, "..", "schemas", "redundancymaster.xsd");
writeFileSync(target, generateXsd());
console.log(`wrote ${target}`);
