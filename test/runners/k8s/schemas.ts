/**
 * The schemas the manifests are checked against, offline:
 * - Kubernetes' own objects (ConfigMap, Job, PersistentVolumeClaim) with kubernetes-models,
 *   which ships the upstream OpenAPI schemas compiled to validators (`validate()` throws with
 *   every problem, `data/spec/completionMode must be equal to one of the allowed values`);
 * - the k6-operator's TestRun with its CRD's openAPIV3Schema (test/fixtures/k8s/, with its
 *   source) and ajv, strict about unknown fields as the API server's strict field validation
 *   (`kubectl apply --validate=strict`) is: an object schema with `properties` gets
 *   `additionalProperties: false` unless it preserves unknown fields.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { parse } from 'yaml';

const CRD_FILE = 'test/fixtures/k8s/k6.io_testruns.yaml';

type Schema = Record<string, unknown>;

/** The schema with unknown fields refused wherever the schema lists the known ones. */
function strictUnknownFields(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, sub]) => [
          name,
          strictUnknownFields(sub),
        ]),
      );
    } else if (
      (key === 'items' || key === 'additionalProperties') &&
      value !== null &&
      typeof value === 'object'
    ) {
      out[key] = strictUnknownFields(value as Schema);
    } else if (key === 'anyOf' && Array.isArray(value)) {
      out[key] = value.map((v) => strictUnknownFields(v as Schema));
    } else {
      out[key] = value;
    }
  }
  if (
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function testRunValidator() {
  const crd = parse(readFileSync(CRD_FILE, 'utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha1')!;
  // strict: false: the x-kubernetes-* keywords are Kubernetes', not JSON Schema's.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) });
  return ajv.compile(strictUnknownFields(version.schema.openAPIV3Schema));
}

let compiled: ReturnType<typeof testRunValidator> | undefined;

/** The problems of a TestRun against the k6-operator's CRD schema: `/spec/parallelism must be integer`. */
export function testRunProblems(object: unknown): string[] {
  compiled ??= testRunValidator();
  if (compiled(object)) return [];
  return (compiled.errors ?? []).map(
    (e: ErrorObject) =>
      `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}

const MODELS: Record<string, (data: object) => { validate(): void }> = {
  'v1/ConfigMap': (data) => new ConfigMap(data as ConstructorParameters<typeof ConfigMap>[0]),
  'v1/PersistentVolumeClaim': (data) =>
    new PersistentVolumeClaim(data as ConstructorParameters<typeof PersistentVolumeClaim>[0]),
  'batch/v1/Job': (data) => new Job(data as ConstructorParameters<typeof Job>[0]),
};

/**
 * The problems of any object we write against its schema ([] when valid): Kubernetes' types
 * through kubernetes-models, the TestRun through its CRD. An unknown kind is a problem itself.
 */
export function schemaProblems(object: {
  apiVersion?: unknown;
  kind?: unknown;
  [field: string]: unknown;
}): string[] {
  const type = `${String(object.apiVersion)}/${String(object.kind)}`;
  if (type === 'k6.io/v1alpha1/TestRun') return testRunProblems(object);
  const model = MODELS[type];
  if (model === undefined) return [`no schema here for ${type}`];
  try {
    model(object).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

/**
 * Every key path of `value`, array positions as `[]`, sorted: the shape to compare with the
 * fields the Kubernetes API reference lists (kubernetes-models' validators, like the upstream
 * OpenAPI, do not refuse an unknown field; this does, in the tests).
 */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))].sort();
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Object.entries(value);
  if (entries.length === 0) return [prefix];
  return [...new Set(entries.flatMap(([k, v]) => keyPaths(v, prefix === '' ? k : `${prefix}.${k}`)))].sort();
}

/** A manifest parsed back from YAML: read field by field in the tests, each read checked by an assertion. */
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, every field read is asserted on
export type Parsed = Record<string, any>;
