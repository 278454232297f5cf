/**
 * Table tests from real configurations: the binfmt.d files Debian ships on
 * this kind of machine (copied into fixtures so the test cannot skip) and
 * the kernel documentation's examples. Each must parse, and format back to a
 * string that parses to the same entry.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRegister } from '../../src/core/register-parse.js';
import { formatRegister } from '../../src/core/register-format.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import { toHex } from '../../src/core/entry.js';
import { ruleLines } from '../../src/core/binfmtd-merge.js';
import { binfmtSupportEntry, parseBinfmtSupport } from '../../src/core/binfmt-support-format.js';
import { ROOT } from '../helpers/sandbox.js';

const dir = join(ROOT, 'test', 'fixtures', 'binfmt.d');
const rules = readdirSync(dir).flatMap((f) => ruleLines(f, readFileSync(join(dir, f), 'utf8')));

describe('real configurations', () => {
  it('has rules to test', () => {
    expect(rules.length).toBeGreaterThanOrEqual(9);
  });

  it.each(rules)('$file:$line parses and round-trips', ({ text }) => {
    const r = parseRegister(text);
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    if (!r.ok) return;
    const again = parseRegister(formatRegister(r.entry));
    expect(again.ok).toBe(true);
    if (again.ok) expect(entryDifferences(r.entry, again.entry)).toEqual([]);
  });

  it('decodes the fields of a qemu rule as the kernel shows them', () => {
    const r = parseRegister(rules.find((x) => x.text.startsWith(':qemu-aarch64:'))!.text);
    expect(r.ok).toBe(true);
    if (!r.ok || r.entry.type !== 'magic') return;
    expect(toHex(r.entry.magic)).toBe('7f454c460201010000000000000000000200b700');
    expect(toHex(r.entry.mask)).toBe('ffffffffffffff00fffffffffffffffffeffffff');
    expect(r.entry.flags).toBe('OCF');
  });

  it('shows C as implying O, in POCF order', () => {
    const r = parseRegister(':c:E::x::/bin/sh:FCP');
    expect(r.ok && r.entry.flags).toBe('POCF');
    const c = parseRegister(':c:E::x::/bin/sh:C');
    expect(c.ok && c.entry.flags).toBe('OC');
  });
});

describe('errors name the field and column', () => {
  it.each([
    [':x:M::\\xZZ::/bin/sh:', 'EINVAL', 'magic', 7],
    [':x:M:abc:AB::/bin/sh:', 'EINVAL', 'offset', 6],
    [':x:Q::AB::/bin/sh:', 'EINVAL', 'type', 4],
    [':x:E::z::/bin/sh:X', 'EINVAL', 'flags', 18],
    [':x:M::AB:\\xff::/bin/sh:', 'EINVAL', 'mask', 10],
    [':status:E::z::/bin/sh:', 'EEXIST', 'name', 2],
    [`:${'n'.repeat(256)}:E::z::/bin/sh:`, 'ENAMETOOLONG', 'name', 2],
    [':x:E::z::/bin/sh', 'EINVAL', 'interpreter', 10],
  ])('%s → %s in %s at column %d', (line, errno, field, column) => {
    const r = parseRegister(line);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errno).toBe(errno);
    expect(r.diagnostics[0]!.field).toBe(field);
    expect(r.diagnostics[0]!.column).toBe(column);
  });

  it('checks F before the name, as the kernel does', () => {
    const r = parseRegister(':status:E::z::/nonexistent:F', { openInterpreter: () => 'ENOENT' });
    expect(r.ok ? null : r.errno).toBe('ENOENT');
  });
});

describe("update-binfmts format files shipped by Debian's packages", () => {
  const bdir = join(ROOT, 'test', 'fixtures', 'binfmts');
  const files = readdirSync(bdir);

  it.each(files)('%s becomes a valid entry that round-trips', (name) => {
    const file = join(bdir, name);
    const { format, problems } = parseBinfmtSupport(name, file, readFileSync(file, 'utf8'));
    expect(problems).toEqual([]);
    const { imported } = binfmtSupportEntry(format, file);
    expect(imported).not.toBeNull();
    const again = parseRegister(formatRegister(imported!.entry));
    expect(again.ok && entryDifferences(imported!.entry, again.entry)).toEqual([]);
    expect(imported!.entry.interpreter).toBe(format.fields.interpreter);
  });

  it('has the three files Debian 12 ships (jar, python3.11, llvm-14-runtime.binfmt)', () => {
    expect(files.sort()).toEqual(['jar', 'llvm-14-runtime.binfmt', 'python3.11']);
  });
});
