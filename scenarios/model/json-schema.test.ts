import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchema } from './json-schema.js';

describe('scenario JSON Schema', () => {
  it('is committed up to date (regenerate: npx tsx scenarios/model/json-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(SCENARIO_JSON_SCHEMA_PATH, 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('describes executors by type and refuses unknown top-level fields', () => {
    const schema = scenarioJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { additionalProperties?: { oneOf?: unknown[] } }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'executors']);
    expect(schema.properties.executors?.additionalProperties?.oneOf).toHaveLength(6);
  });
});
