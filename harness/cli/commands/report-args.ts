/** The flags of `nexus-harness report`, as yargs parses them. */
export interface ReportArgs {
  /** The result documents: one, or several for `--format html` (overlaid). */
  result: string[];
  /** One format, as typed (checked by the handler against `REPORT_FORMATS`). */
  format: string;
  /** A file to write; `-` or absent: stdout. */
  output?: string;
}
