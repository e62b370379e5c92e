/**
 * The result's histogram text straight from and to the recorder's counts: HdrHistogram's V2
 * compressed encoding (as hdr-histogram-js's `encodeIntoCompressedBase64` writes it, byte for
 * byte), with no hdr-histogram-js histogram in between.
 *
 * Why: every run ends by encoding its trends. Through hdr-histogram-js that meant loading the
 * library (about 55 ms of CPU in a fresh process), building a histogram per trend from the
 * counts and encoding it value by value: some 40 ms more, all outside the load window of a
 * process that is always cold. Here it is one pass over the counts and Node's zlib.
 *
 * Format (big-endian): `[cookie 0x1c849314][int32 length][zlib deflate of:
 * [cookie 0x1c849313][int32 payload length][int32 1][int32 digits][int64 lowest][int64 highest]
 * [int64 1][payload]]`, base64. The payload is the counts array up to the last non-zero count,
 * each count a ZigZag LEB128 number and each run of two or more zeros one negative number.
 * Decoding is bounded whatever the text says: the inflated size is capped at what the largest
 * histogram of these bounds can take, every bucket index is checked against the bounds, and a
 * histogram with other bounds (not written by nexus-harness) is refused rather than handed to a
 * library that would walk whatever run of zeros it claims.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { HDR_COUNTS_LENGTH, HDR_HIGHEST_US, HDR_LOWEST_US, HDR_SIGNIFICANT_DIGITS } from './hdr.js';

const V2_COOKIE = 0x1c849313;
const V2_COMPRESSED_COOKIE = 0x1c849314;
/** Cookie, payload length, index offset, digits: 4 × int32; lowest, highest, ratio: 3 × int64. */
const HEADER_BYTES = 40;
/** A ZigZag LEB128 word of a count below 2^53 takes at most 8 bytes here (9 in the format). */
const MAX_WORD_BYTES = 9;
/** The largest uncompressed histogram of the harness bounds: a word per bucket. */
const MAX_RAW_BYTES = HEADER_BYTES + HDR_COUNTS_LENGTH * MAX_WORD_BYTES;

/**
 * `counts` (harness layout, µs) as the result's histogram text.
 *
 * @example
 * entry.histogram = encodeCountsBase64(cell.counts);
 */
export function encodeCountsBase64(counts: Uint32Array): string {
  let limit = counts.length;
  while (limit > 0 && counts[limit - 1] === 0) limit--;
  // hdr-histogram-js writes an empty histogram as one zero count; so do we.
  if (limit === 0) limit = 1;
  const raw = Buffer.allocUnsafe(HEADER_BYTES + limit * MAX_WORD_BYTES);
  raw.writeInt32BE(V2_COOKIE, 0);
  raw.writeInt32BE(1, 8);
  raw.writeInt32BE(HDR_SIGNIFICANT_DIGITS, 12);
  writeInt64(raw, HDR_LOWEST_US, 16);
  writeInt64(raw, HDR_HIGHEST_US, 24);
  writeInt64(raw, 1, 32);
  let at = HEADER_BYTES;
  for (let i = 0; i < limit; ) {
    const count = counts[i++]!;
    if (count !== 0) {
      at = writeZigZag(raw, count, at);
      continue;
    }
    let zeros = 1;
    while (i < limit && counts[i] === 0) {
      zeros++;
      i++;
    }
    at = writeZigZag(raw, zeros > 1 ? -zeros : 0, at);
  }
  raw.writeInt32BE(at - HEADER_BYTES, 4);
  const compressed = deflateSync(raw.subarray(0, at));
  const out = Buffer.allocUnsafe(8 + compressed.length);
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(compressed.length, 4);
  compressed.copy(out, 8);
  return out.toString('base64');
}

/**
 * The counts (harness layout, µs) of a result's histogram text. Throws an `Error` saying
 * what is wrong with a text that is not one.
 *
 * @example
 * const counts = decodeCountsBase64(entry.histogram);
 */
export function decodeCountsBase64(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < 8 || bytes.readInt32BE(0) !== V2_COMPRESSED_COOKIE) {
    throw new Error('not an HdrHistogram V2 compressed histogram (no valid cookie)');
  }
  const length = bytes.readInt32BE(4);
  if (length < 0 || 8 + length > bytes.length) throw new Error('the compressed histogram is cut short');
  let raw: Buffer;
  try {
    raw = inflateSync(bytes.subarray(8, 8 + length), { maxOutputLength: MAX_RAW_BYTES });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `the histogram inflates past ${MAX_RAW_BYTES} bytes, more than any histogram of these bounds`
        : `the compressed histogram does not inflate (${(cause as Error).message})`,
    );
  }
  if (raw.length < HEADER_BYTES || raw.readInt32BE(0) !== V2_COOKIE) {
    throw new Error('not an HdrHistogram V2 histogram inside the compression (no valid cookie)');
  }
  const ours =
    raw.readInt32BE(12) === HDR_SIGNIFICANT_DIGITS &&
    readInt64(raw, 16) === HDR_LOWEST_US &&
    readInt64(raw, 24) === HDR_HIGHEST_US;
  if (!ours) {
    throw new Error(
      `its bounds (${readInt64(raw, 16)} … ${readInt64(raw, 24)} µs, ${raw.readInt32BE(12)} digits) are not nexus-harness's ` +
        `(${HDR_LOWEST_US} … ${HDR_HIGHEST_US} µs, ${HDR_SIGNIFICANT_DIGITS} digits)`,
    );
  }
  const payload = raw.readInt32BE(4);
  const end = HEADER_BYTES + payload;
  if (payload < 0 || end > raw.length) throw new Error('the histogram payload is cut short');
  const counts = new Uint32Array(HDR_COUNTS_LENGTH);
  let index = 0;
  let at = HEADER_BYTES;
  while (at < end) {
    const [value, next] = readZigZag(raw, at, end);
    at = next;
    if (value < 0) {
      index -= value;
      if (index > HDR_COUNTS_LENGTH) throw new Error('the histogram has more buckets than its bounds allow');
      continue;
    }
    if (index >= HDR_COUNTS_LENGTH) throw new Error('the histogram has more buckets than its bounds allow');
    if (value > 0xffff_ffff) throw new Error(`a bucket holds ${value} values, more than 32-bit counts allow`);
    counts[index++] = value;
  }
  return counts;
}

function writeInt64(buffer: Buffer, value: number, at: number): void {
  buffer.writeInt32BE(Math.floor(value / 2 ** 32), at);
  buffer.writeUInt32BE(value >>> 0, at + 4);
}

function readInt64(buffer: Buffer, at: number): number {
  return buffer.readInt32BE(at) * 2 ** 32 + buffer.readUInt32BE(at + 4);
}

/** Writes `value` ZigZag LEB128 at `at` and returns the position after it. */
function writeZigZag(buffer: Buffer, value: number, at: number): number {
  // Arithmetic, not bit operations: zigzagged counts pass 2^31.
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  while (rest >= 0x80) {
    buffer[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[at++] = rest;
  return at;
}

/** The ZigZag LEB128 number at `at` and the position after it. */
function readZigZag(buffer: Buffer, at: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_WORD_BYTES; i++) {
    if (at >= end) throw new Error('the histogram payload ends inside a number');
    const byte = buffer[at++]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value % 2 === 0 ? value / 2 : -(value + 1) / 2, at];
    scale *= 0x80;
  }
  throw new Error('the histogram payload holds a number longer than 9 bytes');
}
