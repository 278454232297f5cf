/**
 * `mkdir -p` that fails fast. Node's mkdirSync(path, { recursive: true })
 * loops forever on procfs and sysfs (they answer ENOENT to creating a
 * directory under an existing one, and Node then retries the parent), so a
 * mistyped --state-dir /proc/... would spin at 100% CPU. This walks up to the
 * nearest existing ancestor and creates each missing component with one plain
 * mkdir(2); the first failure is thrown as it is (ENOENT, EACCES, ENOTDIR, ...).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(path: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) mkdirSync(p); // throws EEXIST (or ENOTDIR) naming p
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(p);
      if (dirname(p) === p) break;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // made meanwhile by another process
    }
  }
}
