/**
 * Register strings aimed at the edges of the kernel's grammar, for the
 * differential test: a fixed table (the edges of each field, and a string
 * for each errno the kernel gives) plus fast-check generated strings
 * (seeded, so a failure reproduces).
 */
import fc from 'fast-check';

const enc = new TextEncoder();
const b = (s: string): Uint8Array => enc.encode(s);

/** Edges of each field of a register string, and strings that draw each errno the kernel gives. */
export const EDGE_CASES: Uint8Array[] = [
  ':x:E::z::/:',
  ':x:E::z::/',
  ':x:E::z::/bin/sh:',
  ':x:E::z::/bin/sh:\n',
  ':x:E::z::/bin/sh:\n\n',
  ':x:E::z::/bin/sh:\r\n',
  ':x:E:zz:foo:\\xZZ:/bin/sh:',
  ':x:E::f\\x41o::/bin/sh:',
  ':x:E::.foo::/bin/sh:',
  ':x:E::a/b::/bin/sh:',
  ':x:E::::/bin/sh:',
  ':x:M::\\x7fELF::/bin/sh:',
  ':x:M:+5:AB::/bin/sh:',
  ':x:M:010:AB::/bin/sh:',
  ':x:M:-1:AB::/bin/sh:',
  ':x:M:0x10:AB::/bin/sh:',
  ':x:M: 5:AB::/bin/sh:',
  ':x:M:2147483648:AB::/bin/sh:',
  ':x:M:-0:AB::/bin/sh:',
  ':x:M:5\n:AB::/bin/sh:',
  ':x:M:255:A::/bin/sh:',
  ':x:M:256:A::/bin/sh:',
  ':x:M:253:ABC::/bin/sh:',
  ':x:M:254:ABC::/bin/sh:',
  ':x:M::\\x4:',
  ':x:M::\\x4::/bin/sh:',
  ':x:M::\\X41::/bin/sh:',
  ':x:M::\\n::/bin/sh:',
  ':x:M::\\\\x41::/bin/sh:',
  ':x:M::\\\\\\x41::/bin/sh:',
  ':x:M::\\xA4\\xa4::/bin/sh:',
  ':x:M::AB:\\xff::/bin/sh:',
  ':x:M::AB:\\xff\\xff::/bin/sh:',
  ':x:M::\\x03:\\xfe:/bin/sh:',
  ':x:M::\\x3a::/bin/sh:',
  ':x:M::::/bin/sh:',
  ':x:m::AB::/bin/sh:',
  ':x:MM::AB::/bin/sh:',
  ':x:B::AB::/bin/sh:',
  ':register:E::z::/bin/sh:',
  ':status:E::z::/bin/sh:',
  ':dup:E::z::/bin/sh:',
  ':.:E::z::/bin/sh:',
  ':..:E::z::/bin/sh:',
  ':...:E::z::/bin/sh:',
  ':a/b:E::z::/bin/sh:',
  '::E::z::/bin/sh:',
  `:${'n'.repeat(255)}:E::z::/bin/sh:`,
  `:${'n'.repeat(256)}:E::z::/bin/sh:`,
  ':with space:E::z::/bin/sh:',
  ':x:E::z::/bin/sh:PP',
  ':x:E::z::/bin/sh:FCOP',
  ':x:E::z::/bin/sh:C',
  ':x:E::z::/bin/sh:p',
  ':x:E::z::/bin/sh:P F',
  ':x:E::z::/bin/sh:T',
  ':x:E::z::/bin/sh:L',
  ':x:E::z::/bin/sh:D',
  ':x:E::z::/bin/sh::',
  ':x:E::z::/bin/sh:P:',
  ':x:E::z::/nonexistent/interp:F',
  ':x:E::z::/etc/passwd:F',
  ':x:E::z::/tmp:F',
  ':x:E::z::sh:F',
  ':x:E::z::/etc/passwd:',
  `:x:E::z::/${'i'.repeat(1800)}:`,
  '|x|E||z||/bin/sh|',
  ',x,E,,z,,/bin/sh,',
  ' x E  z  /bin/sh ',
  'xaxMxx\\x41BCxx/bin/shx',
  '\nx\nE\n\nz\n\n/bin/sh\n',
  '\nx\nE\n\nz\n\n/bin/sh\n\n',
  '\0x\0E\0\0z\0\0/bin/sh\0',
  'PxPEPPzPP/bin/shP',
  'PxPEPPzPP/bin/shP\n',
  'axaMaa\\x4aaa/bin/sha',
  '\\x\\E\\\\z\\\\/bin/sh\\',
  ':x:M::AB\0CD::/bin/sh:',
  ':x:M::AB\0CD:\\xff\\xff\\xff\\xff:/bin/sh:',
  ':x:M::AB:\0\xff:/bin/sh:',
  ':x\0y:E::z::/bin/sh:',
  ':x:E::z\0::/bin/sh:',
  ':x:E::z::/bin\0/sh:',
  ':x:M::\0AB::/bin/sh:',
].map(b);

/**
 * Where kernels differ or the validator was wrong: a flag letter as the
 * delimiter, with and without a final newline (accepted by older stable
 * kernels, refused since a 2026 stable patch), and F interpreter paths that
 * continue after a regular file (ENOTDIR from every kernel).
 */
export const KERNEL_EDGE_CASES: Uint8Array[] = [
  ...['P', 'O', 'C', 'F'].flatMap((d) => [
    `${d}x${d}E${d}${d}z${d}${d}/bin/sh${d}`,
    `${d}x${d}E${d}${d}z${d}${d}/bin/sh${d}\n`,
    `${d}x${d}M${d}${d}AB${d}${d}/bin/sh${d}\n`,
    `${d}x${d}E${d}${d}z${d}${d}/bin/sh${d}P\n`,
    `${d}x${d}E${d}${d}z${d}${d}/bin/sh${d}\n\n`,
  ]),
  ':x:E::z::/bin/sh/:F',
  ':x:E::z::/bin/sh/.:F',
  ':x:E::z::/etc/passwd/:F',
  ':x:E::z::/bin/sh//:F',
  ':x:E::z::/tmp/:F',
  ':x:E::z::/bin/sh/:',
  ':x:E::z::/tmp/.:F',
  ':x:E::z::/nonexistent/:F',
  ':x:E::z::/bin/sh/x:F',
].map(b);

function rawMagicByte(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }).map((n) => '\\x' + n.toString(16).padStart(2, '0')) },
    { weight: 3, arbitrary: fc.constantFrom('A', 'B', 'z', '0', 'x', '\\', ':', '|', ' ', '#', 'P') },
    { weight: 1, arbitrary: fc.constantFrom('\\x', '\\xZ', '\\x4', '\\X41', '\\n', '\\\\', '\0', '\u00ff') },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 255 }).map((n) => '\\x' + n.toString(16).toUpperCase().padStart(2, '0')),
    },
  );
}

const field = (parts: fc.Arbitrary<string>, max: number): fc.Arbitrary<string> =>
  fc.array(parts, { maxLength: max }).map((a) => a.join(''));

const interpreter = fc.oneof(
  { weight: 6, arbitrary: fc.constant('/bin/sh') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'sh', '/nonexistent/x', '/etc/passwd', '/tmp', '/bin/sh ', '/usr/bin/env', 'a b'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/bin/sh/', '/bin/sh/.', '/etc/passwd/', '/usr/bin/env/', '/tmp/', '/tmp/.'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1900 }).map((n) => '/' + 'i'.repeat(n)) },
);

const flags = fc.oneof(
  { weight: 5, arbitrary: field(fc.constantFrom('P', 'O', 'C', 'F'), 5) },
  { weight: 1, arbitrary: field(fc.constantFrom('P', 'O', 'C', 'F', 'p', 'T', ' ', '\r', '\n', ':'), 4) },
);

const name = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9._+-]{1,12}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '.',
      '..',
      '...',
      'a/b',
      'register',
      'status',
      'dup',
      'sp ace',
      'ünï',
      'new\nline',
      'tab\t',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 260 }).map((n) => 'n'.repeat(n)) },
);

const offset = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 260 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '+5',
      '010',
      '-1',
      '-0',
      '0x10',
      ' 5',
      '5 ',
      '5\n',
      '2147483648',
      '2147483647',
      '+',
      '-',
      '++1',
      '99999999999999999999',
    ),
  },
);

const magicEntry = fc
  .record({
    d: fc.constant(':'),
    name,
    offset,
    magic: field(rawMagicByte(), 40),
    mask: field(rawMagicByte(), 40),
    interpreter,
    flags,
    nl: fc.constantFrom('', '', '', '\n', '\n\n', '\r\n'),
  })
  .map(
    (r) =>
      `${r.d}${r.name}${r.d}M${r.d}${r.offset}${r.d}${r.magic}${r.d}${r.mask}${r.d}${r.interpreter}${r.d}${r.flags}${r.nl}`,
  );

/** Masks of exactly the magic's length are the common case; make them common here too. */
const sameLengthMask = fc
  .record({
    name,
    offset,
    n: fc.integer({ min: 1, max: 40 }),
    seed: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 80, maxLength: 80 }),
    interpreter,
    flags,
  })
  .map((r) => {
    const hex = (xs: number[]): string => xs.map((x) => '\\x' + x.toString(16).padStart(2, '0')).join('');
    return `:${r.name}:M:${r.offset}:${hex(r.seed.slice(0, r.n))}:${hex(r.seed.slice(40, 40 + r.n))}:${r.interpreter}:${r.flags}`;
  });

const extensionEntry = fc
  .record({
    name,
    offset: fc.constantFrom('', 'zz', '5'),
    ext: fc.oneof(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.constantFrom('', '.x', 'a/b', 'f\\x41o', 'é')),
    mask: fc.constantFrom('', '\\xZZ', 'ff'),
    interpreter,
    flags,
  })
  .map((r) => `:${r.name}:E:${r.offset}:${r.ext}:${r.mask}:${r.interpreter}:${r.flags}`);

/** Whole strings with another delimiter, or damaged by truncation and insertion. */
const otherDelimiter = fc
  .record({
    d: fc.constantFrom('|', ',', ' ', 'x', '\n', '\0', 'P', 'a', '\\', '!', 'F'),
    inner: fc.oneof(magicEntry, extensionEntry),
  })
  .map((r) => r.inner.split(':').join(r.d));
const damaged = fc
  .record({
    inner: fc.oneof(magicEntry, extensionEntry),
    cut: fc.nat(),
    ins: fc.constantFrom(':', '\0', '\n', 'x', '\\x'),
  })
  .map((r) => {
    const at = r.cut % (r.inner.length + 1);
    return r.cut % 2 === 0 ? r.inner.slice(0, at) : r.inner.slice(0, at) + r.ins + r.inner.slice(at);
  });

export const registerString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: magicEntry },
  { weight: 3, arbitrary: sameLengthMask },
  { weight: 3, arbitrary: extensionEntry },
  { weight: 2, arbitrary: otherDelimiter },
  { weight: 2, arbitrary: damaged },
);

export function generated(count: number, seed: number): Uint8Array[] {
  return fc.sample(registerString, { numRuns: count, seed }).map(b);
}
