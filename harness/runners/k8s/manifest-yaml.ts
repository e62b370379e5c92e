/**
 * Manifests as YAML: several objects in one multi-document file, each with the comment that
 * says what it is for. Written as YAML 1.1, which is what Kubernetes' own parser reads: a
 * string such as `yes`, `on` or `0755` is quoted, so it stays a string there too.
 */
import { Document } from 'yaml';

/** A Kubernetes object as we write it: plain JSON data with its type and name. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** One document of the file: the object and the comment above it (lines, without `#`). */
export interface ManifestDocument {
  readonly object: KubernetesObject;
  readonly comment?: readonly string[];
}

/**
 * The documents as one YAML file (`---` between them), each object's comment above it.
 * Deterministic: the same documents give the same text. Long strings are never folded (a
 * script stays a literal block, line for line).
 *
 * @example
 * process.stdout.write(manifestsYaml([{ object: configMap, comment: ['The k6 script'] }, { object: testRun }]));
 */
export function manifestsYaml(documents: readonly ManifestDocument[]): string {
  return documents
    .map(({ object, comment }) => {
      const doc = new Document(object, { version: '1.1', aliasDuplicateObjects: false });
      if (comment !== undefined && comment.length > 0) {
        // A line break inside a line (a scenario's name, say) must not end the comment.
        doc.commentBefore = comment
          .flatMap((line) => line.split(/\r\n|\r|\n/))
          .map((line) => (line === '' ? '' : ` ${line}`))
          .join('\n');
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/**
 * The labels every object we write carries: what made it, and for which scenario (as a label
 * value: at most 63 characters of letters, digits, `-`, `_`, `.`).
 *
 * @example
 * harnessLabels('steady', 'load') // { 'app.kubernetes.io/name': 'nexus-harness', 'app.kubernetes.io/component': 'load', 'nexus-harness/scenario': 'steady' }
 */
export function harnessLabels(scenarioName: string, component: string): Record<string, string> {
  const value = scenarioName
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return {
    'app.kubernetes.io/name': 'nexus-harness',
    'app.kubernetes.io/component': component,
    ...(value === '' ? {} : { 'nexus-harness/scenario': value }),
  };
}
