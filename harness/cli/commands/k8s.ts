import type { Argv, CommandModule } from 'yargs';
import { REAL_BASE_URL } from '../../targets/real.js';
import type { CommandBody, CommandContext } from '../command-context.js';
import { loadFlags } from './k6.js';
import type { K8sJobArgs } from './k8s-args.js';
import { K8S_EPILOGUE, k8sFlags } from './k8s-flags.js';

function jobCommand(ctx: CommandContext): CommandModule<object, K8sJobArgs> {
  return {
    command: 'job <scenario>',
    describe: "Write an Indexed Job that runs the harness's own engine in N pods, one segment each",
    builder: (y: Argv) =>
      k8sFlags(
        loadFlags(
          y.positional('scenario', {
            type: 'string',
            describe:
              'A built-in scenario (see list) or a .json scenario file (shipped to the pods in a ConfigMap)',
          }),
        ),
        'pods (completions and parallelism of the Job)',
      )
        .option('image', {
          type: 'string',
          describe:
            'The container image, with nexus-harness on its PATH (default: nexus-harness:<this version>; build it, see below)',
        })
        .option('pvc', {
          type: 'string',
          describe:
            'PersistentVolumeClaim for the results, mounted at /results (default: an emptyDir, lost with each pod: replace it)',
        })
        .option('pvc-size', {
          type: 'string',
          describe:
            'Also write the claim (ReadWriteMany) with this storage request, e.g. 1Gi; named by --pvc, else <name>-results',
        })
        .option('redis', {
          type: 'string',
          describe:
            "A Redis the pods share the client's budget through (run --redis), as the cluster reaches it, e.g. redis://redis.load.svc:6379; no password in it (it would be in the manifest)",
        })
        .example(
          `$0 k8s job steady --parallelism 3 --pvc-size 1Gi --image registry.example/nexus-harness:0.1.0 --base-url ${REAL_BASE_URL} -o steady.job.yaml`,
          'Three pods share the steady load on the real API (its quota for all of them); results on a new ReadWriteMany claim',
        )
        .example(
          '$0 k8s job smoke --parallelism 2 --pvc nexus-results --base-url http://nexus-mock.load.svc:4010/api/public',
          'Against a mock served in the cluster, results on a claim you already have',
        )
        .example(
          '$0 merge ./nexus-steady-results/*/result.json -o merged.json',
          "Afterwards: join the pods' results (copied out as the file's header says) into one, judged as one run",
        )
        .epilogue(
          [
            'One YAML file: an Indexed Job (batch/v1; completionMode Indexed, completions = parallelism = N,',
            'restartPolicy Never) whose pod i runs:',
            '  nexus-harness run <scenario> --segments N --out /results/$(JOB_COMPLETION_INDEX) <target>',
            'Kubernetes sets JOB_COMPLETION_INDEX in each pod and expands $(VAR) in args; together the segments',
            "make the scenario's load. <target> is --target real for the real API (--base-url is required), else",
            '--target url --url <base-url>, with --allow-remote when its host is not loopback. NEXUS_API_KEY comes',
            'from key api-key of Secret --secret (valueFrom.secretKeyRef), never inline. A failed segment is not',
            'retried (backoffLimitPerIndex 0: a retry would load the target out of step); exit 2 in any pod fails',
            'the Job; activeDeadlineSeconds bounds it. --parallelism is checked against the scenario as',
            'run --segments splits it (an executor runs in at most as many segments as it has VUs): a pod left',
            "with nothing to run is refused here (exit 2), not in the cluster. Without --redis each pod's client",
            'keeps a budget of its own; with --redis they draw from one (per API key).',
            '',
            'Results: every pod writes /results/<index>/result.json. With an emptyDir (no --pvc) they die with',
            "the pods; with --pvc, the file's header shows a pod to copy them out with kubectl cp, then:",
            '  nexus-harness merge <folder>/*/result.json -o merged.json',
            '',
            'The image (nothing is pulled or pushed here): build one with nexus-harness on its PATH, e.g.:',
            '  npm ci && npm run build && npm pack            # nexus-harness-<version>.tgz',
            '  Dockerfile: FROM node:20-slim',
            '              COPY nexus-harness-*.tgz /tmp/',
            '              RUN npm install -g /tmp/nexus-harness-*.tgz && rm /tmp/nexus-harness-*.tgz',
            '              USER node',
            'then push it where the cluster pulls from, and pass --image.',
            '',
            ...K8S_EPILOGUE,
            'Exit codes: 0 written; 2 bad flags, an invalid scenario, or a scenario file too large for a',
            'ConfigMap; 1 unexpected.',
          ].join('\n'),
        ) as unknown as Argv<K8sJobArgs>,
    async handler(argv) {
      const { k8sJobHandler } = await import('./k8s-handler.js');
      await k8sJobHandler(argv, ctx);
    },
  };
}

/**
 * `nexus-harness k8s job`: Kubernetes manifests for the harness's own engine beyond one
 * machine. The runner loads when an action runs (`k8s --help` loads none of it).
 */
export const k8sCommand: CommandBody<object> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .command(jobCommand(ctx))
      .demandCommand(1, 'Name an action: job.')
      .example(
        '$0 k8s job steady --parallelism 3 --pvc-size 1Gi --base-url http://nexus-mock.load.svc:4010/api/public',
        'An Indexed Job: the scenario in 3 pods',
      )
      .epilogue(
        "See '$0 k8s job --help'; for k6 scripts on the k6-operator: '$0 k6 operator --help'.",
      ) as unknown as Argv<object>,
  handler: () => {},
});
