import { readFile, stat } from "node:fs/promises";
import { buildModel } from "./buildModel";
import type { RedundancyConfig } from "./model";
import { analyzeConfig, hasErrors, type ConfigDiagnostic } from "./validate";

export class ConfigError extends Error {
  /** `errorCount`: when `diagnostics` are the first of more (a check in another thread sends back only those). */
  constructor(
    readonly file: string,
    readonly diagnostics: ConfigDiagnostic[],
    readonly errorCount = diagnostics.filter((d) => d.severity === "error").length,
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `${file} has ${errorCount} error${errorCount === 1 ? "" : "s"}: ${errors
        .slice(0, 3)
        .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`)
        .join("; ")}`,
    );
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
  return loadConfigText(await readConfigFile(file), file);
}

/** Far beyond any real configuration; a bigger file is refused before it is read into memory. */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** Why a config file could not be read, in words (`message`), with the system's error code when there is one. */
export class ConfigReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
};

/**
 * The text of a config file as an editor shows it: UTF-8, or UTF-16 when a byte-order mark says so
 * (Windows tools write that), without the mark, so that positions on the first line match the editor's.
 */
export function decodeConfig(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : "utf-8";
  return new TextDecoder(encoding).decode(bytes);
}

/** Reads a config file as text (see decodeConfig), refusing directories and files above MAX_CONFIG_BYTES. */
export async function readConfigFile(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigReadError(file, `is ${(info.size / 2 ** 20).toFixed(0)} MB; a config file may be at most ${MAX_CONFIG_BYTES / 2 ** 20} MB`, "EFBIG");
    }
    return decodeConfig(await readFile(file));
  } catch (err) {
    if (err instanceof ConfigReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigReadError(file, (code && REASONS[code]) ?? (err as Error).message, code);
  }
}
