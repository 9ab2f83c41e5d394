import { describe, expect, it } from 'vitest';
import { readSnapshot, snapshotLines } from '../../fixtures/dlp-corpus/scan-snapshot.ts';

/**
 * The scan gives exactly what it gave before it was made faster: every finding (type, confidence,
 * offsets, preview, name) on every labelled message and the bench's 100 KB messages, under four
 * policies (default, ten school patterns and a word list, the bench's evil mix, some detectors
 * off). A change that means to change detections regenerates the snapshot on purpose (see
 * bench/README.md, "Scan snapshot"); a speed-up never does.
 */
describe('scan snapshot', () => {
  it('finds exactly what the snapshot recorded, message by message', () => {
    const expected = readSnapshot();
    const actual = snapshotLines();
    expect(actual.length).toBe(expected.length);
    const differing: string[] = [];
    for (let i = 0; i < actual.length; i++) {
      if (actual[i] !== expected[i]) differing.push(`${actual[i]!.slice(0, 120)}…`);
    }
    // The first differences in full, so a failure says where to look.
    const first = actual.findIndex((l, i) => l !== expected[i]);
    if (first >= 0) expect(actual[first]).toBe(expected[first]);
    expect(differing).toEqual([]);
  });
});
