/**
 * README's install and kernel paragraphs say how to get what they ask for:
 * the package is not published (it is built with `npm run package`), and a
 * Debian 12 user, whose kernel is 6.1, learns where a 6.7 or later comes from.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('README', () => {
  it('says how to get the package, which no registry has', () => {
    expect(readme).not.toMatch(/from the registry|published package/i);
    expect(readme).toContain('not published');
    expect(readme).toContain(`npm ci && npm run package && npm install -g ./binfmt-${pkg.version}.tgz`);
  });

  it('says where Debian 12 gets a kernel of 6.7 or later', () => {
    expect(readme).toContain('Linux 6.7 or later');
    expect(readme).toContain('Debian 12 ships Linux 6.1');
    expect(readme).toContain('apt-get install -t bookworm-backports linux-image-amd64');
  });
});
