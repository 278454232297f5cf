/**
 * `binfmt loader path|stamp|show` and what a configured copy does: a fixed
 * ld.so path, an embedded ld.so (a chroot with neither ld.so nor the loader,
 * F flag, sandbox), and the program's own PT_INTERP resolved inside a root.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/sandbox.js';
import { register, run as step, sandboxedSteps } from '../helpers/steps.js';
import { GLIBC_LDSO, LOADER, MUSL_LDSO, buildFixtures, fixture, run } from './helpers.js';
import {
  formatConfigArea,
  parseConfigArea,
  UNSET_CONFIG,
  CONFIG_HEADER_SIZE,
  CONFIG_STRINGS_MAX,
} from '../../src/loader/config-area.js';
import { stampedImage } from '../../src/loader/stamp-image.js';
import { parseElf64 } from '../../src/elf/elf64.js';
import { inspectImage } from '../../src/loader/inspect.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('binfmt-stamp-');
beforeAll(buildFixtures);

function stamp(args: string[]): { status: number | null; json: ReturnType<typeof JSON.parse>; stderr: string } {
  const r = cli(['loader', 'stamp', '--json', ...args]);
  return { status: r.status, json: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

describe('loader path, stamp, show', () => {
  it('path prints the built loader', () => {
    const r = cli(['loader', 'path', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ path: LOADER });
    expect(cli(['loader', 'path']).stdout).toBe(`${LOADER}\n`);
  });

  it('the built loader carries an unset configuration header, and nothing after it', () => {
    const image = readFileSync(LOADER);
    expect(inspectImage(image, LOADER)).toEqual(UNSET_CONFIG);
    expect(image.subarray(image.length - CONFIG_HEADER_SIZE, image.length - CONFIG_HEADER_SIZE + 8).toString()).toBe(
      'BFLDCONF',
    );
    expect(formatConfigArea(UNSET_CONFIG).length).toBe(CONFIG_HEADER_SIZE);
  });

  it('config areas round-trip, are as long as their strings, and reject what does not fit', () => {
    const c = {
      ...UNSET_CONFIG,
      policy: 'from-program' as const,
      argv0: true,
      root: '/run/host',
      libraryPath: '/a:/b',
    };
    const area = formatConfigArea(c);
    // "" + "/run/host" + "/a:/b" with three NULs: 17 bytes, padded to 24.
    expect(area.length).toBe(CONFIG_HEADER_SIZE + 24);
    expect(new DataView(area.buffer).getUint32(12, true)).toBe(area.length);
    expect(parseConfigArea(area, 'x')).toEqual(c);
    expect(parseConfigArea(formatConfigArea({ ...c, entryP: true }), 'x').entryP).toBe(true);
    // The three strings with their NULs: at most CONFIG_STRINGS_MAX bytes together.
    const full = { ...c, ldPath: '', root: '/'.repeat(4000), libraryPath: '/'.repeat(CONFIG_STRINGS_MAX - 4003) };
    expect(parseConfigArea(formatConfigArea(full), 'x')).toEqual(full);
    expect(() => formatConfigArea({ ...full, libraryPath: full.libraryPath + '/' })).toThrow(
      /libraryPath: ldPath 0, root 4000, libraryPath 8286 bytes: with their NULs at most 12288 fit/,
    );
    const bad = Uint8Array.from(area);
    bad[8] = 9;
    expect(() => parseConfigArea(bad, 'x')).toThrow(/version 9, this tool knows 2 to 3/);
    // A version 2 area (copies stamped before): 512 bytes, the same header and strings.
    const v2 = new Uint8Array(512);
    v2.set(area);
    new DataView(v2.buffer).setUint16(8, 2, true);
    new DataView(v2.buffer).setUint32(12, 512, true);
    expect(parseConfigArea(v2, 'x')).toEqual({ ...c, version: 2 });
    const short = Uint8Array.from(area);
    new DataView(short.buffer).setUint32(12, area.length + 8, true);
    expect(() => parseConfigArea(short, 'x')).toThrow(/unexpected size/);
    // No area is longer than the header and CONFIG_STRINGS_MAX (a multiple of 8).
    const long = new Uint8Array(CONFIG_HEADER_SIZE + CONFIG_STRINGS_MAX + 8);
    long.set(area);
    new DataView(long.buffer).setUint32(12, long.length, true);
    expect(() => parseConfigArea(long, 'x')).toThrow(/unexpected size/);
    const unterminated = Uint8Array.from(area);
    unterminated.fill(0x2f, CONFIG_HEADER_SIZE);
    expect(() => parseConfigArea(unterminated, 'x')).toThrow(/ldPath is not NUL-terminated/);
  });

  it('a stamped copy appends its strings and grows the one PT_LOAD over them', () => {
    const built = readFileSync(LOADER);
    const c = { ...UNSET_CONFIG, policy: 'fixed' as const, ldPath: GLIBC_LDSO, argv0: true };
    const image = stampedImage(built, c, null);
    const grow = formatConfigArea(c).length - CONFIG_HEADER_SIZE;
    expect(image.length).toBe(built.length + grow);
    const { header, phdrs } = parseElf64(built, 'built');
    const load = phdrs.findIndex((p) => p.type === 1);
    const before = phdrs[load]!;
    const after = parseElf64(image, 'copy').phdrs[load]!;
    // Only that program header and the area changed.
    const at = header.phoff + load * 56;
    const same = (b: Uint8Array) => Buffer.concat([b.subarray(0, at), b.subarray(at + 56, built.length - 64)]);
    expect(same(image).equals(same(built))).toBe(true);
    expect(after.filesz - before.filesz).toBe(grow);
    expect(after.memsz - before.memsz).toBe(grow);
    expect(after.offset + after.filesz).toBe(image.length);
    expect(inspectImage(image, 'copy')).toEqual(c);
    // Anything after the header (a file not cut where the image ends) is refused.
    const padded = new Uint8Array(built.length + 8);
    padded.set(built);
    expect(() => stampedImage(padded, c, null)).toThrow(/does not end its image/);
    // A loader built before version 3 (its 512-byte area) is not stamped with this layout.
    const old = new Uint8Array(built.length - CONFIG_HEADER_SIZE + 512);
    old.set(built);
    new DataView(old.buffer).setUint16(built.length - CONFIG_HEADER_SIZE + 8, 2, true);
    new DataView(old.buffer).setUint32(built.length - CONFIG_HEADER_SIZE + 12, 512, true);
    expect(() => stampedImage(old, c, null)).toThrow(/configuration version 2: stamp the loader built with this tool/);
  });

  it('stamp --ld writes a copy that show describes and that runs programs through that ld.so', () => {
    const out = join(tmp, 'fixed');
    const r = stamp(['--out', out, '--ld', GLIBC_LDSO, '--library-path', fixture('lib')]);
    expect(r.status).toBe(0);
    expect(r.json.config).toMatchObject({
      policy: 'fixed',
      ldPath: GLIBC_LDSO,
      libraryPath: fixture('lib'),
      argv0: true,
    });
    const show = cli(['loader', 'show', out, '--json']);
    expect(JSON.parse(show.stdout).config).toEqual(r.json.config);
    // Invoked directly, a configured copy reads argv the way binfmt_misc lays it out.
    const p = run([out, fixture('probe'), 'a']);
    expect(p.status).toBe(0);
    expect(JSON.parse(p.stdout).argv).toEqual([fixture('probe'), 'a']);
    // kind-origin copied away from its lib/ finds it through the baked --library-path.
    writeFileSync(join(tmp, 'origin'), readFileSync(fixture('kind-origin')), { mode: 0o755 });
    expect(run([out, join(tmp, 'origin')]).stdout).toBe('origin ok 42\n');
  });

  it('--dry-run writes nothing', () => {
    const out = join(tmp, 'dry');
    const r = stamp(['--out', out, '--ld', GLIBC_LDSO, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.json.written).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('bad input gets a clear error naming the field and a non-zero exit', () => {
    const cases: [string[], number, RegExp][] = [
      [['--out', join(tmp, 'x')], 2, /exactly one of --ld PATH, --embed-ld PATH, --ld-from-program/],
      [['--out', join(tmp, 'x'), '--ld', GLIBC_LDSO, '--ld-from-program'], 2, /exactly one of/],
      [['--ld', GLIBC_LDSO], 2, /required option '--out <file>' not specified/],
      [['--out', join(tmp, 'x'), '--ld', 'lib64/ld.so'], 1, /--ld: lib64\/ld\.so: must be an absolute path/],
      [
        ['--out', join(tmp, 'x'), '--ld', GLIBC_LDSO, '--root', '/run/host'],
        2,
        /--root only goes with --ld-from-program/,
      ],
      [
        ['--out', join(tmp, 'x'), '--ld-from-program', '--library-path', '/' + 'a'.repeat(CONFIG_STRINGS_MAX)],
        1,
        /libraryPath: ldPath 0, root 0, libraryPath 12289 bytes: with their NULs at most 12288 fit/,
      ],
      [
        ['--out', join(tmp, 'x'), '--ld', GLIBC_LDSO, '--entry-flags', 'PX'],
        1,
        /--entry-flags: "PX": only the flag letters P, O, C, F/,
      ],
      [
        ['--out', join(tmp, 'x'), '--ld-from-program', '--library-path', 'rel/dir'],
        1,
        /--library-path: rel\/dir: every directory must be absolute/,
      ],
      [
        ['--out', join(tmp, 'x'), '--embed-ld', '/etc/passwd'],
        1,
        /\/etc\/passwd: malformed ELF: e_ident\[EI_MAG\] at offset 0x0: not an ELF file/,
      ],
      [['--out', join(tmp, 'x'), '--embed-ld', fixture('probe')], 1, /not an ld\.so \(it has a PT_INTERP\)/],
      [
        ['--out', join(tmp, 'x'), '--embed-ld', join(tmp, 'missing')],
        1,
        /--embed-ld .*missing: no such file or directory \(ENOENT\)/,
      ],
      [['--out', join(tmp, 'nodir', 'x'), '--ld', GLIBC_LDSO], 1, /--out: .*nodir: no such directory/],
    ];
    for (const [args, status, message] of cases) {
      const r = cli(['loader', 'stamp', ...args]);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const show = cli(['loader', 'show', '/bin/true']);
    expect(show.status).toBe(1);
    expect(show.stderr).toMatch(/\/bin\/true: no configuration area/);
  });

  it('--ld-from-program --root resolves PT_INTERP inside the root (RESOLVE_IN_ROOT) and uses its directory; root / or a missing root is native', () => {
    // A root whose /lib64/ld-linux-x86-64.so.2 is an absolute symlink, as on Debian.
    const root = join(tmp, 'root');
    const multi = join(root, 'lib', 'x86_64-linux-gnu');
    const r0 = run([
      'bash',
      '-c',
      `mkdir -p ${root}/lib64 ${multi} && cp /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libc.so.6 ${multi}/ && ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ${root}/lib64/ld-linux-x86-64.so.2`,
    ]);
    expect(r0.status).toBe(0);
    const inRoot = join(tmp, 'in-root');
    expect(stamp(['--out', inRoot, '--ld-from-program', '--root', root]).status).toBe(0);
    expect(run([inRoot, fixture('kind-maps')]).stdout).toBe(`${multi}/libc.so.6\n${multi}/ld-linux-x86-64.so.2\n`);
    const native = join(tmp, 'native');
    expect(stamp(['--out', native, '--ld-from-program', '--root', '/']).status).toBe(0);
    expect(run([native, fixture('kind-maps')]).stdout).toBe(run([fixture('kind-maps')]).stdout);
    const missing = join(tmp, 'missing-root');
    expect(stamp(['--out', missing, '--ld-from-program', '--root', join(tmp, 'no-such-root')]).status).toBe(0);
    expect(run([missing, fixture('kind-maps')]).stdout).toBe(run([fixture('kind-maps')]).stdout);
  });
});

describe('embedded ld.so in a chroot (sandbox, F)', needs(sandbox()), () => {
  it('runs glibc and musl programs in a chroot that has neither ld.so nor the loader; a fixed path there fails cleanly', () => {
    const glibc = join(tmp, 'emb-glibc');
    const musl = join(tmp, 'emb-musl');
    const fixed = join(tmp, 'fixed-glibc');
    expect(stamp(['--out', glibc, '--embed-ld', GLIBC_LDSO]).status).toBe(0);
    expect(stamp(['--out', musl, '--embed-ld', MUSL_LDSO]).status).toBe(0);
    expect(stamp(['--out', fixed, '--ld', GLIBC_LDSO]).status).toBe(0);
    const c = mkdtempSync(join(tmp, 'chroot-'));
    mkdirSync(join(c, 'lib/x86_64-linux-gnu'), { recursive: true });
    for (const [from, to] of [
      [fixture('probe'), 'probe.bfg'],
      [fixture('kind-threads'), 'threads.bfg'],
      [fixture('kind-musl-threads'), 'threads.bfm'],
      [fixture('probe'), 'probe.bff'],
      ['/lib/x86_64-linux-gnu/libc.so.6', 'lib/x86_64-linux-gnu/libc.so.6'],
    ])
      copyFileSync(from!, join(c, to!));
    const r = sandboxedSteps([
      register(`:emb-glibc:E::bfg::${glibc}:POF\n`),
      register(`:emb-musl:E::bfm::${musl}:POF\n`),
      register(`:fixed:E::bff::${fixed}:POF\n`),
      step('find', c, '-type', 'f'),
      step('chroot', c, '/threads.bfg'),
      step('chroot', c, '/threads.bfm'),
      step('chroot', c, '/probe.bfg', 'x'),
      step('chroot', c, '/probe.bff', 'y'),
    ]).slice(3);
    const [files, glibcThreads, muslThreads, probe, fixedRun] = r;
    expect(files!.stdout.trim().split('\n').sort()).toEqual(
      ['lib/x86_64-linux-gnu/libc.so.6', 'probe.bff', 'probe.bfg', 'threads.bfg', 'threads.bfm'].map((f) => join(c, f)),
    );
    expect([glibcThreads!.stdout, muslThreads!.stdout]).toEqual([
      'threads ok 4026 main 5\n',
      'threads ok 4026 main 5\n',
    ]);
    expect(probe!.stdout.match(/"argv":\[[^\]]*\]/g)).toEqual(['"argv":["/probe.bfg","x"]']);
    expect([fixedRun!.stdout, fixedRun!.status]).toEqual(['', 127]);
    expect(r.map((s) => s.stderr).join('')).toBe(
      `binfmt-loader: /probe.bff: ld.so ${GLIBC_LDSO}: cannot open: ENOENT\n`,
    );
    expect(r.slice(0, -1).map((s) => s.status)).toEqual([0, 0, 0, 0]);
  });
});
