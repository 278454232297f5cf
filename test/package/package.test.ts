/**
 * The npm package is a package: what `npm pack` ships and what a global
 * install gives a user (the bin, man pages man(1) finds, a licence, the
 * platform it runs on), and the aarch64 path: a build for aarch64 (here the
 * cross toolchain stands in for an aarch64 machine) packs as an arm64
 * package whose loader runs (under qemu-aarch64-static, started by hand).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import {
  install,
  installed,
  installedFiles,
  pack,
  removeScratch,
  scratchDir,
  type Installed,
} from '../helpers/installed.js';
import { files, needs } from '../helpers/skip-gate.js';

const EM = { x64: 62, arm64: 183 } as const;
const machineOf = (file: string) => readFileSync(file).readUInt16LE(18);
const pageSources = readdirSync(join(ROOT, 'docs')).filter((f) => /^.+\.[1-8]\.md$/.test(f));
afterAll(removeScratch);

describe('the installed package', () => {
  let p: Installed;
  let manifest: Record<string, unknown> & { cpu: string[]; os: string[]; man: string[] };
  beforeAll(() => {
    p = installed();
    manifest = JSON.parse(readFileSync(join(p.pkg, 'package.json'), 'utf8'));
  });

  it('ships the MIT licence that package.json names', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(p.pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it('runs from PATH: binfmt --version', () => {
    const r = spawnSync('binfmt', ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${p.bin}:/usr/bin:/bin` },
    });
    expect(r.stdout.trim()).toBe(manifest.version);
  });

  it('loads its bundles from their code caches where it is installed', () => {
    const code = `import { compileCached } from ${JSON.stringify(join(ROOT, 'dist', 'sys', 'code-cache.js'))};
      const files = ['program.cjs', 'commands/emulate.cjs', 'commands/list.cjs'].map((f) => ${JSON.stringify(join(p.pkg, 'dist', 'cli'))} + '/' + f);
      console.log(JSON.stringify(files.map((f) => compileCached(f)?.fromCache ?? null)));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual([true, true, true]);
  });

  it('declares os and cpu matching the prebuilt parts it carries', () => {
    expect(manifest.os).toEqual(['linux']);
    expect(manifest.cpu).toEqual(['x64']);
    // The checkout names no cpu: npm enforces it on the project itself, and `npm ci` must work on aarch64.
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).cpu).toBeUndefined();
    for (const part of ['build/Release/binfmt_native.node', 'build/Release/binfmt-loader'])
      expect([part, machineOf(join(p.pkg, part))]).toEqual([part, EM.x64]);
  });

  it('carries only what the bin loads: its bundles, no module tree, no fuzz sources, no dependencies', () => {
    const files = installedFiles(p.pkg);
    // The bin's launcher, the program's bundle and one bundle per command module, which it requires when that
    // command runs; each of these two kinds with its code cache.
    const commands = readdirSync(join(ROOT, 'src', 'cli', 'commands'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `dist/cli/commands/${f.replace(/\.ts$/, '.cjs')}`);
    const bundles = files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/man/')).sort();
    expect(bundles).toEqual(
      ['dist/cli/binfmt.cjs', ...['dist/cli/program.cjs', ...commands].flatMap((b) => [b, `${b}.cache`])].sort(),
    );
    expect(files.filter((f) => f.includes('fuzz'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('build/'))).toEqual(
      ['build/Release/binfmt-loader', 'build/Release/binfmt_native.node'].sort(),
    );
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(join(p.pkg, 'node_modules'))).toBe(false);
  });

  it('has a man page for every docs/NAME.N.md, and man(1) finds them under the prefix', () => {
    expect(manifest.man.map((m) => m.replace(/^dist\/man\//, '') + '.md').sort()).toEqual(pageSources.sort());
    for (const page of ['binfmt', 'binfmt-register', 'binfmt.d', 'binfmt-loader']) {
      const env = { ...process.env, MANPATH: join(p.prefix, 'share', 'man'), MANWIDTH: '80', LC_ALL: 'C.UTF-8' };
      const where = spawnSync('man', ['-w', page], { encoding: 'utf8', env });
      expect(where.stdout.trim().startsWith(p.prefix)).toBe(true);
      const text = spawnSync('man', [page], { encoding: 'utf8', env }).stdout;
      expect(text).toMatch(new RegExp(`^NAME\\n\\s+${page.replace('.', '\\.')}\\s+-\\s`, 'm'));
      expect(text).not.toContain('<br>');
    }
  });
});

const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const SYSROOT = '/usr/aarch64-linux-gnu';
const A64_LDSO = `${SYSROOT}/lib/ld-linux-aarch64.so.1`;
const QEMU = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin', 'qemu-aarch64-static');
const crossMissing = ['aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-g++'].filter((c) => !onPath(c));

describe(
  'an aarch64 build',
  needs(...crossMissing.map((c) => ({ ok: false, reason: `no ${c} (scripts/install-deps.sh installs it)` }))),
  () => {
    let build: string;
    let tarball: string;
    beforeAll(() => {
      // What README's one command does on an aarch64 machine, with the cross compilers standing in for native ones.
      const out = scratchDir('binfmt-a64-');
      const r = spawnSync(
        'npx',
        [
          'cmake-js',
          'compile',
          '--out',
          out,
          '--CDCMAKE_BUILD_TYPE=Release',
          '--CDCMAKE_SYSTEM_NAME=Linux',
          '--CDCMAKE_SYSTEM_PROCESSOR=aarch64',
          '--CDCMAKE_C_COMPILER=aarch64-linux-gnu-gcc',
          '--CDCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++',
          '--CDBINFMT_LOADER_AARCH64=OFF',
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
      );
      if (r.status !== 0) throw new Error(`cross build failed:\n${r.stdout}${r.stderr}`);
      build = join(out, 'Release');
      tarball = pack({ build });
    });

    it('builds both native parts for aarch64 and packs them as an arm64 package', () => {
      expect(machineOf(join(build, 'binfmt_native.node'))).toBe(EM.arm64);
      expect(machineOf(join(build, 'binfmt-loader'))).toBe(EM.arm64);
      const m = JSON.parse(spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout);
      expect(m.cpu).toEqual(['arm64']);
    });

    it('is refused on x86-64 by npm (installed here only by force)', () => {
      expect(() => install(tarball)).toThrow(/EBADPLATFORM|Unsupported platform/);
      const a = install(tarball, ['--force']);
      expect(machineOf(join(a.pkg, 'build/Release/binfmt-loader'))).toBe(EM.arm64);
    });

    it('its installed loader runs an aarch64 program under qemu', needs(files(QEMU, A64_LDSO)), () => {
      const a = install(tarball, ['--force']);
      const loader = join(a.pkg, 'build/Release/binfmt-loader');
      // ld.so run as a command prints its usage: enough to show the loader mapped it and jumped to it.
      const r = spawnSync(QEMU, ['-L', SYSROOT, loader, '--ld', A64_LDSO, '--', A64_LDSO, '--version'], {
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^ld\.so \(.*\) stable release version 2\.\d+/);
      expect(r.status).toBe(0);
    });
  },
);
