/** One measured quantity of a benchmark, as bench-results.json records it. */
export interface BenchResult {
  /** `area.case.quantity_unit`, e.g. `validate.10k_items.full_ms`. */
  name: string;
  median: number;
  max: number;
  unit: string;
  /** The same quantity of a reference measured in the same run, so that a slower machine cancels out. */
  baseline?: number;
  /** median / baseline. */
  ratio?: number;
  samples?: number;
  /** What the baseline is, or anything a reader needs to judge the number. */
  note?: string;
}

export interface BenchOptions {
  /** Fewer repetitions: a smoke run, not a measurement. */
  quick: boolean;
}

/** A `test/bench/*.bench.ts` module. */
export interface BenchModule {
  run(opts: BenchOptions): Promise<BenchResult[]>;
}

/** Median and max of samples, with the ratio to a baseline's median when one is given. */
export function summarize(name: string, samples: readonly number[], unit: string, baseline?: readonly number[], note?: string): BenchResult {
  const median = medianOf(samples);
  const base = baseline && medianOf(baseline);
  return {
    name,
    median: round(median),
    max: round(Math.max(...samples)),
    unit,
    ...(base !== undefined ? { baseline: round(base), ratio: round(median / base) } : {}),
    samples: samples.length,
    ...(note ? { note } : {}),
  };
}

/** Wall time in ms of each of `repetitions` calls, after `warmup` unmeasured ones. */
export function timeEach(fn: () => unknown, repetitions: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
