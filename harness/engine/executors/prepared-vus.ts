import type { ExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';

/**
 * How many VUs of an executor are initialised in the run's setup, before its clock starts (as
 * k6 initialises them before `setup()`): every VU of a closed-model executor (the largest
 * count of any stage for `ramping-vus`), and the `preAllocatedVUs` of an arrival-rate one.
 * VUs an arrival-rate executor adds later, up to `maxVUs`, are initialised as the run needs
 * them, off the schedule's critical path.
 *
 * @example
 * preparedVus({ executor: 'constant-arrival-rate', preAllocatedVUs: 50, maxVUs: 400, ... }); // 50
 * preparedVus({ executor: 'ramping-vus', startVUs: 0, stages: [{ target: 20 }, { target: 5 }], ... }); // 20
 */
export function preparedVus(config: ExecutorConfig): number {
  switch (config.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return config.vus;
    case 'ramping-vus':
      return config.stages.reduce((most, stage) => Math.max(most, stage.target), config.startVUs);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return config.preAllocatedVUs;
  }
}
