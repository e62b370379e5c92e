/** The flags `nexus-harness k6 operator` and `nexus-harness k8s job` share, as yargs parses them. */
export interface K8sCommonArgs {
  scenario: string;
  parallelism: number;
  out?: string;
  namespace?: string;
  name?: string;
  'base-url': string;
  secret: string;
  vus?: number;
  rate?: number;
  duration?: string;
}

/** The flags of `nexus-harness k8s job`, as yargs parses them. */
export interface K8sJobArgs extends K8sCommonArgs {
  image?: string;
  pvc?: string;
  'pvc-size'?: string;
  redis?: string;
}
