// npm run package: packs this machine's build as ./binfmt-VERSION.tgz, for the
// architecture it was built for: the packed package.json gets "cpu" from the
// ELF header of the addon and the loader (they must agree), so that npm
// installs it there and refuses it elsewhere. The checkout's package.json has
// no "cpu": npm enforces it on the project itself too, and `npm ci` must work
// on an aarch64 machine that builds from source. Publish this tarball, not a
// plain `npm publish` (prepublishOnly refuses that).
//
//   node scripts/pack.mjs [--build DIR] [--out DIR]   default: build/Release, .
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { build: { type: 'string' }, out: { type: 'string' } } });
const build = resolve(values.build ?? join(root, 'build', 'Release'));
const out = resolve(values.out ?? '.');

// e_machine (ELF header offset 18, little-endian) to Node's process.arch.
const ARCH = { 62: 'x64', 183: 'arm64' };
function archOf(file) {
  const b = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, b, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (b.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file}: not an ELF file`);
  const arch = ARCH[b.readUInt16LE(18)];
  if (!arch) throw new Error(`${file}: ELF machine ${b.readUInt16LE(18)} is not one binfmt builds for`);
  return arch;
}

const parts = ['binfmt_native.node', 'binfmt-loader'];
const arches = [...new Set(parts.map((p) => archOf(join(build, p))))];
if (arches.length !== 1) {
  console.error(`pack: ${build} mixes architectures (${arches.join(', ')}): rebuild it`);
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
pkg.cpu = arches;

/** A "files" entry as paths: a '*' in its last part matches any run of characters there (npm's own glob, enough for ours). */
function expand(f) {
  if (!basename(f).includes('*')) return [f];
  const re = new RegExp(
    `^${basename(f)
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return readdirSync(join(root, dirname(f)))
    .filter((n) => re.test(n))
    .map((n) => join(dirname(f), n));
}

const stage = mkdtempSync(join(tmpdir(), 'binfmt-pack-'));
try {
  for (const f of [...pkg.files, 'README.md', 'LICENSE'].flatMap(expand)) {
    const from = f.startsWith('build/Release/') ? join(build, f.slice('build/Release/'.length)) : join(root, f);
    cpSync(from, join(stage, f), { recursive: true });
  }
  writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const name = execFileSync('npm', ['pack', '--loglevel=warn', '--pack-destination', out], {
    cwd: stage,
    encoding: 'utf8',
  }).trim();
  console.log(join(out, name.split('\n').pop()));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
