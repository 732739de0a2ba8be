import { readFile } from "node:fs/promises";
import { buildModel } from "./buildModel";
import type { RedundancyConfig } from "./model";
import { analyzeConfig, hasErrors, type ConfigDiagnostic } from "./validate";

export class ConfigError extends Error {
  constructor(readonly file: string, readonly diagnostics: ConfigDiagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(`${file} has ${errors.length} error${errors.length === 1 ? "" : "s"}: ${errors.slice(0, 3).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`).join("; ")}`);
  }
}

export interface LoadedConfig {
  config: RedundancyConfig;
  /** Warnings of a file that loaded (errors refuse the load). */
  diagnostics: ConfigDiagnostic[];
}

/** Validates text and builds the model; throws ConfigError when the text has errors. */
export function loadConfigText(text: string, file = "<text>"): LoadedConfig {
  const analysis = analyzeConfig(text);
  if (hasErrors(analysis.diagnostics) || !analysis.tree.root) throw new ConfigError(file, analysis.diagnostics);
  return { config: buildModel(analysis.tree.root), diagnostics: analysis.diagnostics };
}

export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  return loadConfigText(await readFile(file, "utf8"), file);
}
