/**
 * The replies a nock mock still owes (injected delays, stalls, dribbled bodies): nock keeps no
 * socket the mock could close, so the mock keeps its own account and ends them all on close,
 * as the HTTP server ends its stalled connections.
 */
export interface PendingReplies {
  /** Resolves after `ms` milliseconds; rejects with the close reason if the mock closes first. */
  wait(ms: number): Promise<void>;
  /** Never resolves: rejects with the close reason when the mock closes (the stall fault). */
  hold(): Promise<never>;
  /** Runs `tick` every `intervalMs` until it returns `false`; stopped (with `onClose`) when the mock closes. */
  repeat(intervalMs: number, tick: () => boolean, onClose: (reason: Error) => void): void;
  /** Ends every pending reply with `reason`. */
  closeAll(reason: Error): void;
  /** How many replies are pending (for tests). */
  readonly size: number;
}

/**
 * A fresh, empty account of pending replies.
 *
 * @example
 * const pending = createPendingReplies();
 * await pending.wait(response.delayMs);
 * pending.closeAll(new Error('closed')); // on close
 */
export function createPendingReplies(): PendingReplies {
  const cancels = new Set<(reason: Error) => void>();
  return {
    wait(ms) {
      return new Promise((resolve, reject) => {
        const cancel = (reason: Error) => {
          clearTimeout(timer);
          reject(reason);
        };
        const timer = setTimeout(() => {
          cancels.delete(cancel);
          resolve();
        }, ms);
        cancels.add(cancel);
      });
    },
    hold() {
      return new Promise<never>((_, reject) => {
        cancels.add(reject);
      });
    },
    repeat(intervalMs, tick, onClose) {
      const cancel = (reason: Error) => {
        clearInterval(timer);
        onClose(reason);
      };
      const timer = setInterval(() => {
        if (tick()) return;
        clearInterval(timer);
        cancels.delete(cancel);
      }, intervalMs);
      cancels.add(cancel);
    },
    closeAll(reason) {
      const all = [...cancels];
      cancels.clear();
      for (const cancel of all) cancel(reason);
    },
    get size() {
      return cancels.size;
    },
  };
}
