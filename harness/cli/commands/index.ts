import type { CommandModule } from 'yargs';
import { contractsCommand } from './contracts.js';
import { listCommand } from './list.js';
import { mockCommand } from './mock.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';

/**
 * Every command of `nexus-harness`, in the order `--help` lists them. Each lives in its own
 * file beside this one and exports a yargs `CommandModule`; add yours here (an explicit list,
 * not self-registration, so the set of commands is visible in one place).
 *
 * @example
 * // import { listCommand } from './list.js';
import { mockCommand } from './mock.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
 * // export const commands = [runCommand, listCommand, validateCommand, mockCommand];
 */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs needs the list widened.
export const commands: CommandModule<any, any>[] = [
  runCommand,
  listCommand,
  validateCommand,
  mockCommand,
  contractsCommand,
];
