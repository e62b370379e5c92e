/**
 * Reads a k6 output file line by line, plain or gzipped (told apart by gzip's magic bytes,
 * not by the file name: k6 writes `--out json=x.gz` gzipped, but a renamed file is common),
 * without holding the file in memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** gzip's magic bytes (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * True when the file starts with gzip's magic bytes.
 *
 * @example
 * await isGzipFile('points.ndjson.gz'); // true
 */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * The lines of `path` (decompressed when gzipped), one at a time, with 1-based line numbers.
 * A truncated or corrupt gzip stream rejects with zlib's error.
 *
 * @example
 * for await (const { line, n } of readLines('points.ndjson.gz')) if (line) parse(line, n);
 */
export async function* readLines(path: string): AsyncGenerator<{ line: string; n: number }> {
  const gzipped = await isGzipFile(path);
  const file = createReadStream(path);
  const source = gzipped ? file.pipe(createGunzip()) : file;
  // readline does not see errors of the stream it reads: forward them so the loop rejects.
  if (gzipped) file.on('error', (err) => source.destroy(err));
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  let failure: unknown = null;
  source.on('error', (err: Error) => {
    failure = err;
    lines.close();
  });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      yield { line, n };
    }
  } finally {
    lines.close();
    file.destroy();
  }
  if (failure !== null) throw failure;
}
