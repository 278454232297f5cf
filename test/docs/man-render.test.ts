/**
 * Every man page the package ships renders clean on an 80-column terminal:
 * no troff warning ("cannot adjust line", "can't break line": tables whose
 * columns do not fit), no table wider than the terminal, and no HTML entity
 * (&quot;) left by the markdown converter.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import { command, needs } from '../helpers/skip-gate.js';

const pages = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string[] }).man;

describe('man pages at MANWIDTH=80', needs(command('man', '--version')), () => {
  for (const page of pages) {
    it(page, () => {
      const env = { ...process.env, MANWIDTH: '80', LC_ALL: 'C.UTF-8' };
      const r = spawnSync('man', ['-l', join(ROOT, page)], { encoding: 'utf8', env });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const wide = r.stdout.split('\n').filter((l) => /[┌│├└]/.test(l) && [...l].length > 80);
      expect(wide).toEqual([]);
      expect(r.stdout.match(/&(quot|#39|lt|gt|amp);/g) ?? []).toEqual([]);
    });
  }
});
