/** The definitions binfmt ships (binfmt/*.conf) that run through the chainloader: what each matches, and its loader directive. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loaderDirective, withInterpreter } from '../../src/core/loader-directive.js';
import { ruleLines } from '../../src/core/binfmtd-merge.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { markerPattern } from '../../src/elf/marker.js';
import { ROOT } from '../helpers/sandbox.js';

const shipped = (name: string) => {
  const file = join(ROOT, 'binfmt', `${name}.conf`);
  const content = readFileSync(file, 'utf8');
  const rules = ruleLines(file, content);
  expect(rules).toHaveLength(1);
  const parsed = parseRegister(withInterpreter(rules[0]!.text, '/usr/local/lib/binfmt/loaders/x'), {
    exists: () => false,
    openInterpreter: () => null,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return { entry: parsed.entry, directive: loaderDirective(content, file) };
};

describe('shipped definitions run by the chainloader', () => {
  it('host-runtime matches exactly the HRT1-marked x86-64 ELF64 pattern, P and F, never C', () => {
    const { entry, directive } = shipped('host-runtime');
    const p = markerPattern('HRT1');
    expect(entry).toMatchObject({ type: 'magic', name: 'host-runtime', offset: 0, flags: 'PF' });
    if (entry.type !== 'magic') throw new Error('magic');
    expect(Buffer.from(entry.magic)).toEqual(Buffer.from(p.magic));
    expect(Buffer.from(entry.mask!)).toEqual(Buffer.from(p.mask));
    expect(directive).toMatchObject({ ldFromProgram: true, root: '/run/host' });
  });
  it('slulb-magic matches the SLUL marker; slulb the .slulb extension; both P and F with a fixed ld.so', () => {
    const m = shipped('slulb-magic');
    if (m.entry.type !== 'magic') throw new Error('magic');
    expect(Buffer.from(m.entry.magic)).toEqual(Buffer.from(markerPattern('SLUL').magic));
    expect(m.entry.flags).toBe('PF');
    expect(m.directive).toMatchObject({ ld: '/lib64/ld-linux-x86-64.so.2' });
    const e = shipped('slulb');
    expect(e.entry).toMatchObject({ type: 'extension', extension: 'slulb', flags: 'PF' });
    expect(e.directive).toMatchObject({ ld: '/lib64/ld-linux-x86-64.so.2' });
  });
});
