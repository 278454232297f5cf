/** The loader binary itself: a tiny freestanding static-PIE, never W+X. */
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { LOADER, LOADER_MAX_SIZE } from './helpers.js';
import { parseElf64, PF_W, PF_X } from '../../src/elf/elf64.js';
import { PT_INTERP, PT_LOAD } from '../../src/elf/program-headers.js';

const PT_GNU_STACK = 0x6474e551;
/** The size guard, three pages (helpers.ts): 10560 bytes now, 14632 before the stages. */
const MAX_SIZE = LOADER_MAX_SIZE;

describe('binfmt-loader binary', () => {
  const bytes = readFileSync(LOADER);
  const { header: h, phdrs: ph } = parseElf64(bytes, LOADER);

  it(`is at most ${MAX_SIZE} bytes: three pages`, () => {
    expect(statSync(LOADER).size).toBeLessThanOrEqual(MAX_SIZE);
  });

  it('is position-independent (ET_DYN linked at 0) without PT_INTERP', () => {
    expect(h.type).toBe('dyn');
    expect(ph.some((p) => p.type === PT_INTERP)).toBe(false);
    expect(Math.min(...ph.filter((p) => p.type === PT_LOAD).map((p) => p.vaddr))).toBe(0);
  });

  it('has a non-executable stack and no writable+executable segment', () => {
    const stack = ph.find((p) => p.type === PT_GNU_STACK);
    expect(stack).toBeDefined();
    expect(stack!.flags & PF_X).toBe(0);
    for (const p of ph.filter((q) => q.type === PT_LOAD)) expect(p.flags & (PF_W | PF_X)).not.toBe(PF_W | PF_X);
  });

  it('has no relocations (only RELATIVE would be allowed; a read-only image needs none)', () => {
    const r = spawnSync('readelf', ['-rW', LOADER], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const types = r.stdout
      .split('\n')
      .filter((l) => /^[0-9a-f]{8,}\s/.test(l))
      .map((l) => l.split(/\s+/)[2]);
    expect(types.filter((t) => t !== 'R_X86_64_RELATIVE')).toEqual([]);
  });

  it('has no dynamic section and no section headers (nothing the kernel reads)', () => {
    expect(ph.some((p) => p.type === 2 /* PT_DYNAMIC */)).toBe(false);
    expect(bytes.readUInt16LE(60)).toBe(0); // e_shnum
    expect(bytes.readBigUInt64LE(40)).toBe(0n); // e_shoff
    // The file ends where its one PT_LOAD ends.
    expect(Math.max(...ph.filter((p) => p.type === PT_LOAD).map((p) => p.offset + p.filesz))).toBe(bytes.length);
  });

  it('needs no shared library', () => {
    const r = spawnSync('readelf', ['-dW', LOADER], { encoding: 'utf8' });
    expect(r.stdout).not.toContain('(NEEDED)');
  });
});
