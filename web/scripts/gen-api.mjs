// Generates src/types/openapi.gen.ts from ../api/openapi.yaml with openapi-typescript.
// With --check it generates into a temporary file instead and fails when the committed
// file differs, so a changed contract cannot go unnoticed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const spec = join(web, '../api/openapi.yaml');
const target = join(web, 'src/types/openapi.gen.ts');
const cli = join(web, 'node_modules/.bin/openapi-typescript');

const generate = (output) => execFileSync(cli, [spec, '--output', output], { stdio: ['ignore', 'ignore', 'inherit'] });

if (!process.argv.includes('--check')) {
  generate(target);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'openapi-gen-'));
try {
  const fresh = join(dir, 'openapi.gen.ts');
  generate(fresh);
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // Missing: reported as stale below.
  }
  if (readFileSync(fresh, 'utf8') !== committed) {
    console.error('src/types/openapi.gen.ts is stale: api/openapi.yaml changed. Run `npm run gen:api` and commit the result.');
    process.exitCode = 1;
  } else {
    console.log('src/types/openapi.gen.ts matches api/openapi.yaml.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
