import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../util/errors.js';
import { createReasonTally, OTHER_REASON, reasonOf } from './reason-tally.js';

describe('reason tally', () => {
  it('names an error by its code, else its name', () => {
    expect(reasonOf(new HarnessError('NH_CLIENT_TIMEOUT', 'reply did not come'))).toBe(
      'NH_CLIENT_TIMEOUT: reply did not come',
    );
    expect(reasonOf(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
    expect(reasonOf('boom')).toBe('thrown value: boom');
  });

  it('names any thrown value, even one String() cannot take, and never throws itself', () => {
    class Oops {
      toString(): string {
        throw new Error('boom');
      }
    }
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no message');
      },
    });
    expect(
      [
        undefined,
        null,
        42,
        Symbol('s'),
        Object.create(null),
        { toString: () => ({}) },
        new Oops(),
        () => {},
        hostile,
      ].map(reasonOf),
    ).toEqual([
      'thrown value: undefined',
      'thrown value: null',
      'thrown value: 42',
      'thrown value: Symbol(s)',
      'thrown value: [unprintable object]',
      'thrown value: [unprintable Object]',
      'thrown value: [unprintable Oops]',
      'thrown value: () => {}',
      'Error: [unprintable message]',
    ]);
  });

  it('makes ids and long numbers alike, so one failure with many ids is one reason', () => {
    const tally = createReasonTally();
    tally.add('session 3f2a9c1e-77b0-4d1e not found after 30000 ms');
    tally.add('session 9b0c11aa-12f4-4e2a not found after 30001 ms');
    expect(tally.entries()).toEqual([['session <id> not found after N ms', 2]]);
  });

  it('keeps at most maxReasons distinct reasons, cut to maxLength, the rest under "other"', () => {
    const tally = createReasonTally({ maxReasons: 2, maxLength: 10 });
    tally.add('alpha');
    tally.add('beta');
    tally.add('gamma');
    tally.add('a very long reason indeed');
    expect(tally.total()).toBe(4);
    expect(tally.entries()).toEqual([
      [OTHER_REASON, 2],
      ['alpha', 1],
      ['beta', 1],
    ]);
    expect(tally.summary(1)).toBe(`${OTHER_REASON} ×2; and 2 other reason(s)`);
    expect(createReasonTally({ maxLength: 10 }).add('a very long reason indeed')).toBe('a very lo…');
  });
});
