import type { K8sCommonArgs } from './k8s-args.js';

/** The flags of `nexus-harness k6 export`, as yargs parses them. */
export interface K6ExportArgs {
  scenario: string;
  out?: string;
  vus?: number;
  rate?: number;
  duration?: string;
}

/** The flags of `nexus-harness k6 run`, as yargs parses them. */
export interface K6RunArgs {
  scenario: string;
  url?: string;
  'allow-remote': boolean;
  out?: string;
  vus?: number;
  rate?: number;
  duration?: string;
  threshold?: string[];
  quiet: boolean;
}

/** The flags of `nexus-harness k6 operator`, as yargs parses them. */
export interface K6OperatorArgs extends K8sCommonArgs {
  arguments?: string;
}
