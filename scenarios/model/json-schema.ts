import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { scenarioSchema } from './scenario.js';
import { iterationSchema } from './script.js';

/** Where the committed JSON Schema of scenario files lives. */
export const SCENARIO_JSON_SCHEMA_PATH = fileURLToPath(new URL('./scenario.schema.json', import.meta.url));

/**
 * The JSON Schema (draft 2020-12) of a scenario file as authored, generated from
 * {@link scenarioSchema}: editors use it for completion and inline errors when a JSON
 * scenario starts with `"$schema": "<path to>/scenarios/model/scenario.schema.json"`. Rules a
 * JSON Schema cannot state (duration strings, `maxVUs ≥ preAllocatedVUs`, …) are only checked
 * by `validateScenario`. `iteration` (a function) cannot be in JSON at all: the schema refuses
 * it and says why.
 *
 * @example
 * writeFileSync('scenario.schema.json', `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema !== iterationSchema) return;
      // `not: {}` matches nothing: an editor marks the field, with the reason as its description.
      ctx.jsonSchema.not = {};
      ctx.jsonSchema.description =
        'A scripted iteration is a function: it needs a .ts, .mts, .js or .mjs scenario file. JSON scenarios use workload.mix.';
    },
  }) as Record<string, unknown>;
}

// `npx tsx scenarios/model/json-schema.ts && npx biome format --write scenarios/model` rewrites the committed file.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCENARIO_JSON_SCHEMA_PATH, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  process.stdout.write(`Wrote ${SCENARIO_JSON_SCHEMA_PATH}\n`);
}
