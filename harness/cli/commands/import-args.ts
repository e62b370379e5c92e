/** The flags of `nexus-harness import`, as yargs parses them. */
export interface ImportArgs {
  tool: 'k6';
  file: string;
  out?: string;
  scenario?: string;
  threshold?: string[];
}
