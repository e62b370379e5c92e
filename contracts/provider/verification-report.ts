import { redactSecret } from '../../harness/client/errors.js';

/**
 * Pact's verification result (the JSON its core returns) turned into a report that names each
 * interaction and says what did not match. No I/O.
 */

/** How one interaction of the pact fared against the provider. */
export interface InteractionVerdict {
  /** The interaction's description, as the pact records it. */
  description: string;
  ok: boolean;
  /** What did not match, one line each (`$.status: Expected 'ACTIVE' …`); empty when ok. */
  problems: string[];
}

/** What verifying one provider gave. */
export interface VerificationReport {
  passed: boolean;
  /** The provider's base URL, as given. */
  providerUrl: string;
  /** How provider states were set: the mock's admin API, or not at all. */
  states: 'admin' | 'none';
  interactions: InteractionVerdict[];
  /** Things the reader must know (states that could not be set, …). */
  notes: string[];
}

interface CoreMismatch {
  type?: string;
  path?: string;
  mismatch?: string;
  message?: string;
  expected?: unknown;
  actual?: unknown;
}

interface CoreResult {
  errors?: { interaction?: string; mismatch?: CoreMismatch & { mismatches?: CoreMismatch[] } }[];
  interactionResults?: { description?: string; result?: string }[];
}

function describeMismatch(m: CoreMismatch): string {
  const where = m.path ? `${m.path}: ` : '';
  if (m.mismatch) return `${where}${m.mismatch}`;
  if (m.message) return `${where}${m.message}`;
  return `${where}${m.type ?? 'mismatch'}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`;
}

/**
 * Reads the core's JSON result (what `Verifier.verifyProvider()` resolves with, or the message
 * it rejects with). Returns `null` when the text is not that JSON (the core could not run).
 * Every string is passed through {@link redactSecret} with `secret`.
 *
 * @example
 * const verdicts = parseCoreResult(err.message, apiKey) ?? [];
 */
export function parseCoreResult(text: string, secret: string): InteractionVerdict[] | null {
  let result: CoreResult;
  try {
    result = JSON.parse(text) as CoreResult;
  } catch {
    return null;
  }
  if (!Array.isArray(result.interactionResults)) return null;
  const verdicts: InteractionVerdict[] = result.interactionResults.map((r) => ({
    description: r.description ?? '(no description)',
    ok: r.result === 'OK',
    problems: [],
  }));
  for (const error of result.errors ?? []) {
    const name = error.interaction ?? '';
    // The core names an error "Verifying a pact between C and P Given STATE - DESCRIPTION".
    const verdict =
      verdicts
        .filter((v) => name.endsWith(` - ${v.description}`) || name.endsWith(v.description))
        .sort((a, b) => b.description.length - a.description.length)[0] ?? undefined;
    const mismatch = error.mismatch ?? {};
    const lines = (mismatch.mismatches ?? [mismatch]).map((m) => redactSecret(describeMismatch(m), secret));
    if (verdict !== undefined) {
      verdict.ok = false;
      verdict.problems.push(...lines);
    } else {
      verdicts.push({ description: redactSecret(name, secret), ok: false, problems: lines });
    }
  }
  return verdicts;
}

/**
 * The report as text for a terminal or a CI log: one line per interaction, what did not
 * match under each failed one, the notes, and a closing count.
 *
 * @example
 * process.stdout.write(formatVerificationReport(report));
 */
export function formatVerificationReport(report: VerificationReport): string {
  const how =
    report.states === 'admin'
      ? 'provider states set through the admin API of the nexus-harness mock'
      : 'provider states NOT set';
  const lines = [`Contract verification of ${report.providerUrl} (${how})`];
  for (const v of report.interactions) {
    lines.push(`  ${v.ok ? 'PASS' : 'FAIL'}  ${v.description}`);
    for (const p of v.problems) lines.push(`          ${p}`);
  }
  for (const note of report.notes) lines.push(`Note: ${note}`);
  const failed = report.interactions.filter((v) => !v.ok).length;
  const failedNames = report.interactions.filter((v) => !v.ok).map((v) => `"${v.description}"`);
  lines.push(
    report.passed
      ? `Verification passed: ${report.interactions.length} interaction(s).`
      : `Verification FAILED: ${failed} of ${report.interactions.length} interaction(s) failed: ${failedNames.join(', ')}.`,
  );
  return `${lines.join('\n')}\n`;
}
