/**
 * Thresholds every built-in scenario carries: the auditor's findings must be zero. They hold
 * against the mock (which has a ledger); against other targets there is no audit and these
 * counters stay at 0.
 */
export const AUDIT_THRESHOLDS: Record<'duplicates' | 'lost' | 'retry_after_violations', string[]> = {
  duplicates: ['count==0'],
  lost: ['count==0'],
  retry_after_violations: ['count==0'],
};
