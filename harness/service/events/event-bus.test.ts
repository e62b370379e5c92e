import { describe, expect, it } from 'vitest';
import type { ServiceEvents } from '../types.js';
import { createEventBus } from './event-bus.js';

function recordingLogger() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    logger: { warn: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }) },
  };
}

const RECEIVED: ServiceEvents['message:received'] = { userId: 'u1', sessionId: 's1', length: 5, opId: null };

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createEventBus', () => {
  it('calls every listener of the event in order, with the payload, and counts emits per event', () => {
    const { logger } = recordingLogger();
    const bus = createEventBus({ logger });
    const seen: string[] = [];
    bus.on('message:received', (p) => void seen.push(`a:${p.userId}`));
    bus.on('message:received', (p) => void seen.push(`b:${p.length}`));
    bus.on('response:generated', () => void seen.push('other'));
    bus.emit('message:received', RECEIVED);
    bus.emit('message:received', RECEIVED);
    expect(seen).toEqual(['a:u1', 'b:5', 'a:u1', 'b:5']);
    expect(bus.counts()).toEqual({ 'message:received': 2, 'response:generated': 0, 'error:occurred': 0 });
  });

  it('a throwing listener is logged once; the others run; emit does not throw', () => {
    const { logger, lines } = recordingLogger();
    const bus = createEventBus({ logger });
    const seen: string[] = [];
    bus.on('message:received', function analytics() {
      throw new Error('analytics down');
    });
    bus.on('message:received', () => void seen.push('after'));
    expect(() => bus.emit('message:received', RECEIVED)).not.toThrow();
    expect(seen).toEqual(['after']);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields).toMatchObject({
      event: 'message:received',
      listener: 'analytics',
      err: { name: 'Error', message: 'analytics down' },
    });
  });

  it('a rejecting listener is not awaited, is logged once, and leaves no unhandled rejection', async () => {
    const { logger, lines } = recordingLogger();
    const bus = createEventBus({ logger });
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    bus.on('error:occurred', async () => {
      await slow; // never settles before emit returns: emit must not wait for it
    });
    bus.on('error:occurred', async () => {
      throw Object.assign(new Error('notify failed'), { code: 'E_NOTIFY' });
    });
    // An unhandled rejection would fail this run: vitest reports them as errors.
    bus.emit('error:occurred', { userId: 'u1', action: 'send', error: { name: 'E', message: 'm' } });
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields).toMatchObject({ event: 'error:occurred', err: { code: 'E_NOTIFY' } });
    release();
    await settle();
    expect(lines).toHaveLength(1);
  });

  it('a thrown non-Error and a logger that throws still leave the emitter unharmed', () => {
    const bus = createEventBus({
      logger: {
        warn: () => {
          throw new Error('logger broken');
        },
      },
    });
    bus.on('message:received', () => {
      throw 'a string';
    });
    expect(() => bus.emit('message:received', RECEIVED)).not.toThrow();
    expect(bus.counts()['message:received']).toBe(1);
  });

  it('the remover removes that registration only; removal during emit does not skip others', () => {
    const { logger } = recordingLogger();
    const bus = createEventBus({ logger });
    const seen: string[] = [];
    const listener = () => void seen.push('x');
    const offFirst = bus.on('message:received', listener);
    bus.on('message:received', listener);
    const offSelf = bus.on('message:received', () => {
      seen.push('self');
      offSelf();
    });
    bus.on('message:received', () => void seen.push('last'));
    bus.emit('message:received', RECEIVED);
    offFirst();
    bus.emit('message:received', RECEIVED);
    expect(seen).toEqual(['x', 'x', 'self', 'last', 'x', 'last']);
  });

  it('a remover called twice removes its own registration once, not another of the same function', () => {
    const { logger } = recordingLogger();
    const bus = createEventBus({ logger });
    let calls = 0;
    const listener = () => {
      calls += 1;
    };
    const off = bus.on('message:received', listener);
    bus.on('message:received', listener);
    off();
    off();
    bus.emit('message:received', RECEIVED);
    expect(calls).toBe(1);
  });

  it('a listener that emits, or adds one, runs the inner emit in full; the added one waits for the next emit', () => {
    const { logger, lines } = recordingLogger();
    const bus = createEventBus({ logger });
    const seen: string[] = [];
    bus.on('message:received', () => {
      seen.push('received');
      bus.on('message:received', () => void seen.push('added'));
      bus.emit('response:generated', { userId: 'u1', sessionId: 's1', messageId: 'm1', latencyMs: 1 });
    });
    bus.on('response:generated', () => void seen.push('generated'));
    bus.emit('message:received', RECEIVED);
    expect(seen).toEqual(['received', 'generated']);
    expect(bus.counts()).toMatchObject({ 'message:received': 1, 'response:generated': 1 });
    expect(lines).toEqual([]);
  });
});
