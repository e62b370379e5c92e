import type { ExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';
import { stripedCount } from '../../../scenarios/model/executors/stripe.js';
import { constantArrivalCount } from './constant-arrival-rate.js';
import { rampingArrivalCount } from './ramping-arrival-rate.js';

/**
 * How many iterations an executor's config asks for: the whole schedule of an arrival-rate
 * executor (its `stripe` of it, in a split run), the iteration count of an iteration-bounded one; `null` for the time-based
 * closed-model executors (`constant-vus`, `ramping-vus`), which promise a length, not a count.
 * What a run did is judged against this (see the `completion` metric): an iteration demanded
 * but dropped, interrupted or never started is a shortfall.
 *
 * Computed in closed form, equal to the number of offsets the executor's schedule yields
 * (property-tested against it), so it costs nothing whatever the rate and length.
 *
 * @example
 * demandedIterations({ executor: 'shared-iterations', vus: 10, iterations: 70, ... }); // 70
 * demandedIterations({ executor: 'constant-arrival-rate', rate: 50, timeUnit: 1000, duration: 2000, ... }); // 100
 */
export function demandedIterations(config: ExecutorConfig): number | null {
  switch (config.executor) {
    case 'constant-vus':
    case 'ramping-vus':
      return null;
    case 'per-vu-iterations':
      return config.vus * config.iterations;
    case 'shared-iterations':
      return config.iterations;
    case 'constant-arrival-rate':
      return stripedCount(constantArrivalCount(config), config.stripe);
    case 'ramping-arrival-rate':
      return stripedCount(rampingArrivalCount(config), config.stripe);
  }
}
