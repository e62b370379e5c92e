import type { LimitsConfig } from './config.js';

/**
 * One key's request budget over the two fixed windows of the API (per minute and per hour,
 * lengths configurable). Windows are aligned to multiples of their length on the clock, so a
 * 60 s window always resets on a whole minute and `X-RateLimit-Reset` is exact.
 *
 * Only admitted requests count: a request refused with 429 does not use up budget.
 */
export class RateWindows {
  private shortStart = Number.NEGATIVE_INFINITY;
  private shortCount = 0;
  private longStart = Number.NEGATIVE_INFINITY;
  private longCount = 0;

  /** The state reported by the last call to {@link RateWindows.admit}. Read, never stored. */
  readonly state = { limited: false, limit: 0, remaining: 0, resetAtMs: 0 };

  constructor(private limits: LimitsConfig) {}

  /** Replaces the limits (admin API); the counts of the current windows are kept. */
  setLimits(limits: LimitsConfig): void {
    this.limits = limits;
  }

  /**
   * Tries to admit one request at `now`; fills {@link RateWindows.state} with the headers to
   * report. The reported window is whichever has fewer requests left (the minute on a tie).
   */
  admit(now: number): RateWindows['state'] {
    const { perMinute, perHour } = this.limits;
    if (now >= this.shortStart + perMinute.windowMs) {
      this.shortStart = now - (now % perMinute.windowMs);
      this.shortCount = 0;
    }
    if (now >= this.longStart + perHour.windowMs) {
      this.longStart = now - (now % perHour.windowMs);
      this.longCount = 0;
    }
    const shortFull = this.shortCount >= perMinute.limit;
    const longFull = this.longCount >= perHour.limit;
    const state = this.state;
    state.limited = shortFull || longFull;
    if (!state.limited) {
      this.shortCount++;
      this.longCount++;
    }
    const shortLeft = perMinute.limit - this.shortCount;
    const longLeft = perHour.limit - this.longCount;
    if (state.limited) {
      // Announce the time the client may really send again: the later of the full windows' ends.
      const shortEnd = shortFull ? this.shortStart + perMinute.windowMs : 0;
      const longEnd = longFull ? this.longStart + perHour.windowMs : 0;
      const useLong = longEnd > shortEnd;
      state.limit = useLong ? perHour.limit : perMinute.limit;
      state.remaining = 0;
      state.resetAtMs = useLong ? longEnd : shortEnd;
    } else if (longLeft < shortLeft) {
      state.limit = perHour.limit;
      state.remaining = longLeft;
      state.resetAtMs = this.longStart + perHour.windowMs;
    } else {
      state.limit = perMinute.limit;
      state.remaining = shortLeft;
      state.resetAtMs = this.shortStart + perMinute.windowMs;
    }
    return state;
  }
}
