import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { HDR_COUNTS_LENGTH, histogramFromCounts } from './hdr.js';
import { decodeCountsBase64, encodeCountsBase64 } from './hdr-codec.js';

/** Counts with a few filled buckets anywhere, runs of neighbours, and counts up to 2^32 − 1. */
const countsArbitrary = fc
  .array(
    fc.record({
      index: fc.integer({ min: 0, max: HDR_COUNTS_LENGTH - 1 }),
      run: fc.integer({ min: 1, max: 40 }),
      count: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 0xffff_ffff })),
    }),
    { maxLength: 30 },
  )
  .map((fills) => {
    const counts = new Uint32Array(HDR_COUNTS_LENGTH);
    for (const { index, run, count } of fills) {
      for (let i = index; i < Math.min(HDR_COUNTS_LENGTH, index + run); i++) counts[i] = count;
    }
    return counts;
  });

describe('hdr-codec', () => {
  it("writes exactly the text hdr-histogram-js's encodeIntoCompressedBase64 writes for the same counts", () => {
    fc.assert(
      fc.property(countsArbitrary, (counts) => {
        expect(encodeCountsBase64(counts)).toBe(encodeIntoCompressedBase64(histogramFromCounts(counts)));
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('reads back the counts it wrote, and what hdr-histogram-js wrote', () => {
    fc.assert(
      fc.property(countsArbitrary, (counts) => {
        expect(decodeCountsBase64(encodeCountsBase64(counts))).toEqual(counts);
        expect(decodeCountsBase64(encodeIntoCompressedBase64(histogramFromCounts(counts)))).toEqual(counts);
      }),
      { numRuns: 60, seed: 8 },
    );
  });

  it('encodes an empty histogram as hdr-histogram-js does, and reads it back empty', () => {
    const empty = new Uint32Array(HDR_COUNTS_LENGTH);
    expect(encodeCountsBase64(empty)).toBe(encodeIntoCompressedBase64(histogramFromCounts(empty)));
    expect(decodeCountsBase64(encodeCountsBase64(empty)).some((c) => c !== 0)).toBe(false);
  });

  it('refuses a histogram with other bounds: it was not written by nexus-harness', () => {
    const foreign = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 10_000_000,
      numberOfSignificantValueDigits: 2,
    });
    foreign.recordValueWithCount(250, 5);
    expect(() => decodeCountsBase64(encodeIntoCompressedBase64(foreign))).toThrow(
      /its bounds \(1 … 10000000 µs, 2 digits\) are not nexus-harness's/,
    );
  });

  it('is bounded whatever the text claims: a zip bomb, a run of zeros past the bounds, a negative length', () => {
    const frame = (raw: Buffer) => {
      const compressed = deflateSync(raw);
      const out = Buffer.alloc(8 + compressed.length);
      out.writeInt32BE(0x1c849314, 0);
      out.writeInt32BE(compressed.length, 4);
      compressed.copy(out, 8);
      return out.toString('base64');
    };
    const header = (payloadLength: number) => {
      const ours = Buffer.from(encodeCountsBase64(new Uint32Array(HDR_COUNTS_LENGTH)), 'base64');
      const raw = Buffer.from(inflateSync(ours.subarray(8)));
      raw.writeInt32BE(payloadLength, 4);
      return raw.subarray(0, 40);
    };
    // 50 MB of zeros compress to ~50 KB: refused before it is inflated whole.
    expect(() =>
      decodeCountsBase64(frame(Buffer.concat([header(50_000_000), Buffer.alloc(50_000_000)]))),
    ).toThrow(/inflates past \d+ bytes/);
    // One ZigZag word claiming 2^40 zeros: refused at once, not walked.
    const run = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x3f]);
    expect(() => decodeCountsBase64(frame(Buffer.concat([header(run.length), run])))).toThrow(
      /more buckets than its bounds/,
    );
    expect(() => decodeCountsBase64(frame(header(-4)))).toThrow(/cut short/);
  });

  it('says what is wrong with a text that is not a histogram', () => {
    expect(() => decodeCountsBase64('bm90IGEgaGlzdG9ncmFt')).toThrow(/no valid cookie/);
    const whole = Buffer.from(
      encodeCountsBase64(new Uint32Array(HDR_COUNTS_LENGTH).fill(1, 0, 10)),
      'base64',
    );
    expect(() => decodeCountsBase64(whole.subarray(0, whole.length - 4).toString('base64'))).toThrow(
      /cut short/,
    );
  });
});
