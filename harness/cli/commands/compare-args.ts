/** The flags of `nexus-harness compare`, as yargs parses them. */
export interface CompareArgs {
  /** The baseline's result document. */
  baseline: string;
  /** The result to judge against it. */
  current: string;
  /** One format, as typed (checked by the handler against `COMPARE_FORMATS`). */
  format: string;
  /** `--max-regression` gates, as typed (parsed by the handler). */
  maxRegression?: string[];
  /** Change for the worse above which a figure is flagged (beyond the noise), %. */
  tolerance: number;
  /** Smallest change for the worse of a latency that counts, ms. */
  minChangeMs: number;
}
