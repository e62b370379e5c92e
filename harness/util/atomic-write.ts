import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files being written right now: removed if the process exits half-way (a second Ctrl-C). */
const inFlight = new Set<string>();
let exitHookInstalled = false;

function trackTemporary(path: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const tmp of inFlight) rmSync(tmp, { force: true });
    });
  }
  inFlight.add(path);
}

/**
 * Writes `data` to `path` atomically: into a temporary file in the same folder (so the rename
 * cannot cross file systems), flushed to disk, then renamed over `path`. A reader, or a
 * process killed half-way, sees the old file or the whole new one, never a truncated or
 * 0-byte file. Two writers to the same path leave one complete file (the last rename wins).
 * The folder must exist.
 *
 * @example
 * await writeFileAtomic('reports/out/run-1/result.json', `${JSON.stringify(result, null, 2)}\n`);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  trackTemporary(tmp);
  try {
    handle = await open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  } finally {
    inFlight.delete(tmp);
  }
  await syncFolder(dirname(path));
}

/** Flushes a folder's entries (the rename) to disk; best effort, since not every file system allows it. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on some platforms and file systems: the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
