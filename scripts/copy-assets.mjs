// `npm run build`, last step: copies the files the compiled code reads beside itself into
// dist/, at the same path as in the sources (tsc copies no JSON it does not import). No
// dependencies. The committed pact is not copied: it is read from the package root
// (harness/util/package-root.ts) and shipped from there (package.json `files`).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Source paths, relative to the package root; each lands at dist/<path>. */
const ASSETS = [
  // scenarios/model/json-schema.ts: new URL('./scenario.schema.json', import.meta.url)
  'scenarios/model/scenario.schema.json',
  // reports/html/assets.ts: the HTML report's own script and styles, inlined into each page
  'reports/html/page-script.js',
  'reports/html/page-styles.css',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const asset of ASSETS) {
  const from = join(root, asset);
  if (!existsSync(from)) {
    process.stderr.write(`copy-assets: ${asset} is missing; the package would ship without it.\n`);
    process.exit(1);
  }
  const to = join(root, 'dist', asset);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
process.stdout.write(`copy-assets: ${ASSETS.length} file(s) copied into dist/\n`);
