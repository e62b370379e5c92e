import { OP_NAMES, type OpName } from '../../../scenarios/model/workload.js';

/** An operation of a scenario's workload mix. */
export type WorkloadOp = OpName;

/** The `op` tag of each workload operation on `op_duration`, `ops` and `op_failed`. */
export const WORKLOAD_OP_TAG: Readonly<Record<WorkloadOp, string>> = {
  createSession: 'create_session',
  sendMessage: 'send_message',
  waitForReply: 'wait_for_reply',
  conversation: 'conversation',
  getSession: 'get_session',
  listMessages: 'list_messages',
  poll: 'poll',
  chat: 'chat',
};

/**
 * Turns a weighted mix into a picker: given a uniform number in [0, 1), the operation whose
 * share of the total weight covers it. Cumulative weights are computed once.
 *
 * @example
 * const pick = createOpPicker({ sendMessage: 3, poll: 1 });
 * pick(0.5); // 'sendMessage'
 */
export function createOpPicker(mix: Partial<Record<WorkloadOp, number>>): (u: number) => WorkloadOp {
  const ops: WorkloadOp[] = [];
  const upTo: number[] = [];
  let total = 0;
  for (const op of OP_NAMES) {
    const weight = mix[op] ?? 0;
    if (weight <= 0) continue;
    total += weight;
    ops.push(op);
    upTo.push(total);
  }
  if (ops.length === 0) throw new RangeError('Failed to build the op mix: no operation has a weight > 0.');
  return (u) => {
    const x = u * total;
    for (let i = 0; i < upTo.length; i++) if (x < upTo[i]!) return ops[i]!;
    return ops[ops.length - 1]!;
  };
}
