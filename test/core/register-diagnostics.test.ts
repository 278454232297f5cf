/**
 * Every way parseRegister() refuses or warns: the errno (the kernel's, as the
 * recorded and live differential tests check), the diagnostic code documented
 * in binfmt-diagnostics(7), the field, the 1-based column of the byte at
 * fault, and a message that names what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { parseRegister, type ParseOptions } from '../../src/core/register-parse.js';

type Row = [
  input: string,
  errno: string | null,
  code: string,
  field: string,
  column: number | null,
  message: RegExp,
  opts?: ParseOptions,
];

const rows: Row[] = [
  [':x:E::z::/', 'EINVAL', 'length', 'length', null, /^the register string is 10 bytes; the kernel takes 11 to 1920$/],
  [':x:E::z::/bin/sh:'.padEnd(1921, 'P'), 'EINVAL', 'length', 'length', null, /is 1921 bytes/],
  [
    'P:x:E::z::/bin/sh:',
    'EINVAL',
    'delimiter-flag',
    'delimiter',
    1,
    /^delimiter: 'P' is a flag letter; current kernels refuse P, O, C and F as delimiters$/,
  ],
  [
    '\x01x\x01E\x01\x01z\x01\x01/bin/sh',
    'EINVAL',
    'missing-field',
    'interpreter',
    10,
    /^interpreter: no delimiter byte 0x01 after this field/,
  ],
  [
    ':x\0y:E::z::/bin/sh:',
    'EINVAL',
    'name-nul',
    'name',
    3,
    /^name: a NUL byte at column 3 ends the string before the next delimiter$/,
  ],
  ['::E::z::/bin/sh:', 'EINVAL', 'name-empty', 'name', 2, /^name: empty$/],
  [':..:E::z::/bin/sh:', 'EINVAL', 'name-dot', 'name', 2, /^name: '\.\.' is not allowed$/],
  [':a/b:E::z::/bin/sh:', 'EINVAL', 'name-slash', 'name', 3, /^name: contains '\/'$/],
  [':x:Q::z::/bin/sh:', 'EINVAL', 'type', 'type', 4, /^type: 'Q'; must be 'M' \(magic\) or 'E' \(extension\)$/],
  [':x:\n::z::/bin/sh:', 'EINVAL', 'type', 'type', 4, /^type: a newline; must be/],
  [':x:\x7f::z::/bin/sh:', 'EINVAL', 'type', 'type', 4, /^type: byte 0x7f; must be/],
  [':x:MM::z::/bin/sh:', 'EINVAL', 'type', 'type', 4, /^type: must be exactly one character, M or E$/],
  [
    ':x:M:AAAAAAA',
    'EINVAL',
    'missing-field',
    'offset',
    6,
    /^offset: no delimiter ':' after this field \(too few fields\)$/,
  ],
  [':x:M:q:AB::/bin/sh:', 'EINVAL', 'offset', 'offset', 6, /^offset: 'q' is not a decimal number from 0 to 255$/],
  [':x:M:-1:AB::/bin/sh:', 'EINVAL', 'offset', 'offset', 6, /'-1'/],
  [':x:M::\\xZZ::/bin/sh:', 'EINVAL', 'escape', 'magic', 7, /^magic: \\x must be followed by two hex digits$/],
  [':x:M::AB:\\xQ1:/bin/sh:', 'EINVAL', 'escape', 'mask', 10, /^mask: \\x must be followed by two hex digits$/],
  [':x:M::AB:ffffff', 'EINVAL', 'missing-field', 'mask', 10, /^mask: no delimiter/],
  [':x:M::ABCDEFGH', 'EINVAL', 'missing-field', 'magic', 7, /^magic: no delimiter/],
  [':x:M::::/bin/sh:', 'EINVAL', 'magic-empty', 'magic', 7, /^magic: empty$/],
  [':x:M::\0A::/bin/sh:', 'EINVAL', 'magic-empty', 'magic', 7, /^magic: empty$/],
  [
    ':x:M::AB:\\xff:/bin/sh:',
    'EINVAL',
    'mask-length',
    'mask',
    10,
    /^mask: 1 bytes, but the magic has 2; they must be the same length$/,
  ],
  [
    ':x:M:255:AB::/bin/sh:',
    'EINVAL',
    'magic-window',
    'magic',
    10,
    /^offset 255 \+ magic 2 bytes is past the 256-byte window the kernel reads \(BINPRM_BUF_SIZE\)$/,
  ],
  [
    ':x:M::A\0B::/bin/sh:',
    null,
    'magic-nul-truncated',
    'magic',
    8,
    /^magic: a raw NUL byte truncates it to 1 bytes; write \\x00$/,
  ],
  [
    ':x:M::AB:\\xff\0\\xff:/bin/sh:',
    'EINVAL',
    'mask-nul-truncated',
    'mask',
    14,
    /^mask: a raw NUL byte truncates it to 1 bytes; write \\x00$/,
  ],
  [
    ':x:M::AB:\0:/bin/sh:',
    null,
    'mask-nul-truncated',
    'mask',
    10,
    /^mask: starts with a raw NUL byte, so the kernel ignores the whole mask$/,
  ],
  [':x:E:zz:zzzz', 'EINVAL', 'missing-field', 'extension', 9, /^extension: no delimiter/],
  [':x:E:zzzzzzz', 'EINVAL', 'missing-field', 'offset', 6, /^offset: no delimiter/],
  [':x:E::z:fffff', 'EINVAL', 'missing-field', 'mask', 9, /^mask: no delimiter/],
  [':x:E::::/bin/sh:', 'EINVAL', 'extension-empty', 'extension', 7, /^extension: empty$/],
  [':x:E::a/b::/bin/sh:', 'EINVAL', 'extension-slash', 'extension', 8, /^extension: contains '\/'$/],
  [':x:E::z:::/bin/sh:', 'EINVAL', 'interpreter-empty', 'interpreter', 10, /^interpreter: empty$/],
  [
    ':x:E::z::/bin/sh',
    'EINVAL',
    'missing-field',
    'interpreter',
    10,
    /^interpreter: no delimiter ':' after this field \(too few fields\)$/,
  ],
  [
    ':x:E::z::/bin/sh:PX',
    'EINVAL',
    'flags',
    'flags',
    19,
    /^flags: 'X'; only P, O, C, F and one final newline may follow the interpreter$/,
  ],
  [':x:E::z::/bin/sh:P\n\n', 'EINVAL', 'flags', 'flags', 20, /^flags: a second newline; only P, O, C, F/],
  [':x:E::z::/bin/sh:\r\n', 'EINVAL', 'flags', 'flags', 18, /^flags: '\\r' \(CRLF line end\?\); only P, O, C, F/],
  [':x:E::z::/bin/sh:\0', 'EINVAL', 'flags', 'flags', 18, /^flags: a NUL byte; only/],
  [':x:E::z::/bin/sh:\xff', 'EINVAL', 'flags', 'flags', 18, /^flags: byte 0xc3; only/],
  [
    '\nx\nE\n\nz\n\n/bin/sh\n',
    'EINVAL',
    'missing-field',
    'flags',
    17,
    /^flags: the string must end with the delimiter after the interpreter, then the flags \(with a newline delimiter, one more newline\)$/,
  ],
  [
    ':x:E::z::/nope:F',
    'ENOENT',
    'interpreter-enoent',
    'interpreter',
    14,
    /^interpreter: with F the kernel opens it now, and '\/nope' does not exist$/,
    { openInterpreter: () => 'ENOENT' },
  ],
  [
    ':x:E::z::/etc:F',
    'EACCES',
    'interpreter-eacces',
    'interpreter',
    13,
    /'\/etc' is not an executable regular file \(or is on a noexec mount\)$/,
    { openInterpreter: () => 'EACCES' },
  ],
  [
    ':x:E::z::/x:F',
    'ELOOP',
    'interpreter-eloop',
    'interpreter',
    11,
    /'\/x' cannot be opened \(ELOOP\)$/,
    { openInterpreter: () => 'ELOOP' },
  ],
  [
    `:${'n'.repeat(256)}:E::z::/bin/sh:`,
    'ENAMETOOLONG',
    'name-too-long',
    'name',
    2,
    /^name: 256 bytes; at most 255 \(NAME_MAX\)$/,
  ],
  [
    ':status:E::z::/bin/sh:',
    'EEXIST',
    'name-exists',
    'name',
    2,
    /^name: 'status' is the name of a control file of binfmt_misc$/,
  ],
  [':register:E::z::/bin/sh:', 'EEXIST', 'name-exists', 'name', 2, /'register' is the name of a control file/],
  [
    ':dup:E::z::/bin/sh:',
    'EEXIST',
    'name-exists',
    'name',
    2,
    /^name: 'dup' already exists$/,
    { exists: (n) => n === 'dup' },
  ],
];

describe('parseRegister diagnostics', () => {
  it.each(rows)('%j → %s %s', (input, errno, code, field, column, message, opts) => {
    const r = parseRegister(input, opts);
    expect(r.ok ? null : r.errno).toBe(errno);
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect({ severity: d!.severity, field: d!.field, column: d!.column }).toEqual({
      severity: errno === null || code.endsWith('truncated') ? 'warning' : 'error',
      field,
      column,
    });
    expect(d!.message).toMatch(message);
    // A refusal is the last diagnostic: parsing stops there.
    if (errno !== null) expect(r.diagnostics.at(-1)!.severity).toBe('error');
  });

  it('without openInterpreter, F is not checked; with it, only F entries are', () => {
    expect(parseRegister(':x:E::z::/nope:F').ok).toBe(true);
    let asked = 0;
    const opts = { openInterpreter: (): string | null => (asked++, 'ENOENT') };
    expect(parseRegister(':x:E::z::/nope:P', opts).ok).toBe(true);
    expect(asked).toBe(0);
    expect(parseRegister(':x:E::z::/bin/sh:F', { openInterpreter: () => null }).ok).toBe(true);
  });

  it('EEXIST comes after F and the name length, as in bm_register_write', () => {
    const r = parseRegister(`:${'s'.repeat(256)}:E::z::/nope:F`, {
      openInterpreter: () => 'ENOENT',
      exists: () => true,
    });
    expect(r.ok ? null : r.errno).toBe('ENOENT');
    const t = parseRegister(`:${'s'.repeat(256)}:E::z::/bin/sh:`, { exists: () => true });
    expect(t.ok ? null : t.errno).toBe('ENAMETOOLONG');
  });

  it('accepts and decodes a string that uses every field', () => {
    const r = parseRegister(':qemu:M:2:\\x7fEL:\\xff\\xfe\\xff:/usr/bin/q:FCP\n');
    expect(r).toMatchObject({ ok: true, diagnostics: [] });
    if (!r.ok || r.entry.type !== 'magic') throw new Error('parse');
    expect(r.entry).toMatchObject({ name: 'qemu', offset: 2, interpreter: '/usr/bin/q', flags: 'POCF' });
    expect(Array.from(r.entry.magic)).toEqual([0x7f, 0x45, 0x4c]);
    expect(Array.from(r.entry.mask!)).toEqual([0xff, 0xfe, 0xff]);
  });
});
