import type { TextDocument } from "vscode-languageserver-textdocument";
import { analyzeConfig, type ConfigAnalysis } from "../../engine/src/config/validate";

/** A document's analysis and the version it was made from. */
export interface AnalyzedDocument {
  uri: string;
  version: number;
  analysis: ConfigAnalysis;
}

/**
 * The last analysis of every open document. Opening validates at once; typing re-validates
 * after a quiet period so a burst of keystrokes costs one analysis. Completion, hover and quick
 * fixes ask for the analysis of the version they see and get a fresh one when the cache is behind.
 */
export class DocumentAnalyses {
  private readonly cache = new Map<string, AnalyzedDocument>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: number,
    private readonly validated: (document: TextDocument, analyzed: AnalyzedDocument) => void,
    private readonly failed: (document: TextDocument, error: unknown) => void,
  ) {}

  opened(document: TextDocument): void {
    this.validateNow(document);
  }

  changed(document: TextDocument): void {
    if (this.cache.get(document.uri)?.version === document.version) return;
    clearTimeout(this.timers.get(document.uri));
    if (this.delayMs <= 0) {
      this.validateNow(document);
      return;
    }
    this.timers.set(
      document.uri,
      setTimeout(() => this.validateNow(document), this.delayMs),
    );
  }

  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.cache.delete(uri);
  }

  /** The analysis of exactly this version of the document. */
  analysisOf(document: TextDocument): AnalyzedDocument {
    const cached = this.cache.get(document.uri);
    if (cached?.version === document.version) return cached;
    return this.analyze(document);
  }

  /**
   * The last analysis made, even of an older version: for questions whose answer an edit of a few
   * characters does not change (which pair holds the cursor), without re-analyzing a large file.
   */
  latestOf(document: TextDocument): AnalyzedDocument {
    return this.cache.get(document.uri) ?? this.analysisOf(document);
  }

  /** Runs from a timer too, where an exception would end the server: a failure is reported, never thrown. */
  private validateNow(document: TextDocument): void {
    this.timers.delete(document.uri);
    try {
      this.validated(document, this.analysisOf(document));
    } catch (error) {
      this.failed(document, error);
    }
  }

  private analyze(document: TextDocument): AnalyzedDocument {
    const analyzed = { uri: document.uri, version: document.version, analysis: analyzeConfig(document.getText()) };
    this.cache.set(document.uri, analyzed);
    return analyzed;
  }
}
