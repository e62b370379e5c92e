import type { CommandModule } from 'yargs';
import { mockCommand } from './mock.js';

/**
 * Every command of `nexus-harness`, in the order `--help` lists them. Each lives in its own
 * file beside this one and exports a yargs `CommandModule`; add yours here (an explicit list,
 * not self-registration, so the set of commands is visible in one place).
 *
 * @example
 * // import { mockCommand } from './mock.js';
 * // export const commands = [mockCommand];
 */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs needs the list widened.
export const commands: CommandModule<any, any>[] = [mockCommand];
