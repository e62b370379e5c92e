/**
 * `nexus-harness k6 operator` and `nexus-harness k8s job` through the CLI in process: the
 * YAML they write (to -o or stdout) parses and passes the schemas; bad flags and scenarios
 * are exit 2 with a message naming the flag and what was expected; nothing secret is written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REAL_BASE_URL } from '../../../harness/targets/real.js';
import { BUILTIN_SCENARIOS } from '../../../scenarios/builtin/index.js';
import { runCliInProcess } from '../../support/cli.js';
import { type Parsed, schemaProblems } from './schemas.js';

const tmp = mkdtempSync(join(tmpdir(), 'nh-k8s-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const KEY = 'nx-live-k8s-cli-test-key-0123456789';
const BASE = ['--base-url', 'http://nexus-mock.load.svc:4010/api/public'];
/** The CLI, with BASE added when the case gives no --base-url of its own (it has no default). */
const cli = (args: string[], options?: Parameters<typeof runCliInProcess>[1]) =>
  runCliInProcess(
    args.includes('--base-url') || args.includes('--help') ? args : [...args, ...BASE],
    options,
  );

function documents(yaml: string): Parsed[] {
  return parseAllDocuments(yaml).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Parsed;
  });
}

describe('nexus-harness k6 operator', () => {
  it('writes the ConfigMap and the TestRun to -o, valid, with the key only as a Secret reference', async () => {
    const out = join(tmp, 'steady.k6-operator.yaml');
    const outcome = await cli(
      ['k6', 'operator', 'steady', '--parallelism', '4', '-o', out, '--namespace', 'load', ...BASE],
      {
        env: { NEXUS_API_KEY: KEY },
      },
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toMatch(
      /Wrote the k6-operator TestRun nexus-steady and its ConfigMap \(steady\) to /,
    );
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(KEY);
    const docs = documents(text);
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'TestRun']);
    for (const d of docs) expect(schemaProblems(d), d.kind).toEqual([]);
    expect(docs[1]!.spec.parallelism).toBe(4);
  });

  it('takes --duration/--rate/--vus into the script, --name and --secret into the objects', async () => {
    const outcome = await cli([
      'k6',
      'operator',
      'steady',
      '--parallelism',
      '2',
      '--duration',
      '5s',
      '--rate',
      '7',
      '--name',
      'my-run',
      '--secret',
      'team-key',
      ...BASE,
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const [configMap, testRun] = documents(outcome.stdout);
    expect(configMap!.data['script.js']).toMatch(/"duration": "5s"/);
    expect(configMap!.data['script.js']).toMatch(/"rate": 7,/);
    expect(testRun!.metadata.name).toBe('my-run');
    expect(testRun!.spec.runner.env[1].valueFrom.secretKeyRef.name).toBe('team-key');
  });

  it('refuses a script above the 1 MiB ConfigMap limit (exit 2), saying what to do', async () => {
    const file = join(tmp, 'huge.json');
    writeFileSync(
      file,
      JSON.stringify({ ...BUILTIN_SCENARIOS.smoke, name: 'huge', description: 'x'.repeat(1_100_000) }),
    );
    const outcome = await cli(['k6', 'operator', file, '--parallelism', '2', ...BASE]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /Refusing to write ConfigMap nexus-huge-script: its data is 1,1\d\d,\d{3} bytes, above Kubernetes' limit of 1,048,576 bytes/,
    );
    expect(outcome.stderr).toMatch(/spec\.script\.volumeClaim/);
    expect(outcome.stdout).toBe('');
  });
});

describe('nexus-harness k8s job', () => {
  it("writes a valid Indexed Job, its claim with --pvc-size, and the pods' contract", async () => {
    const outcome = await cli([
      'k8s',
      'job',
      'steady',
      '--parallelism',
      '3',
      '--pvc-size',
      '1Gi',
      '--image',
      'registry.example.invalid/nh:1',
      ...BASE,
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const docs = documents(outcome.stdout);
    expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job']);
    for (const d of docs) expect(schemaProblems(d), d.kind).toEqual([]);
    const container = docs[1]!.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example.invalid/nh:1');
    expect(container.args.slice(0, 6)).toEqual([
      'run',
      'steady',
      '--segments',
      '3',
      '--out',
      '/results/$(JOB_COMPLETION_INDEX)',
    ]);
    expect(docs[1]!.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(
      'nexus-steady-results',
    );
  });

  it('refuses to choose where the load goes: --base-url is required, for both commands (exit 2)', async () => {
    for (const command of [
      ['k8s', 'job'],
      ['k6', 'operator'],
    ]) {
      const outcome = await runCliInProcess([...command, 'smoke', '--parallelism', '2']);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(/Missing required argument: base-url/);
      expect(outcome.stdout).toBe('');
    }
  });

  it('defaults the image to nexus-harness:<version>; the real API, when named, gets --target real and --allow-remote', async () => {
    const outcome = await cli(['k8s', 'job', 'smoke', '--parallelism', '2', '--base-url', REAL_BASE_URL]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const job = documents(outcome.stdout).find((d) => d.kind === 'Job')!;
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(job.spec.template.spec.containers[0].image).toBe(`nexus-harness:${pkg.version}`);
    expect(job.spec.template.spec.containers[0].args.slice(6)).toEqual([
      '--target',
      'real',
      '--allow-remote',
    ]);
    expect(outcome.stdout).toMatch(/60 requests per minute and 1,000 per hour are for all of them together/);
  });

  it('warns that a loopback --base-url is the pod itself, and leaves --allow-remote out', async () => {
    const outcome = await cli([
      'k8s',
      'job',
      'smoke',
      '--parallelism',
      '2',
      '--base-url',
      'http://127.0.0.1:4010/api/public',
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toMatch(/is loopback: in a pod that is the pod itself/);
    expect(outcome.stdout).not.toContain('--allow-remote');
  });

  it('refuses a TypeScript scenario file (exit 2): it could not travel to the pods', async () => {
    const outcome = await cli([
      'k8s',
      'job',
      'test/fixtures/scenarios/valid/conversation.scenario.ts',
      '--parallelism',
      '2',
    ]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /conversation\.scenario\.ts cannot travel to the pods: only a built-in scenario or a \.json file can/,
    );
  });

  it('ships a JSON scenario file in a ConfigMap', async () => {
    const outcome = await cli([
      'k8s',
      'job',
      'test/fixtures/scenarios/valid/smoke.json',
      '--parallelism',
      '2',
      '--vus',
      '2',
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const docs = documents(outcome.stdout);
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Job']);
    expect(docs[0]!.data['scenario.json']).toBe(
      readFileSync('test/fixtures/scenarios/valid/smoke.json', 'utf8'),
    );
    for (const d of docs) expect(schemaProblems(d), d.kind).toEqual([]);
  });
});

describe('bad flags: exit 2, naming the flag, the value and what was expected', () => {
  const cases: [string, string[], RegExp][] = [
    ['parallelism 0', ['--parallelism', '0'], /--parallelism must be an integer from 1 to 1,000 .*; got 0\./],
    [
      'parallelism 2.5',
      ['--parallelism', '2.5'],
      /--parallelism must be an integer from 1 to 1,000 .*; got 2\.5\./,
    ],
    ['parallelism abc', ['--parallelism', 'abc'], /--parallelism must be an integer .*; got NaN\./],
    ['parallelism missing', [], /Missing required argument: parallelism/],
    [
      'parallelism twice',
      ['--parallelism', '2', '--parallelism', '3'],
      /--parallelism was given 2 times \(2, 3\); give it once\./,
    ],
    [
      'a bad name',
      ['--parallelism', '2', '--name', 'Load_Test'],
      /--name "Load_Test" is not a valid Kubernetes name: expected lower-case letters/,
    ],
    [
      'a bad namespace',
      ['--parallelism', '2', '--namespace', 'x'.repeat(64)],
      /--namespace "x{64}" is 64 characters long; at most 63 fit/,
    ],
    [
      'a bad secret',
      ['--parallelism', '2', '--secret', 'My Key'],
      /--secret "My Key" is not a valid Kubernetes name/,
    ],
    [
      'a base URL with credentials',
      ['--parallelism', '2', '--base-url', 'http://me:pw@nexus.invalid/api'],
      /--base-url http:\/\/nexus\.invalid\/api has credentials/,
    ],
    [
      'a base URL that is not one',
      ['--parallelism', '2', '--base-url', 'ftp://nexus.invalid'],
      /--base-url "ftp:\/\/nexus\.invalid" is not an http\(s\) URL/,
    ],
    ['a bad --vus', ['--parallelism', '2', '--vus', '-1'], /--vus must be a positive integer/],
  ];
  for (const command of [
    ['k6', 'operator', 'smoke'],
    ['k8s', 'job', 'smoke'],
  ]) {
    for (const [what, flags, message] of cases) {
      it(`${command.slice(0, 2).join(' ')}: ${what}`, async () => {
        const outcome = await cli([...command, ...flags]);
        expect(outcome.code).toBe(2);
        expect(outcome.stderr).toMatch(message);
        expect(outcome.stderr).not.toContain('me:pw');
        expect(outcome.stdout).toBe('');
      });
    }
  }

  it('k8s job: more pods than the scenario can use is exit 2, naming --parallelism; k6 operator warns', async () => {
    const job = await cli(['k8s', 'job', 'smoke', '--parallelism', '3']);
    expect(job.code).toBe(2);
    expect(job.stderr).toMatch(
      /--parallelism 3 is more pods than scenario smoke can use: Segment 2 of 3 of scenario smoke would run nothing: .*Use at most 2 segments, or more VUs\./,
    );
    expect((await cli(['k8s', 'job', 'smoke', '--parallelism', '3', '--vus', '3'])).code).toBe(0);
    const operator = await cli(['k6', 'operator', 'smoke', '--parallelism', '3']);
    expect(operator.code, operator.stderr).toBe(0);
    expect(operator.stderr).toMatch(/! --parallelism 3: some runners would get no VUs of scenario smoke/);
  });

  it('k8s job: --redis goes to every pod (with --allow-remote for a Redis off loopback); one with a password is refused', async () => {
    const ok = await cli([
      'k8s',
      'job',
      'steady',
      '--parallelism',
      '2',
      '--redis',
      'redis://redis.load.svc:6379',
      '--base-url',
      'http://127.0.0.1:4010/api/public',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const job = documents(ok.stdout).find((d) => d.kind === 'Job')!;
    expect(job.spec.template.spec.containers[0].args.slice(6)).toEqual([
      '--target',
      'url',
      '--url',
      'http://127.0.0.1:4010/api/public',
      '--redis',
      'redis://redis.load.svc:6379',
      '--allow-remote',
    ]);
    expect(ok.stdout).toMatch(/The pods share one client budget through Redis/);
    const bad = await cli([
      'k8s',
      'job',
      'steady',
      '--parallelism',
      '2',
      '--redis',
      'redis://:s3cret@redis.load.svc:6379',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--redis redis:\/\/redis\.load\.svc:6379 has a password in it/);
    expect(bad.stderr).not.toContain('s3cret');
    const notRedis = await cli([
      'k8s',
      'job',
      'steady',
      '--parallelism',
      '2',
      '--redis',
      'http://redis.load.svc',
    ]);
    expect(notRedis.code).toBe(2);
    expect(notRedis.stderr).toMatch(/--redis "http:\/\/redis\.load\.svc" is not a Redis URL/);
  });

  it('k8s job: a --pvc-size that is not a quantity', async () => {
    const outcome = await cli(['k8s', 'job', 'smoke', '--parallelism', '2', '--pvc-size', '10 gigs']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /--pvc-size "10 gigs" is not a storage size: expected a Kubernetes quantity such as 1Gi/,
    );
  });

  it('--help teaches: every flag, examples, exit codes', async () => {
    for (const command of [
      ['k6', 'operator'],
      ['k8s', 'job'],
    ]) {
      const outcome = await cli([...command, '--help']);
      expect(outcome.code).toBe(0);
      for (const flag of [
        '--parallelism',
        '--namespace',
        '--name',
        '--base-url',
        '--secret',
        '--out',
        '--duration',
        '--rate',
        '--vus',
      ]) {
        expect(outcome.stdout, `${command.join(' ')} ${flag}`).toContain(flag);
      }
      expect(outcome.stdout).toMatch(/Examples:/);
      expect(outcome.stdout).toMatch(/Exit codes: 0 written; 2 /);
      expect(outcome.stdout).toMatch(/Nothing is applied/);
    }
  });
});
