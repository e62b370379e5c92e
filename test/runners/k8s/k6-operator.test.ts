/**
 * `k6OperatorManifests`: the ConfigMap and the k6-operator TestRun, checked against the
 * Kubernetes schema (ConfigMap) and the operator's own CRD schema (TestRun), parsed back from
 * the YAML for several scenarios and parallelisms; the 1 MiB ConfigMap limit; names.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { exportK6Script } from '../../../harness/runners/k6/index.js';
import {
  CONFIGMAP_MAX_BYTES,
  K6_SCRIPT_FILE,
  type K6OperatorOptions,
  k6OperatorManifests,
  manifestsYaml,
} from '../../../harness/runners/k8s/index.js';
import { UsageError } from '../../../harness/util/errors.js';
import { BUILTIN_SCENARIOS } from '../../../scenarios/builtin/index.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { keyPaths, type Parsed, schemaProblems, testRunProblems } from './schemas.js';

const BASE_URL = 'http://nexus-mock.load.svc.cluster.local:4010/api/public';

function options(
  scenario: string,
  parallelism: number,
  extra: Partial<K6OperatorOptions> = {},
): K6OperatorOptions {
  return {
    scenarioName: scenario,
    script: exportK6Script(validateScenario(BUILTIN_SCENARIOS[scenario])),
    parallelism,
    name: `nexus-${scenario}`,
    baseUrl: BASE_URL,
    secretName: 'nexus-api-key',
    ...extra,
  };
}

/** The YAML, parsed back: what kubectl would read. */
function parsedBack(yaml: string): Parsed[] {
  const docs = parseAllDocuments(yaml);
  for (const doc of docs) expect(doc.errors, 'YAML errors').toEqual([]);
  return docs.map((d) => d.toJS() as Parsed);
}

describe('k6OperatorManifests', () => {
  for (const scenario of ['smoke', 'steady', 'spike', 'rate-limit-storm']) {
    for (const parallelism of [1, 4, 17]) {
      it(`${scenario} × ${parallelism}: a ConfigMap and a TestRun that pass their schemas and round-trip`, () => {
        const opts = options(scenario, parallelism, { namespace: 'load' });
        const documents = k6OperatorManifests(opts);
        const [configMap, testRun] = parsedBack(manifestsYaml(documents));
        expect([configMap, testRun]).toEqual(documents.map((d) => d.object));
        expect(schemaProblems(configMap!)).toEqual([]);
        expect(schemaProblems(testRun!)).toEqual([]);

        expect(configMap).toMatchObject({
          kind: 'ConfigMap',
          metadata: { name: `nexus-${scenario}-script`, namespace: 'load' },
        });
        expect(configMap!.data[K6_SCRIPT_FILE]).toBe(opts.script);
        expect(testRun!.spec.parallelism).toBe(parallelism);
        expect(testRun!.spec.script).toEqual({
          configMap: { name: configMap!.metadata.name, file: K6_SCRIPT_FILE },
        });
        expect(testRun!.metadata).toMatchObject({ name: `nexus-${scenario}`, namespace: 'load' });
      });
    }
  }

  it('gives the runners the base URL as NEXUS_BASE_URL and the key only by reference to the Secret', () => {
    const [, testRun] = k6OperatorManifests(options('steady', 2, { secretName: 'team-key' }));
    const env = (testRun!.object.spec as { runner: { env: unknown[] } }).runner.env;
    expect(env).toEqual([
      { name: 'NEXUS_BASE_URL', value: BASE_URL },
      { name: 'NEXUS_API_KEY', valueFrom: { secretKeyRef: { name: 'team-key', key: 'api-key' } } },
    ]);
  });

  it('writes exactly the TestRun fields it means to (unknown ones would be refused by strict validation)', () => {
    const [, testRun] = k6OperatorManifests(
      options('steady', 3, { namespace: 'load', extraArguments: '--out json=x' }),
    );
    expect(keyPaths(testRun!.object)).toEqual([
      'apiVersion',
      'kind',
      'metadata.labels.app.kubernetes.io/component',
      'metadata.labels.app.kubernetes.io/name',
      'metadata.labels.nexus-harness/scenario',
      'metadata.name',
      'metadata.namespace',
      'spec.arguments',
      'spec.parallelism',
      'spec.runner.env[].name',
      'spec.runner.env[].value',
      'spec.runner.env[].valueFrom.secretKeyRef.key',
      'spec.runner.env[].valueFrom.secretKeyRef.name',
      'spec.runner.metadata.labels.app.kubernetes.io/component',
      'spec.runner.metadata.labels.app.kubernetes.io/name',
      'spec.runner.metadata.labels.nexus-harness/scenario',
      'spec.runner.resources.limits.memory',
      'spec.runner.resources.requests.cpu',
      'spec.runner.resources.requests.memory',
      'spec.script.configMap.file',
      'spec.script.configMap.name',
    ]);
    expect((testRun!.object.spec as { arguments: string }).arguments).toBe(
      '--tag nexus_scenario=steady --out json=x',
    );
  });

  it('the CRD check is live: a wrong type, a misspelt field and a missing script are each refused', () => {
    const [, testRun] = k6OperatorManifests(options('smoke', 2));
    const good = testRun!.object as unknown as { spec: Record<string, unknown> };
    expect(testRunProblems(good)).toEqual([]);
    expect(testRunProblems({ ...good, spec: { ...good.spec, parallelism: '2' } })).toEqual([
      '/spec/parallelism must be integer',
    ]);
    expect(testRunProblems({ ...good, spec: { ...good.spec, paralelism: 2 } })).toEqual([
      '/spec must NOT have additional properties (paralelism)',
    ]);
    const { script: _script, ...noScript } = good.spec;
    expect(testRunProblems({ ...good, spec: noScript })).toEqual([
      "/spec must have required property 'script'",
    ]);
  });

  it('refuses a script that would make the ConfigMap exceed 1 MiB, saying by how much and what to do', () => {
    const room = CONFIGMAP_MAX_BYTES - Buffer.byteLength(K6_SCRIPT_FILE);
    expect(() => k6OperatorManifests(options('smoke', 2, { script: 'x'.repeat(room) }))).not.toThrow();
    const tooBig = () => k6OperatorManifests(options('smoke', 2, { script: 'x'.repeat(room + 1) }));
    expect(tooBig).toThrow(UsageError);
    expect(tooBig).toThrow(
      /ConfigMap nexus-smoke-script: its data is 1,048,577 bytes, above Kubernetes' limit of 1,048,576 bytes/,
    );
    expect(tooBig).toThrow(/spec\.script\.volumeClaim/);
    // Bytes, not characters: 'é' is two in UTF-8.
    expect(() =>
      k6OperatorManifests(options('smoke', 2, { script: 'é'.repeat(Math.floor(room / 2) + 1) })),
    ).toThrow(UsageError);
  });

  it('refuses names the operator could not use, naming --name and why', () => {
    expect(() => k6OperatorManifests(options('smoke', 2, { name: '1-smoke' }))).toThrow(
      /--name "1-smoke" is not a valid Kubernetes name: expected .*starting with a letter/,
    );
    expect(() => k6OperatorManifests(options('smoke', 2, { name: 'Smoke' }))).toThrow(/--name "Smoke"/);
    // 51 characters leave room for "-initializer" (12) within 63; 52 do not.
    expect(() => k6OperatorManifests(options('smoke', 2, { name: `a${'b'.repeat(50)}` }))).not.toThrow();
    expect(() => k6OperatorManifests(options('smoke', 2, { name: `a${'b'.repeat(51)}` }))).toThrow(
      /is 52 characters long; at most 51 fit \(the k6-operator names its objects <name>-initializer/,
    );
  });
});

describe('manifestsYaml', () => {
  it('keeps a line break inside a comment line (a scenario name, say) in the comment', () => {
    const yaml = manifestsYaml([
      {
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
        comment: ['scenario "one\nkind: Secret"', 'next\r\nline'],
      },
    ]);
    expect(yaml.split('\n').slice(0, 4)).toEqual(['# scenario "one', '# kind: Secret"', '# next', '# line']);
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as Parsed);
    expect(docs).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
    ]);
  });
});
