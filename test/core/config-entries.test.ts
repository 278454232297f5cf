/**
 * From binfmt.d lines to the entries `apply` registers, in systemd-binfmt's
 * order. Observed with /lib/systemd/systemd-binfmt in a private instance:
 * 10-a.conf ":twice:…t1…" then ":middle:…", 20-b.conf ":twice:…t2…" then
 * ":last:…" leaves (oldest first) middle, twice (t2), last: systemd removes an
 * entry before it registers a name again, so a redefinition is the newest at
 * that point. test/ops/against-systemd.test.ts compares whole trees with
 * systemd-binfmt where a sandbox can be made.
 */
import { describe, expect, it } from 'vitest';
import { configEntries, lineBytesOf } from '../../src/core/config-entries.js';
import { ruleLines } from '../../src/core/binfmtd-merge.js';
import { problemLine } from '../../src/cli/render/problem.js';

const lines = (files: Record<string, string>): ReturnType<typeof ruleLines> =>
  Object.entries(files).flatMap(([file, text]) => ruleLines(file, text));
const summary = (files: Record<string, string>): string[] =>
  configEntries(lines(files)).desired.map((d) => `${d.name}=${d.def.interpreter}@${d.source}`);

describe('configEntries: the order systemd-binfmt registers in', () => {
  it('a name defined again takes the later definition and the later position', () => {
    const files = {
      '10-a.conf': ':twice:E::t1::/bin/sh:\n:middle:E::m::/bin/sh:\n',
      '20-b.conf': ':twice:E::t2::/bin/true:\n:last:E::l::/bin/sh:\n',
    };
    expect(summary(files)).toEqual([
      'middle=/bin/sh@10-a.conf:2',
      'twice=/bin/true@20-b.conf:1',
      'last=/bin/sh@20-b.conf:2',
    ]);
    const { problems } = configEntries(lines(files));
    expect(problems).toEqual([
      {
        source: '10-a.conf:1',
        severity: 'warning',
        code: 'config-redefined',
        message: expect.stringContaining('defined again at 20-b.conf:1'),
      },
    ]);
  });

  it('three definitions of one name: the last one, at the last position', () => {
    expect(summary({ 'a.conf': ':n:E::1::/1:\n:x:E::x::/x:\n:n:E::2::/2:\n:y:E::y::/y:\n:n:E::3::/3:\n' })).toEqual([
      'x=/x@a.conf:2',
      'y=/y@a.conf:4',
      'n=/3@a.conf:5',
    ]);
  });

  it('without redefinitions, lines keep their order', () => {
    expect(summary({ 'a.conf': ':c:E::c::/c:\n:a:E::a::/a:\n:b:E::b::/b:\n' }).map((s) => s[0])).toEqual([
      'c',
      'a',
      'b',
    ]);
  });

  it('a line the kernel refuses is reported with file:line and skipped; the others apply', () => {
    const { desired, problems } = configEntries(lines({ 'a.conf': ':ok:E::a::/a:\n:bad:Q::a::/a:\n:ok2:E::b::/b:\n' }));
    expect(desired.map((d) => d.name)).toEqual(['ok', 'ok2']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: 'a.conf:2', severity: 'error', code: 'type', errno: 'EINVAL' });
  });

  it('a refused redefinition leaves the earlier definition in place', () => {
    expect(summary({ 'a.conf': ':n:E::1::/1:\n:x:E::x::/x:\n:n:Q::2::/2:\n' })).toEqual([
      'n=/1@a.conf:1',
      'x=/x@a.conf:2',
    ]);
  });

  it('each line is written with "\\n" appended, as systemd writes it', () => {
    const [line] = ruleLines('a.conf', ':n:E::x::/bin/sh:P\n');
    expect(Array.from(lineBytesOf(line!).slice(-3))).toEqual([0x3a, 0x50, 0x0a]);
    // so the flags step meets the final newline on every line, and "P" survives it
    expect(configEntries([line!]).desired[0]!.def.flags).toBe('P');
  });
});

describe('configEntries: what each problem says', () => {
  const text = 'PnPEPPxPP/bin/shP\n:ab:\n:n:E::x::/bin/sh:\n:m:M:0:\\x7fELF::/x:Q\n';
  const v = (major: number, minor: number, patch: number) => ({ major, minor, patch });

  it("an error keeps its code, field, column and the kernel's errno as data; one without a column has none", () => {
    const { desired, problems } = configEntries(lines({ 'a.conf': text }));
    expect(desired.map((d) => `${d.name}@${d.source}`)).toEqual(['n@a.conf:3']);
    expect(problems).toEqual([
      {
        source: 'a.conf:1',
        severity: 'error',
        code: 'delimiter-flag',
        field: 'delimiter',
        column: 1,
        errno: 'EINVAL',
        message: "delimiter: 'P' is a flag letter; current kernels refuse P, O, C and F as delimiters",
      },
      {
        source: 'a.conf:2',
        severity: 'error',
        code: 'length',
        field: 'length',
        column: null,
        errno: 'EINVAL',
        message: 'the register string is 5 bytes; the kernel takes 11 to 1920',
      },
      {
        source: 'a.conf:4',
        severity: 'error',
        code: 'flags',
        field: 'flags',
        column: 20,
        errno: 'EINVAL',
        message: "flags: 'Q'; only P, O, C, F and one final newline may follow the interpreter",
      },
    ]);
    // The CLI says the column and the errno in words.
    expect(problems.map(problemLine)).toEqual([
      "a.conf:1: error: delimiter: 'P' is a flag letter; current kernels refuse P, O, C and F as delimiters (column 1); " +
        'the kernel would refuse it (EINVAL), ignoring',
      'a.conf:2: error: the register string is 5 bytes; the kernel takes 11 to 1920; the kernel would refuse it (EINVAL), ignoring',
      "a.conf:4: error: flags: 'Q'; only P, O, C, F and one final newline may follow the interpreter (column 20); " +
        'the kernel would refuse it (EINVAL), ignoring',
    ]);
  });

  it('the lines are judged by the kernel given: an old one takes the line a new one refuses', () => {
    const old = configEntries(lines({ 'a.conf': text }), v(5, 10, 223));
    expect(old.desired.map((d) => `${d.name}=${d.def.interpreter}@${d.source}`)).toEqual(['n=/bin/sh@a.conf:3']);
    expect(old.problems.map((p) => `${p.source} ${p.severity}`)).toEqual([
      'a.conf:2 error',
      'a.conf:1 warning',
      'a.conf:4 error',
    ]);
    expect(old.problems[1]!.message).toBe(
      "'n' is defined again at a.conf:3; the later definition wins, ignoring this one",
    );
  });

  it('a warning keeps its column and gets no "would refuse"; the entry still applies', () => {
    const { desired, problems } = configEntries(lines({ 'a.conf': 'PnPEPPxPP/bin/shP\n' }), v(6, 1, 183));
    expect(desired.map((d) => d.name)).toEqual(['n']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.severity).toBe('warning');
    expect(problems[0]).toMatchObject({ code: 'kernel-rule-unknown', column: 1 });
    expect(problems[0]!.errno).toBeUndefined();
    expect(problemLine(problems[0]!)).toMatch(
      /^a\.conf:1: warning: delimiter: 'P' is a flag letter: older stable kernels accept it, .* \(column 1\)$/,
    );
  });

  it('lineBytesOf: one byte per latin1 character, then "\\n"', () => {
    const bytes = lineBytesOf({ file: 'a.conf', line: 1, text: 'a\u00e9\u0141' });
    expect(Array.from(bytes)).toEqual([0x61, 0xe9, 0x41, 0x0a]);
    expect(Array.from(lineBytesOf({ file: 'a.conf', line: 1, text: '' }))).toEqual([0x0a]);
  });
});
