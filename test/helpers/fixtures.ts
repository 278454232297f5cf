/**
 * Small C fixtures compiled once per checkout into build/test-fixtures/
 * (rebuilt when the source is newer).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sandbox.js';

export const FIXTURE_DIR = join(ROOT, 'build', 'test-fixtures');

export function compiled(name: string, extraFlags: string[] = []): string {
  const src = join(ROOT, 'test', 'fixtures', `${name}.c`);
  const out = join(FIXTURE_DIR, name);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(FIXTURE_DIR, { recursive: true });
    execFileSync('cc', ['-O2', '-o', out, src, ...extraFlags], { stdio: 'pipe' });
  }
  return out;
}
