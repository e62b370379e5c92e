import type { Argv, CommandModule } from 'yargs';
import { LIMITS } from '../../../scenarios/model/limits.js';
import { REAL_BASE_URL } from '../../targets/real.js';
import type { CommandBody, CommandContext } from '../command-context.js';
import type { K6ExportArgs, K6OperatorArgs, K6RunArgs } from './k6-args.js';
import { K8S_EPILOGUE, k8sFlags } from './k8s-flags.js';
import { DURATION_FLAG_HINT, fmt } from './run-args.js';

/**
 * `--vus`, `--rate`, `--duration` as `run` has them.
 *
 * @example
 * loadFlags(y.positional('scenario', { type: 'string' }))
 */
export function loadFlags(y: Argv): Argv {
  return y
    .option('vus', {
      type: 'number',
      describe: `VUs of every executor (pre-allocated VUs of arrival-rate ones); an integer, 1 to ${fmt(LIMITS.vus)}`,
    })
    .option('rate', {
      type: 'number',
      describe: `Iterations/s of arrival-rate executors (ramps scaled to peak here); > 0, at most ${fmt(LIMITS.ratePerSecond)}`,
    })
    .option('duration', {
      type: 'string',
      describe: `Run length; every executor's timeline is scaled to fit (${DURATION_FLAG_HINT})`,
    });
}

function exportCommand(ctx: CommandContext): CommandModule<object, K6ExportArgs> {
  return {
    command: 'export <scenario>',
    describe: 'Write the scenario as a k6 script (ES module): same executors, op mix, thresholds',
    builder: (y: Argv) =>
      loadFlags(
        y.positional('scenario', {
          type: 'string',
          describe: 'A built-in scenario (see list) or a .json/.ts scenario file',
        }),
      )
        .option('out', { alias: 'o', type: 'string', describe: 'Write the script here (default: stdout)' })
        .example('$0 k6 export steady -o steady.js', 'The steady scenario as a k6 script')
        .example('$0 k6 export spike --duration 30s --rate 100', 'Shorter and harder, as run would do it')
        .example(
          'NEXUS_BASE_URL=http://127.0.0.1:4010/api/public NEXUS_API_KEY=nexus-mock-key k6 run --out json=points.ndjson steady.js',
          'Then run it with k6 against the mock (nexus-harness mock), and: nexus-harness import k6 points.ndjson --scenario steady',
        )
        .epilogue(
          [
            'The script needs k6 v0.48 or later (v1 and v2 too). Thresholds on what only the harness measures',
            '(completion, the audit: duplicates, lost, retry_after_violations) are left out and named in it.',
            "A scenario with a scripted iteration, or an op k6 cannot do (chat: the chat app's POST /chat), is refused.",
            'Exit codes: 0 written; 2 bad flags or a scenario k6 cannot express; 1 unexpected.',
          ].join('\n'),
        ) as unknown as Argv<K6ExportArgs>,
    async handler(argv) {
      const { k6ExportHandler } = await import('./k6-handlers.js');
      await k6ExportHandler(argv, ctx);
    },
  };
}

function runCommand(ctx: CommandContext): CommandModule<object, K6RunArgs> {
  return {
    command: 'run <scenario>',
    describe: 'Run the scenario with a real k6 (K6_BIN or PATH), import its points and judge them',
    builder: (y: Argv) =>
      loadFlags(
        y.positional('scenario', {
          type: 'string',
          describe: 'A built-in scenario (see list) or a .json/.ts scenario file',
        }),
      )
        .option('url', {
          type: 'string',
          describe:
            "The Nexus API's base URL, e.g. http://127.0.0.1:4010/api/public (default: the harness starts the mock, with the scenario's mock settings)",
        })
        .option('allow-remote', {
          type: 'boolean',
          default: false,
          describe: 'Allow load to a non-loopback --url (off: refused)',
        })
        .option('out', {
          alias: 'o',
          type: 'string',
          describe: 'Write the result document here (e.g. result.json)',
        })
        .option('threshold', {
          type: 'string',
          array: true,
          describe:
            "Judge a threshold METRIC[{tag:value}]=EXPR too, e.g. 'op_duration{op:send_message}=p(99)<500'",
        })
        .option('quiet', { type: 'boolean', default: false, describe: "Do not show k6's own output" })
        .example('$0 k6 run smoke', 'k6 against the local mock; judged like a harness run')
        .example(
          'K6_BIN=~/bin/k6 $0 k6 run steady --duration 10s -o result.json',
          'A k6 of your own, shorter',
        )
        .epilogue(
          [
            'Needs a k6 binary: K6_BIN, else k6 on PATH (https://grafana.com/docs/k6/latest/set-up/install-k6/).',
            "Exit codes: 0 every threshold passed; 99 a threshold failed (judged by the harness over k6's points);",
            '2 bad flags, no k6, a refused URL, or a scenario k6 cannot express; 1 unexpected (k6 could not run the script).',
          ].join('\n'),
        ) as unknown as Argv<K6RunArgs>,
    async handler(argv) {
      const { k6RunHandler } = await import('./k6-handlers.js');
      await k6RunHandler(argv, ctx);
    },
  };
}

function operatorCommand(ctx: CommandContext): CommandModule<object, K6OperatorArgs> {
  return {
    command: 'operator <scenario>',
    describe: 'Write a k6-operator TestRun and the ConfigMap with the script: a k6 run split across N pods',
    builder: (y: Argv) =>
      k8sFlags(
        loadFlags(
          y.positional('scenario', {
            type: 'string',
            describe: 'A built-in scenario (see list) or a .json/.ts scenario file',
          }),
        ),
        'runner pods (spec.parallelism)',
      )
        .option('arguments', {
          type: 'string',
          describe:
            "More k6 run arguments for every runner (spec.arguments), e.g. '--out experimental-prometheus-rw'",
        })
        .example(
          `$0 k6 operator steady --parallelism 4 --base-url ${REAL_BASE_URL} -o steady.k6-operator.yaml`,
          'Four runners share the steady load on the real API (its quota for all of them)',
        )
        .example(
          '$0 k6 operator spike --parallelism 2 --namespace load --base-url http://nexus-mock.load.svc:4010/api/public',
          'Against a mock served in the cluster (nexus-harness mock behind a Service)',
        )
        .example(
          'kubectl apply -f steady.k6-operator.yaml',
          'Then apply it (the k6-operator must be installed)',
        )
        .epilogue(
          [
            "One YAML file: a ConfigMap with the scenario's k6 script (as k6 export writes it) and a TestRun",
            '(k6.io/v1alpha1) that runs it in --parallelism runner pods. The k6-operator gives each runner an',
            "equal execution segment: together they make the scenario's load. The runners get NEXUS_BASE_URL",
            '(--base-url) and NEXUS_API_KEY from key api-key of Secret --secret (valueFrom.secretKeyRef);',
            'create it first, from a file:',
            '  kubectl create secret generic nexus-api-key --from-file=api-key=./api-key.txt',
            'A ConfigMap holds at most 1 MiB: a larger script is refused (exit 2), saying how to serve it from',
            "a volume instead. --name must start with a letter and leave room for the operator's suffixes",
            '(<name>-initializer, <name>-service-<n>). More runners than a scenario has VUs: a warning.',
            '',
            ...K8S_EPILOGUE,
            'Exit codes: 0 written; 2 bad flags, a scenario k6 cannot express, or a script too large for a',
            'ConfigMap; 1 unexpected.',
          ].join('\n'),
        ) as unknown as Argv<K6OperatorArgs>,
    async handler(argv) {
      const { k6OperatorHandler } = await import('./k6-handlers.js');
      await k6OperatorHandler(argv, ctx);
    },
  };
}

/**
 * `nexus-harness k6 export|run|operator`: scenarios as k6 scripts, and k6 runs judged by the harness.
 * The runner loads when an action runs (`k6 --help` loads none of it).
 */
export const k6Command: CommandBody<object> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .command(exportCommand(ctx))
      .command(runCommand(ctx))
      .command(operatorCommand(ctx))
      .demandCommand(1, 'Name an action: export, run or operator.')
      .example('$0 k6 export steady -o steady.js', 'Write the k6 script')
      .example('$0 k6 run smoke', 'Run it with k6 against the mock and judge it')
      .example('$0 k6 operator steady --parallelism 4', 'A k6-operator TestRun: the script in 4 pods')
      .epilogue(
        "See '$0 k6 export --help', '$0 k6 run --help' and '$0 k6 operator --help'; k6's output: '$0 import k6 --help'.",
      ) as unknown as Argv<object>,
  handler: () => {},
});
