/**
 * `indexedJobManifests`: the Indexed Job running the harness's engine in N pods (and the
 * ConfigMap of a scenario file, the results claim), checked against the Kubernetes schemas
 * (kubernetes-models) and parsed back from the YAML, for several scenarios and parallelisms;
 * the contract with `run --segments` and `merge`; the target flags; names and limits.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  type IndexedJobOptions,
  indexedJobManifests,
  jobDeadlineSeconds,
  manifestsYaml,
  scenarioEndMs,
} from '../../../harness/runners/k8s/index.js';
import { REAL_BASE_URL } from '../../../harness/targets/real.js';
import { UsageError } from '../../../harness/util/errors.js';
import { BUILTIN_SCENARIOS } from '../../../scenarios/builtin/index.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { keyPaths, type Parsed, schemaProblems } from './schemas.js';

const CLUSTER_URL = 'http://nexus-mock.load.svc.cluster.local:4010/api/public';

function options(
  scenario: string,
  parallelism: number,
  extra: Partial<IndexedJobOptions> = {},
): IndexedJobOptions {
  return {
    scenarioName: scenario,
    scenario: { builtin: scenario },
    loadArgs: [],
    parallelism,
    name: `nexus-${scenario}`,
    image: 'registry.example.invalid/nexus-harness:0.1.0',
    baseUrl: CLUSTER_URL,
    secretName: 'nexus-api-key',
    deadlineSeconds: 700,
    ...extra,
  };
}

function parsedBack(yaml: string): Parsed[] {
  const docs = parseAllDocuments(yaml);
  for (const doc of docs) expect(doc.errors, 'YAML errors').toEqual([]);
  return docs.map((d) => d.toJS() as Parsed);
}

const jobOf = (docs: Parsed[]) => docs.find((d) => d.kind === 'Job')!;
const containerOf = (job: Parsed) => job.spec.template.spec.containers[0];

describe('indexedJobManifests', () => {
  for (const scenario of ['smoke', 'steady', 'conversation', 'chat-app']) {
    for (const parallelism of [1, 3, 12]) {
      it(`${scenario} × ${parallelism}: an Indexed Job that passes the Kubernetes schema and round-trips`, () => {
        const documents = indexedJobManifests(options(scenario, parallelism, { namespace: 'load' }));
        const parsed = parsedBack(manifestsYaml(documents));
        expect(parsed).toEqual(documents.map((d) => d.object));
        for (const object of parsed) expect(schemaProblems(object), object.kind).toEqual([]);
        const job = jobOf(parsed);
        expect(job.spec).toMatchObject({
          completionMode: 'Indexed',
          completions: parallelism,
          parallelism,
          backoffLimitPerIndex: 0,
          backoffLimit: parallelism,
          activeDeadlineSeconds: 700,
        });
        expect(job.spec.template.spec.restartPolicy).toBe('Never');
        expect(containerOf(job).args).toEqual([
          'run',
          scenario,
          '--segments',
          String(parallelism),
          '--out',
          '/results/$(JOB_COMPLETION_INDEX)',
          '--target',
          'url',
          '--url',
          CLUSTER_URL,
          '--allow-remote',
        ]);
      });
    }
  }

  it('the schema check is live: a wrong enum, a wrong type and a missing template are each refused', () => {
    const job = jobOf(indexedJobManifests(options('smoke', 2)).map((d) => d.object));
    expect(schemaProblems(job)).toEqual([]);
    expect(schemaProblems({ ...job, spec: { ...job.spec, completionMode: 'indexed' } })).toEqual([
      'data/spec/completionMode must be equal to one of the allowed values',
    ]);
    expect(schemaProblems({ ...job, spec: { ...job.spec, completions: '2' } })).toEqual([
      'data/spec/completions must be integer',
    ]);
    const { template: _t, ...noTemplate } = job.spec;
    expect(schemaProblems({ ...job, spec: noTemplate })[0]).toMatch(
      /^data\/spec must have required property .?template/,
    );
  });

  it('writes exactly the Job fields it means to (the schemas accept unknown fields; this list does not)', () => {
    const job = jobOf(
      indexedJobManifests(options('steady', 3, { namespace: 'load', results: { claimName: 'r' } })).map(
        (d) => d.object,
      ),
    );
    const paths = keyPaths(job).filter((p) => !p.includes('.labels.'));
    expect(paths).toEqual([
      'apiVersion',
      'kind',
      'metadata.name',
      'metadata.namespace',
      'spec.activeDeadlineSeconds',
      'spec.backoffLimit',
      'spec.backoffLimitPerIndex',
      'spec.completionMode',
      'spec.completions',
      'spec.parallelism',
      'spec.podFailurePolicy.rules[].action',
      'spec.podFailurePolicy.rules[].onExitCodes.containerName',
      'spec.podFailurePolicy.rules[].onExitCodes.operator',
      'spec.podFailurePolicy.rules[].onExitCodes.values[]',
      'spec.template.spec.containers[].args[]',
      'spec.template.spec.containers[].command[]',
      'spec.template.spec.containers[].env[].name',
      'spec.template.spec.containers[].env[].valueFrom.secretKeyRef.key',
      'spec.template.spec.containers[].env[].valueFrom.secretKeyRef.name',
      'spec.template.spec.containers[].image',
      'spec.template.spec.containers[].imagePullPolicy',
      'spec.template.spec.containers[].name',
      'spec.template.spec.containers[].resources.limits.memory',
      'spec.template.spec.containers[].resources.requests.cpu',
      'spec.template.spec.containers[].resources.requests.memory',
      'spec.template.spec.containers[].securityContext.allowPrivilegeEscalation',
      'spec.template.spec.containers[].securityContext.capabilities.drop[]',
      'spec.template.spec.containers[].volumeMounts[].mountPath',
      'spec.template.spec.containers[].volumeMounts[].name',
      'spec.template.spec.restartPolicy',
      'spec.template.spec.securityContext.fsGroup',
      'spec.template.spec.securityContext.runAsGroup',
      'spec.template.spec.securityContext.runAsNonRoot',
      'spec.template.spec.securityContext.runAsUser',
      'spec.template.spec.securityContext.seccompProfile.type',
      'spec.template.spec.volumes[].name',
      'spec.template.spec.volumes[].persistentVolumeClaim.claimName',
    ]);
  });

  it('the key comes only from the Secret; the pods get --allow-remote only for a host that is not loopback', () => {
    const args = (baseUrl: string) =>
      containerOf(jobOf(indexedJobManifests(options('smoke', 2, { baseUrl })).map((d) => d.object))).args;
    expect(args('http://127.0.0.1:4010/api/public').slice(6)).toEqual([
      '--target',
      'url',
      '--url',
      'http://127.0.0.1:4010/api/public',
    ]);
    expect(args('http://[::1]:4010/api/public')).not.toContain('--allow-remote');
    expect(args('https://staging.example.invalid/api/public').slice(6)).toEqual([
      '--target',
      'url',
      '--url',
      'https://staging.example.invalid/api/public',
      '--allow-remote',
    ]);
    expect(args(REAL_BASE_URL).slice(6)).toEqual(['--target', 'real', '--allow-remote']);
    const env = containerOf(jobOf(indexedJobManifests(options('smoke', 2)).map((d) => d.object))).env;
    expect(env).toEqual([
      { name: 'NEXUS_API_KEY', valueFrom: { secretKeyRef: { name: 'nexus-api-key', key: 'api-key' } } },
    ]);
  });

  it('passes the load overrides on, after the contract flags', () => {
    const job = jobOf(
      indexedJobManifests(options('steady', 2, { loadArgs: ['--duration', '30s', '--rate', '20'] })).map(
        (d) => d.object,
      ),
    );
    expect(containerOf(job).args.slice(-4)).toEqual(['--duration', '30s', '--rate', '20']);
  });

  it('results: an emptyDir by default, else the claim at /results (no subPath), and the claim itself when asked', () => {
    const volumesOf = (docs: ReturnType<typeof indexedJobManifests>) =>
      jobOf(docs.map((d) => d.object)).spec.template.spec;
    const plain = indexedJobManifests(options('smoke', 2));
    expect(volumesOf(plain).volumes).toEqual([{ name: 'results', emptyDir: {} }]);
    expect(containerOf(jobOf(plain.map((d) => d.object))).volumeMounts).toEqual([
      { name: 'results', mountPath: '/results' },
    ]);
    expect(plain[0]!.comment!.join('\n')).toMatch(/emptyDir: each pod's result\.json is lost with the pod/);

    const claimed = indexedJobManifests(options('smoke', 2, { results: { claimName: 'team-results' } }));
    expect(claimed.map((d) => d.object.kind)).toEqual(['Job']);
    expect(volumesOf(claimed).volumes).toEqual([
      { name: 'results', persistentVolumeClaim: { claimName: 'team-results' } },
    ]);
    expect(containerOf(jobOf(claimed.map((d) => d.object))).volumeMounts).toEqual([
      { name: 'results', mountPath: '/results' },
    ]);
    const header = claimed[0]!.comment!.join('\n');
    expect(header).toMatch(/kubectl cp nexus-smoke-results:\/results \.\/nexus-smoke-results/);
    expect(header).toMatch(/nexus-harness merge \.\/nexus-smoke-results\/\*\/result\.json -o merged\.json/);

    const created = parsedBack(
      manifestsYaml(
        indexedJobManifests(
          options('smoke', 2, { results: { claimName: 'team-results', createWithSize: '2Gi' } }),
        ),
      ),
    );
    expect(created.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job']);
    expect(created[0]!.spec).toEqual({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '2Gi' } },
    });
    for (const object of created) expect(schemaProblems(object), object.kind).toEqual([]);
  });

  it('ships a JSON scenario file in a ConfigMap mounted read-only, and refuses one above 1 MiB', () => {
    const json = JSON.stringify(BUILTIN_SCENARIOS.smoke);
    const docs = parsedBack(manifestsYaml(indexedJobManifests(options('smoke', 2, { scenario: { json } }))));
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Job']);
    for (const object of docs) expect(schemaProblems(object), object.kind).toEqual([]);
    expect(docs[0]!.data).toEqual({ 'scenario.json': json });
    const job = jobOf(docs);
    expect(containerOf(job).args[1]).toBe('/scenario/scenario.json');
    expect(containerOf(job).volumeMounts).toContainEqual({
      name: 'scenario',
      mountPath: '/scenario',
      readOnly: true,
    });
    expect(job.spec.template.spec.volumes).toContainEqual({
      name: 'scenario',
      configMap: { name: 'nexus-smoke-scenario' },
    });

    const huge = JSON.stringify({ ...BUILTIN_SCENARIOS.smoke, description: 'x'.repeat(1_048_576) });
    expect(() => indexedJobManifests(options('smoke', 2, { scenario: { json: huge } }))).toThrow(
      /Refusing to write ConfigMap nexus-smoke-scenario: .* above Kubernetes' limit of 1,048,576 bytes/,
    );
  });

  it("refuses a name whose pods' hostnames (<name>-<index>) would not be DNS labels", () => {
    const name = 'a'.repeat(61); // 61 + "-9" = 63: fits for 10 pods (indexes 0..9), not for 11 (…-10)
    expect(() => indexedJobManifests(options('smoke', 10, { name }))).not.toThrow();
    expect(() => indexedJobManifests(options('smoke', 11, { name }))).toThrow(
      /--name "a{61}" is 61 characters long; at most 60 fit \(the pods' hostnames are <name>-10/,
    );
    expect(() => indexedJobManifests(options('smoke', 2, { name: 'load_test' }))).toThrow(UsageError);
    expect(() => indexedJobManifests(options('smoke', 2, { results: { claimName: 'Bad Claim' } }))).toThrow(
      /--pvc "Bad Claim"/,
    );
  });

  it('bounds the Job by the scenario: its end with graceful stops, plus ten minutes', () => {
    const steady = validateScenario(BUILTIN_SCENARIOS.steady);
    expect(scenarioEndMs(steady)).toBeGreaterThan(0);
    expect(jobDeadlineSeconds(steady)).toBe(Math.ceil((scenarioEndMs(steady) + 600_000) / 1000));
    const e = Object.values(steady.executors)[0]!;
    expect(scenarioEndMs(steady)).toBe(e.startTime + ('duration' in e ? e.duration : 0) + e.gracefulStop);
  });
});
