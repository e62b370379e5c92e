import type { AuditFinding, AuditReport } from './audit.js';

/** Examples a merged finding keeps, as one audit does. */
const MAX_EXAMPLES = 10;

function mergeFindings<F extends AuditFinding>(all: readonly F[]): AuditFinding {
  return {
    count: all.reduce((n, f) => n + f.count, 0),
    examples: all.flatMap((f) => f.examples).slice(0, MAX_EXAMPLES),
  };
}

/**
 * One audit over the audits of disjoint runs (each run its own key or its own mock, as the
 * processes of a split run each audit their own operations): findings and counts summed,
 * examples kept up to ten, the ratios recomputed from the sums (retry amplification = all
 * requests ÷ all client operations, each run's operations read back from its own ratio, so a
 * run with many operations weighs as much as it should, where averaging ratios would not). A run without an audit makes the merged one incomplete, saying
 * which; `null` when none of the runs was audited.
 *
 * @example
 * const audit = mergeAudits([worker1.audit, worker2.audit]);
 * audit?.duplicates.count; // the two workers' duplicates, summed
 */
export function mergeAudits(audits: readonly (AuditReport | null | undefined)[]): AuditReport | null {
  const present = audits.filter((a): a is AuditReport => a !== null && a !== undefined);
  if (present.length === 0) return null;
  if (present.length === 1 && audits.length === 1) return present[0]!;
  const missing = audits.length - present.length;
  const incomplete = [...new Set(present.flatMap((a) => a.incomplete))];
  if (missing > 0) incomplete.push(`${missing} of ${audits.length} merged runs had no audit`);
  const sum = (pick: (a: AuditReport) => number) => present.reduce((n, a) => n + pick(a), 0);
  const operations = sum((a) => a.operations);
  const requests = sum((a) => a.requests);
  const rateLimited = sum((a) => a.rateLimited);
  // The client's operations (the denominator of retry amplification), which a report keeps only as the ratio.
  const clientOperations = sum((a) => (a.retryAmplification > 0 ? a.requests / a.retryAmplification : 0));
  const duplicates = mergeFindings(present.map((a) => a.duplicates));
  const lost = mergeFindings(present.map((a) => a.lost));
  const violations = present.map((a) => a.retryAfterViolations);
  const retryAfterViolations = {
    ...mergeFindings(violations),
    details: violations.flatMap((v) => v.details).slice(0, MAX_EXAMPLES),
  };
  return {
    complete: incomplete.length === 0,
    incomplete,
    unjudged: sum((a) => a.unjudged),
    operations,
    requests,
    duplicates,
    lost,
    failedButApplied: mergeFindings(present.map((a) => a.failedButApplied)),
    retryAfterViolations,
    rateLimited,
    rateLimitedRatio: requests === 0 ? 0 : rateLimited / requests,
    retryAmplification: clientOperations === 0 ? 0 : requests / clientOperations,
    passed: duplicates.count === 0 && lost.count === 0 && retryAfterViolations.count === 0,
  };
}
