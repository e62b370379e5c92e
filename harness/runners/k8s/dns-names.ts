/**
 * Kubernetes object names, checked here rather than by the API server: a manifest that
 * `kubectl apply` refuses is a manifest that wasted someone's time. The rules are the API
 * server's (DNS-1123 labels and subdomains, DNS-1035 labels for Services), and the bounds
 * include the suffixes the controllers add to our names (`<job>-<index>` hostnames, the
 * k6-operator's `<testrun>-initializer` and `<testrun>-service-<n>`).
 */
import { UsageError } from '../../util/errors.js';

/** The longest DNS-1123 label: a name, a namespace, a hostname, a label value. */
export const DNS_LABEL_MAX = 63;
/** The longest DNS-1123 subdomain: a Secret's or a PersistentVolumeClaim's name. */
export const DNS_SUBDOMAIN_MAX = 253;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LETTER_FIRST_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** How a name must look, for the flag it came from. */
export interface NameRule {
  /** `label` (DNS-1123), `letter-label` (DNS-1035: a letter first), or `subdomain` (DNS-1123). */
  readonly kind: 'label' | 'letter-label' | 'subdomain';
  /** Its longest length, suffixes the controllers add already taken off. */
  readonly maxLength: number;
  /** Why the bound is what it is, when it is not the plain rule's (`the pods' hostnames are <name>-<index>`). */
  readonly why?: string;
}

const SHAPES: Record<NameRule['kind'], { pattern: RegExp; says: string }> = {
  label: {
    pattern: LABEL,
    says: 'lower-case letters, digits and "-", starting and ending with a letter or digit (a DNS-1123 label)',
  },
  'letter-label': {
    pattern: LETTER_FIRST_LABEL,
    says: 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (a DNS-1035 label)',
  },
  subdomain: {
    pattern: SUBDOMAIN,
    says: 'lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit (a DNS-1123 subdomain)',
  },
};

/**
 * Throws a `UsageError` naming `flag`, the value and the rule when `value` is not a valid name.
 *
 * @example
 * checkName('--namespace', 'Load_Tests', { kind: 'label', maxLength: 63 });
 * // UsageError: --namespace "Load_Tests" is not a valid Kubernetes name: expected lower-case letters, …
 */
export function checkName(flag: string, value: string, rule: NameRule): void {
  const shape = SHAPES[rule.kind];
  if (!shape.pattern.test(value)) {
    throw new UsageError(`${flag} "${value}" is not a valid Kubernetes name: expected ${shape.says}.`);
  }
  if (value.length > rule.maxLength) {
    throw new UsageError(
      `${flag} "${value}" is ${value.length} characters long; at most ${rule.maxLength} fit${rule.why ? ` (${rule.why})` : ''}.`,
    );
  }
}

/**
 * A valid name derived from a scenario's name: `nexus-` and the name in lower case, every run
 * of other characters one `-`, cut to `maxLength` (never ending in `-`). The prefix keeps it
 * starting with a letter and says whose objects these are in `kubectl get`.
 *
 * @example
 * nameFromScenario('Rate limit storm', 51) // 'nexus-rate-limit-storm'
 */
export function nameFromScenario(scenarioName: string, maxLength: number): string {
  const slug = scenarioName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = `nexus${slug === '' ? '' : `-${slug}`}`;
  return name.slice(0, maxLength).replace(/-+$/, '');
}
