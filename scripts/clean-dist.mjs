// `npm run build`, first step: removes dist/, so the package never ships the output of a
// source file that has since been deleted or renamed. No dependencies.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
