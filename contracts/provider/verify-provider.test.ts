import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../harness/util/errors.js';
import { PACT_FILE_NAME } from '../nexus-api.js';
import { findPactFiles, providerRoot } from './verify-provider.js';

describe('providerRoot', () => {
  it('strips the API base path, so the pact paths (which carry it) land right', () => {
    expect(providerRoot('http://127.0.0.1:4010/api/public').href).toBe('http://127.0.0.1:4010/');
    expect(providerRoot('http://127.0.0.1:4010/api/public/').href).toBe('http://127.0.0.1:4010/');
    expect(providerRoot('http://127.0.0.1:4010').href).toBe('http://127.0.0.1:4010/');
    expect(providerRoot('https://gw.example/nexus/api/public?x=1').href).toBe('https://gw.example/nexus');
  });

  it('refuses what is not an http(s) URL, as a usage error', () => {
    expect(() => providerRoot('127.0.0.1:4010')).toThrow(UsageError);
    expect(() => providerRoot('ftp://host/api/public')).toThrow(/must be http or https/);
  });
});

describe('findPactFiles', () => {
  it('finds the Nexus API pacts and ignores other JSON; none is a usage error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-harness-find-pacts-'));
    try {
      await expect(findPactFiles(dir)).rejects.toThrow(/Run 'nexus-harness contracts test' first/);
      await writeFile(join(dir, 'other.json'), '{"provider":{"name":"someone-else"}}');
      await writeFile(join(dir, 'broken.json'), '{');
      await writeFile(join(dir, PACT_FILE_NAME), '{"provider":{"name":"nexus-api"},"interactions":[]}');
      expect(await findPactFiles(dir)).toEqual([join(dir, PACT_FILE_NAME)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(findPactFiles(join(dir, 'gone'))).rejects.toThrow(UsageError);
  });
});
