/**
 * The loader for aarch64 (native/loader/arch/aarch64.h), cross-built by CMake
 * when aarch64-linux-gnu-gcc is installed, run in command mode under
 * qemu-aarch64-static: user-mode emulation started by hand, so no binfmt_misc
 * entry is involved anywhere (qemu-user-static is unpacked, not installed). The probe (cross-built by
 * test/fixtures/loader/build.sh) run through the loader sees what it sees
 * when qemu runs it directly, except the documented differences. qemu
 * emulates the kernel's exec, auxv and /proc, so this checks the arch file's
 * logic (entry stub, system calls, stack and registers at the jump), not a
 * real arm64 kernel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import {
  AT,
  FIXTURES,
  LOADER,
  LOADER_MAX_SIZE,
  SELFEXEC_ENV,
  buildFixtures,
  comparable,
  parseProbe,
  run,
} from './helpers.js';
import { ROOT } from '../helpers/sandbox.js';
import { command, files, needs } from '../helpers/skip-gate.js';
import { parseElf64, PF_W, PF_X } from '../../src/elf/elf64.js';
import { PT_LOAD } from '../../src/elf/program-headers.js';

const A64_LOADER = join(dirname(LOADER), 'aarch64', 'binfmt-loader');
const SYSROOT = '/usr/aarch64-linux-gnu';
const A64_LDSO = `${SYSROOT}/lib/ld-linux-aarch64.so.1`;
const EM_AARCH64 = 183;
/** The same three-page size guard as the x86_64 loader's (helpers.ts): 11416 bytes now, fixed 4-byte instructions. */
const MAX_SIZE = LOADER_MAX_SIZE;

/** Unpacked by scripts/install-deps.sh, never installed (its binfmt.d files would register on the machine). */
const QEMU = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin', 'qemu-aarch64-static');
/** What the cross build and qemu need (scripts/install-deps.sh: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user-static unpacked). */
const CROSS = needs(command('aarch64-linux-gnu-gcc', '--version'), files(A64_LDSO, QEMU));

/** qemu with the cross sysroot as its prefix: the program's /lib/ld-linux-aarch64.so.1 and libc come from there. */
function qemu(args: string[]) {
  return run([QEMU, '-L', SYSROOT, ...args]);
}

{
  describe('aarch64 loader under qemu', CROSS, () => {
    const probe = join(FIXTURES, 'aarch64', 'probe');
    beforeAll(buildFixtures);

    it(`is built beside the x86_64 one: aarch64 ET_DYN, one R+X segment, no relocations, at most ${MAX_SIZE} bytes`, () => {
      expect(existsSync(A64_LOADER)).toBe(true);
      const bytes = readFileSync(A64_LOADER);
      const { header: h, phdrs } = parseElf64(bytes, A64_LOADER);
      expect(h.machine).toBe(EM_AARCH64);
      expect(h.type).toBe('dyn');
      const loads = phdrs.filter((p) => p.type === PT_LOAD);
      expect(loads.map((p) => p.flags & (PF_W | PF_X))).toEqual([PF_X]);
      expect(statSync(A64_LOADER).size).toBeLessThanOrEqual(MAX_SIZE);
      expect(spawnSync('readelf', ['-rW', A64_LOADER], { encoding: 'utf8' }).stdout).toContain(
        'There are no relocations',
      );
    });

    for (const how of [
      { name: 'with --ld', opts: ['--ld', A64_LDSO] },
      { name: 'with its own PT_INTERP', opts: [] },
    ]) {
      it(`runs a dynamic glibc program ${how.name}: same as direct, only the documented differences`, () => {
        const direct = qemu([probe, 'one', 'two words']);
        const chained = qemu([A64_LOADER, ...how.opts, '--', probe, 'one', 'two words']);
        expect(direct.status).toBe(0);
        expect(chained.stderr).toBe('');
        expect(chained.status).toBe(0);
        const d = parseProbe(direct.stdout);
        const c = parseProbe(chained.stdout);
        expect(c.exe).toBe(A64_LOADER);
        expect(c.cmdline).toBe(`${[A64_LOADER, ...how.opts, '--', probe, 'one', 'two words'].join(' ')} `);
        expect(c.auxv.get(AT.BASE)).toBe(0);
        expect(d.auxv.get(AT.BASE)).toBe('addr');
        // comm: qemu's own name when run directly; the loader names the program (command mode)
        expect(c.comm).toBe('probe');
        expect(c.misalign).toBe(0);
        expect(comparable(c, ['exe', 'cmdline', 'comm'], [AT.BASE])).toEqual(
          comparable(d, ['exe', 'cmdline', 'comm'], [AT.BASE]),
        );
      });
    }

    it('passes --argv0 to aarch64 glibc 2.36 (the run-time check reads its dynamic section)', () => {
      const c = parseProbe(qemu([A64_LOADER, '--ld', A64_LDSO, '--argv0', 'custom', '--', probe, 'x']).stdout);
      expect(c.argv).toEqual(['custom', 'x']);
    });

    it('maps a static program itself and enters it with an aligned stack', () => {
      const stat = join(FIXTURES, 'aarch64', 'probe-static');
      const d = parseProbe(qemu([stat, 's']).stdout);
      // entered with x0 = 0: a static glibc registers x0 with atexit and calls it at exit
      const r = qemu([A64_LOADER, '--argv0', 'st', '--', stat, 's']);
      expect(r.status).toBe(0);
      const c = parseProbe(r.stdout);
      expect(c.argv).toEqual(['st', 's']);
      expect(c.misalign).toBe(0);
      expect(c.env).toEqual([...d.env, `${SELFEXEC_ENV}=${stat}`]);
    });

    it('fails with one line and status 127: not an ELF ld.so, a program for another machine', () => {
      const bad = qemu([A64_LOADER, '--ld', '/etc/passwd', '--', probe]);
      expect(bad.status).toBe(127);
      expect(bad.stderr).toBe(`binfmt-loader: ${probe}: ld.so /etc/passwd: not an ELF file\n`);
      const x86 = qemu([A64_LOADER, '--ld', A64_LDSO, '--', '/bin/true']);
      expect(x86.status).toBe(127);
      expect(x86.stderr).toBe('binfmt-loader: /bin/true: wrong machine\n');
    });
  });
}
