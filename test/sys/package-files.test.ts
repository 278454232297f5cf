/**
 * The package's own files are found by the package.json marker, from the
 * sources and from the bundle, at any depth.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDir, docsDir, findPackageRoot, packageRoot, shippedDefinitionsDir } from '../../src/sys/package-files.js';
import { tempDir } from '../helpers/tmp.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI bundle and its per-command bundles (npm run build). */
const BUNDLE_DIR = join(REPO, 'dist/cli');
const tmp = tempDir('binfmt-pkg-');

function tree(pkgName: string): string {
  const root = mkdtempSync(join(tmp, 'root-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: pkgName }));
  return root;
}

describe('the package root', () => {
  it('from the sources is the repository', () => {
    expect(packageRoot()).toBe(REPO);
    expect(existsSync(join(shippedDefinitionsDir(), 'slulb.conf'))).toBe(true);
    expect(existsSync(join(docsDir(), 'binfmt.1.md'))).toBe(true);
    expect(buildDir()).toBe(join(REPO, 'build', 'Release'));
  });

  it('is the nearest directory above whose package.json is named binfmt, skipping other packages', () => {
    const root = tree('binfmt');
    const deep = join(root, 'node_modules', 'other', 'a', 'b');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    writeFileSync(join(root, 'node_modules', 'other', 'a', 'package.json'), '{ not json');
    expect(findPackageRoot(deep)).toBe(root);
  });

  it('is a clear ENOENT when there is no such directory', () => {
    const root = tree('not-binfmt');
    expect(() => findPackageRoot(root)).toThrow(/no package.json named "binfmt" in .* or any directory above it/);
  });

  it("from the bundle (npm run build) at another depth finds that package's build output", () => {
    const root = tree('binfmt');
    const where = join(root, 'lib', 'deeper', 'still');
    mkdirSync(where, { recursive: true });
    mkdirSync(join(root, 'build', 'Release'), { recursive: true });
    writeFileSync(join(root, 'build', 'Release', 'binfmt-loader'), '');
    cpSync(BUNDLE_DIR, where, { recursive: true });
    const r = spawnSync(process.execPath, [join(where, 'binfmt.cjs'), 'loader', 'path'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${join(root, 'build', 'Release', 'binfmt-loader')}\n`);
  });
});
