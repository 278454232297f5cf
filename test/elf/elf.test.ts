import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readElf } from '../../src/elf/elf-file.js';
import { parseElfHeader } from '../../src/elf/header.js';
import { thrown } from '../helpers/thrown.js';
import { ARGV_PROGRAM, buildC } from '../helpers/fixtures.js';

const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';

/** readelf (binutils) as the independent oracle. */
function readelf(args: string[], file: string): string {
  return execFileSync('readelf', ['-W', ...args, file], { encoding: 'utf8' });
}
function readelfNeeded(file: string): string[] {
  return [...readelf(['-d'], file).matchAll(/\(NEEDED\)\s+Shared library: \[(.+?)\]/g)].map((m) => m[1]!);
}
function readelfVerneed(file: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const sec = readelf(['-V'], file).split(/Version needs section/)[1] ?? '';
  let lib = '';
  for (const line of sec.split('\n')) {
    const f = /File: (\S+)/.exec(line);
    if (f) {
      lib = f[1]!;
      out[lib] = [];
      continue;
    }
    const n = /Name: (\S+)\s+Flags/.exec(line);
    if (n && lib) out[lib]!.push(n[1]!);
  }
  return out;
}
function readelfVerdef(file: string): string[] {
  const sec = (readelf(['-V'], file).split(/Version definition section/)[1] ?? '').split(/Version needs section/)[0]!;
  return [...sec.matchAll(/Rev: 1\s+Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)/g)]
    .filter((m) => m[1] !== 'BASE')
    .map((m) => m[2]!);
}

const malformedAt = (bytes: Uint8Array, field: RegExp): void => {
  const e = thrown(() => readElf(bytes));
  expect(e.code).toBe('ENOEXEC');
  expect(e.field ?? '').toMatch(field);
  expect(e.message).toMatch(/offset 0x[0-9a-f]+/);
};

describe('ELF reader on real files of this machine', () => {
  it('reads /bin/ls as readelf does', () => {
    const info = readElf(readFileSync('/bin/ls'));
    expect(info).toMatchObject({
      class: 64,
      endian: 'little',
      machine: 62,
      machineName: 'x86-64',
      type: 'dyn',
      pie: true,
      dynamic: true,
    });
    expect(info.interp).toBe(readelf(['-l'], '/bin/ls').match(/Requesting program interpreter: (.+?)\]/)![1]);
    expect(info.needed).toEqual(readelfNeeded('/bin/ls'));
    expect(info.versionsNeeded).toEqual(readelfVerneed('/bin/ls'));
    expect(info.versionsNeeded['libc.so.6']).toContain('GLIBC_2.34');
    expect(info.marker).toBeNull();
  });

  it('reads libc.so.6: soname, versions defined, not a PIE', () => {
    const info = readElf(readFileSync(LIBC));
    expect(info.soname).toBe('libc.so.6');
    expect(info.type).toBe('dyn');
    expect(info.pie).toBe(false);
    expect(info.versionsDefined).toEqual(readelfVerdef(LIBC));
    expect(info.versionsDefined).toEqual(expect.arrayContaining(['GLIBC_2.2.5', 'GLIBC_2.34', 'GLIBC_2.36']));
    expect(info.versionsNeeded['ld-linux-x86-64.so.2']).toEqual(readelfVerneed(LIBC)['ld-linux-x86-64.so.2']);
  });

  it('reads a static binary built here: no interpreter, no dynamic section', () => {
    const bin = buildC('static', 'int main(void){return 0;}\n', ['-static']);
    const info = readElf(readFileSync(bin));
    expect(info).toMatchObject({ type: 'exec', interp: null, dynamic: false, needed: [], versionsNeeded: {} });
  });

  it('reads RUNPATH and RPATH', () => {
    const rp = buildC('runpath', ARGV_PROGRAM, ['-Wl,-rpath,/opt/x/lib:$ORIGIN/../lib', '-Wl,--enable-new-dtags']);
    const r = buildC('rpath', ARGV_PROGRAM, ['-Wl,-rpath,/opt/y', '-Wl,--disable-new-dtags']);
    expect(readElf(readFileSync(rp))).toMatchObject({ runpath: '/opt/x/lib:$ORIGIN/../lib', rpath: null });
    expect(readElf(readFileSync(r))).toMatchObject({ rpath: '/opt/y', runpath: null });
  });

  it('reads a PIE without PT_INTERP (the .slulb shape)', () => {
    const bin = buildC('nointerp', ARGV_PROGRAM, ['-fPIE', '-pie', '-Wl,--no-dynamic-linker']);
    const info = readElf(readFileSync(bin));
    expect(info.interp).toBeNull();
    expect(info.needed).toEqual(['libc.so.6']);
    expect(info.type).toBe('dyn');
    expect(info.pie).toBe(true);
  });
});

describe('ELF reader on malformed input', () => {
  const ls = new Uint8Array(readFileSync('/bin/ls'));
  const h = parseElfHeader(ls).header;

  it('rejects a non-ELF file naming e_ident', () => {
    malformedAt(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /e_ident\[EI_MAG\]/);
  });
  it('rejects an unknown class and data encoding', () => {
    const a = ls.slice(0, 64);
    a[4] = 9;
    malformedAt(a, /EI_CLASS/);
    const b = ls.slice(0, 64);
    b[5] = 0;
    malformedAt(b, /EI_DATA/);
  });
  it('rejects a truncated header and truncated program headers', () => {
    malformedAt(ls.slice(0, 40), /ELF header/);
    malformedAt(ls.slice(0, 100), /program header table/);
  });
  it('rejects a wrong e_phentsize', () => {
    const a = ls.slice();
    a[h.flagsOffset + 6] = 40;
    malformedAt(a, /e_phentsize/);
  });
  it('rejects a PT_INTERP that runs past the end of the file', () => {
    const info = readElf(ls);
    expect(info.interp).not.toBeNull();
    // cut the file just inside the interpreter string
    const interpOff = Buffer.from(ls).indexOf(Buffer.from(info.interp! + '\0'));
    malformedAt(ls.slice(0, interpOff + 4), /PT_INTERP/);
  });
  it('rejects a string offset beyond DT_STRSZ', () => {
    // Point the first DT_NEEDED at a huge string offset.
    const a = Buffer.from(ls);
    const dynOff = parseInt(/Dynamic section at offset 0x([0-9a-f]+)/.exec(readelf(['-d'], '/bin/ls'))![1]!, 16);
    for (let o = dynOff; o < dynOff + 16 * 64; o += 16) {
      if (a.readBigInt64LE(o) === 1n) {
        a.writeBigUInt64LE(0xffffffn, o + 8);
        break;
      }
    }
    malformedAt(new Uint8Array(a), /DT_NEEDED/);
  });
});
