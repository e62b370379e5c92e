import { randomBytes } from 'node:crypto';
import { accessSync, constants, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './validation.js';

/**
 * `statfs` types of kernel file systems that look like folders but are not storage: writing
 * a result there fails in odd ways (under `/proc`, `mkdir -p` never returns).
 */
const VIRTUAL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1021994, 'devtmpfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
]);

/** The result file's name inside the output folder. */
export const RESULT_FILE = 'result.json';
/** The lock file a run holds in its output folder while it lives. */
export const LOCK_FILE = '.nexus-harness.lock';

function problem(name: string, message: string): ConfigError {
  return new ConfigError('output folder', [{ path: name, message }]);
}

/** `path` itself if it exists, else its nearest ancestor that does, with what it is. */
function nearestExisting(path: string): { path: string; isDirectory: boolean } {
  for (let p = path; ; p = dirname(p)) {
    try {
      return { path: p, isDirectory: statSync(p).isDirectory() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(p) === p) throw err;
    }
  }
}

/**
 * Checks, before a run starts, that its result can be written into folder `dir` (made if
 * missing): not empty, not a file nor under one, not on a kernel file system (`/proc`, `/sys`,
 * `/dev`), writable, not held by another live run (see {@link lockOutDir}), and no folder
 * where `result.json` must go. Touches nothing on disk.
 * Throws a `ConfigError` (exit 2) whose path is `name` (the flag or option that named the
 * folder); returns the absolute path.
 *
 * @example
 * checkOutDir(argv.out, '--out'); // throws: --out: "/etc/passwd" is a file; give a folder …
 */
export function checkOutDir(dir: string, name = 'outDir'): string {
  if (dir.trim() === '') {
    throw problem(name, 'is empty; give a folder for result.json (or --no-out to write none)');
  }
  const abs = resolve(dir);
  let existing: { path: string; isDirectory: boolean };
  try {
    existing = nearestExisting(abs);
  } catch (err) {
    throw problem(
      name,
      `"${dir}" cannot be inspected (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  const fsType = VIRTUAL_FILE_SYSTEMS.get(Number(statfsSync(existing.path).type));
  if (fsType !== undefined) {
    throw problem(
      name,
      `"${dir}" is on the kernel's ${fsType} file system, which holds no files; give a folder on disk`,
    );
  }
  if (!existing.isDirectory) {
    throw problem(
      name,
      existing.path === abs
        ? `"${dir}" is a file; give a folder (result.json is written inside it)`
        : `"${existing.path}" is a file, so "${dir}" cannot be made under it; give a folder`,
    );
  }
  try {
    accessSync(existing.path, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw problem(name, `"${existing.path}" is not writable (${code}); give a folder you can write to`);
  }
  if (existing.path === abs) {
    const owner = lockOwner(join(abs, LOCK_FILE));
    if (owner !== undefined && alive(owner)) throw inUse(name, dir, owner, join(abs, LOCK_FILE));
    try {
      if (!statSync(join(abs, RESULT_FILE)).isFile()) {
        throw problem(
          name,
          `"${join(dir, RESULT_FILE)}" exists and is not a file; remove it or give another folder`,
        );
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return abs;
}

/** An output folder held by this process: it writes there, nobody else does, until `release`. */
export interface OutDirLock {
  /** The folder, absolute. */
  dir: string;
  /** Removes the lock file (also done when the process exits). Idempotent. */
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Lock files held by this process, removed at exit if the run did not get to release them. */
const held = new Set<string>();
let exitHookInstalled = false;

function alive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine's run: cannot tell, so assume it lives
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(name: string, dir: string, owner: LockOwner, lockPath: string): ConfigError {
  return problem(
    name,
    `"${dir}" is in use by another run (pid ${owner.pid} on ${owner.host}, since ${owner.since}); ` +
      `give each parallel run its own folder, or remove ${lockPath} if that run is gone`,
  );
}

/** The owner recorded in a lock file, or undefined when there is none (or it is unreadable). */
function lockOwner(lockPath: string): LockOwner | undefined {
  try {
    return readOwner(readFileSync(lockPath, 'utf8'));
  } catch {
    return undefined;
  }
}

function readOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? (o as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks `dir` ({@link checkOutDir}), makes it, and claims it for this run with a lock file
 * (`.nexus-harness.lock`: pid, host, start). A second run given the same folder while the
 * first lives is refused (exit 2) instead of overwriting its result; a lock left by a process
 * that died (`kill -9`) is taken over. The lock goes at `release()` or when the process exits.
 *
 * @example
 * const out = await lockOutDir(options.outDir ?? join('reports', 'out', runId), '--out');
 * try { … await writeFileAtomic(join(out.dir, RESULT_FILE), text); } finally { await out.release(); }
 */
export async function lockOutDir(dir: string, name = 'outDir'): Promise<OutDirLock> {
  const abs = checkOutDir(dir, name);
  await mkdir(abs, { recursive: true });
  const lockPath = join(abs, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await createWithContent(lockPath, `${JSON.stringify(me)}\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = await readFile(lockPath, 'utf8').catch(() => '');
      const owner = readOwner(text);
      // Also on the second attempt: a run that took the dead run's lock over just before us.
      if (owner !== undefined && alive(owner)) throw inUse(name, dir, owner, lockPath);
      if (attempt > 0) throw err;
      await removeIfStill(lockPath, text); // stale (its process died) or unreadable: take it over
    }
  }
  held.add(lockPath);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const path of held) releaseSync(path);
    });
  }
  return {
    dir: abs,
    async release() {
      if (!held.delete(lockPath)) return;
      releaseSync(lockPath);
    },
  };
}

/**
 * Creates `path` holding `text`, or fails with `EEXIST` — never leaving it empty for a moment:
 * the text goes into a file of our own first, which is then hard-linked into place (a link
 * fails if the name exists, as `open(…, 'wx')` does). With `open('wx')` and a write after it,
 * a second run that read the lock in between saw an empty file, took it for stale, and took
 * over a live run's folder.
 */
async function createWithContent(path: string, text: string): Promise<void> {
  const own = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    // Inside the try: a write that fails half-way (a full disk) leaves no file of ours behind.
    await writeFile(own, text, { flag: 'wx' });
    await link(own, path);
  } catch (err) {
    // A file system without hard links: exclusive create, then write (the narrow window again).
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw err;
    await writeFile(path, text, { flag: 'wx' });
  } finally {
    await rm(own, { force: true });
  }
}

/**
 * Removes the lock at `path` only if it still holds `staleText`. Two runs that both found a
 * dead run's lock must not both take over: the one that lost the race would remove the lock
 * the other had just made. So the lock is moved aside first (atomic), and put back if what
 * was moved is not the stale one.
 */
async function removeIfStill(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already: someone else took it over (the next attempt meets theirs)
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== staleText) await link(aside, path).catch(() => {}); // a live lock: back it goes
  await rm(aside, { force: true });
}

/** Removes a lock file if it is still ours (a stale-lock takeover by another run must not be undone). */
function releaseSync(lockPath: string): void {
  try {
    const owner = readOwner(readFileSync(lockPath, 'utf8'));
    if (owner?.pid === process.pid && owner.host === hostname()) rmSync(lockPath, { force: true });
  } catch {
    // already gone
  }
}
