import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback.js';

describe('isLoopbackHost', () => {
  it('knows localhost, 127.0.0.0/8 and ::1, and nothing else', () => {
    for (const name of ['localhost', 'LocalHost', '127.0.0.1', '127.255.0.9', '::1', '[::1]']) {
      expect(isLoopbackHost(name), name).toBe(true);
    }
    for (const name of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.evil', '127.0.0.1.evil', '']) {
      expect(isLoopbackHost(name), name).toBe(false);
    }
  });
});
