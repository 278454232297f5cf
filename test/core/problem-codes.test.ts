/**
 * One catalogue of problem codes (src/core/problem-codes.ts): every code in it
 * is explained on binfmt-diagnostics(7), the page names no other, and every
 * code the parser, the guards, the configuration readers and doctor's
 * judgement emit on a wide set of inputs is in it. (tsc also refuses a code
 * outside the catalogue: ProblemCode is the union of its keys.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, interpreterOpenCode } from '../../src/core/problem-codes.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { lintEntry } from '../../src/core/entry-lint.js';
import { configEntries } from '../../src/core/config-entries.js';
import { ruleLines } from '../../src/core/binfmtd-merge.js';
import { binfmtSupportEntry, parseBinfmtSupport } from '../../src/core/binfmt-support-format.js';
import {
  driftFindings,
  entryFindings,
  featureFindings,
  mountFindings,
  type MountFacts,
} from '../../src/core/doctor-findings.js';
import { kernelRuleFindings } from '../../src/core/kernel-findings.js';
import { hostWideFindings } from '../../src/core/host-wide.js';
import { emulatorFindings } from '../../src/core/emulator-findings.js';
import { planReconcile } from '../../src/core/reconcile-plan.js';
import type { Entry } from '../../src/core/entry.js';
import { EDGE_CASES, KERNEL_EDGE_CASES, generated } from '../kernel/register-strings.js';
import { entry } from '../helpers/entry.js';

const PAGE = new URL('../../docs/binfmt-diagnostics.7.md', import.meta.url);
const catalogue = Object.keys(PROBLEM_CODES);

/** The codes in the first cell of the page's table rows. */
function pageCodes(): string[] {
  const rows = readFileSync(PAGE, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  return rows.map((l) => /^\| `([^`]+)` \|/.exec(l)![1]!);
}

describe('the catalogue and binfmt-diagnostics(7)', () => {
  it('the page explains every code of the catalogue, once, and no other', () => {
    const codes = pageCodes();
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    expect(catalogue.filter((c) => !codes.includes(c))).toEqual([]);
    expect(codes.filter((c) => !catalogue.includes(c))).toEqual([]);
  });

  it('every code has a one-line meaning', () => {
    for (const [code, meaning] of Object.entries(PROBLEM_CODES)) {
      expect(meaning, code).toMatch(/^\S.*\S$/);
      expect(meaning, code).not.toContain('\n');
    }
  });

  it('an F interpreter that cannot be opened gets a code for its errno, or the general one', () => {
    expect(interpreterOpenCode('ENOENT')).toBe('interpreter-enoent');
    expect(interpreterOpenCode('ENOTDIR')).toBe('interpreter-enotdir');
    expect(interpreterOpenCode('EIO')).toBe('interpreter-unopenable');
  });
});

/** Every code the pure producers emit, over inputs that reach each of their branches. */
function emitted(): Set<string> {
  const seen = new Set<string>();
  const add = (ps: readonly { code: string }[]): void => ps.forEach((p) => seen.add(p.code));
  const strings = [...EDGE_CASES, ...KERNEL_EDGE_CASES, ...generated(3000, 17)];
  const errnos = ['ENOENT', 'EACCES', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EIO'];
  for (const s of strings) {
    add(parseRegister(s).diagnostics);
    add(parseRegister(s, { kernel: { major: 6, minor: 1, patch: 183 } }).diagnostics);
  }
  errnos.forEach((errno) => add(parseRegister(':f:E::f::/i:F', { openInterpreter: () => errno }).diagnostics));
  add(parseRegister(`:${'n'.repeat(300)}:E::f::/i:`).diagnostics);
  add(parseRegister(':taken:E::f::/i:', { exists: () => true }).diagnostics);
  for (const line of [':m:M::AB\0C::/i:', ':m:M::ABC\0DEFGH', ':m:M::AB:C\0DEFG']) add(parseRegister(line).diagnostics);

  const head = (s: string): Uint8Array => new TextEncoder().encode(s);
  const lintCases: [string, Parameters<typeof lintEntry>[1]][] = [
    [':s:M::#!::/i:', { interpreter: { head: head('#!/bin/sh'), ptInterp: null, setuid: false } }],
    [':o:M::AB::/i:OC', { interpreter: { head: head('#!/bin/sh'), ptInterp: null, setuid: true } }],
    [':n:M::AB::/i:F', { natives: [{ path: '/bin/x', head: head('AB') }] }],
    [':d:M::AB::/i:F', { interpreter: { head: head('\x7fELF'), ptInterp: '/lib/ld.so', setuid: true } }],
    [':e:E::tar.gz::rel:C', { interpreterErrno: 'ENOENT' }],
    [':m:M::\\xff:\\x0f:/i:', {}],
    [':a b:E::x::/i:', {}],
    [`:${'u'.repeat(80)}:E::x::/i:`, {}],
  ];
  for (const [line, probe] of lintCases) add(lintEntry(entry(line), probe));

  const lines = ':ok:E::a::/a:\n:ok:E::b::/b:\n:bad:Q::a::/a:\n';
  add(configEntries(ruleLines('a.conf', lines)).problems);
  for (const text of [
    'interpreter /bin/sh\nextension x\nodd 1\ncredentials maybe\n',
    'magic AB\n',
    'interpreter /i\n',
  ]) {
    const parsed = parseBinfmtSupport('f', '/f', text);
    add(parsed.problems);
    add(binfmtSupportEntry(parsed.format, '/f').problems);
  }

  const P = '/proc/sys/fs/binfmt_misc';
  const mounted = { mountPoint: P, fsType: 'binfmt_misc', source: 'binfmt_misc', options: 'rw' };
  const mounts: MountFacts[] = [
    { path: P, exists: false, mount: null, initialUserns: true, enabled: null },
    { path: P, exists: true, mount: null, initialUserns: true, enabled: null },
    { path: P, exists: true, mount: { ...mounted, fsType: 'autofs' }, initialUserns: true, enabled: null },
    { path: P, exists: true, mount: { ...mounted, fsType: 'tmpfs' }, initialUserns: true, enabled: null },
    { path: P, exists: true, mount: mounted, initialUserns: false, enabled: false },
    { path: P, exists: true, mount: mounted, initialUserns: true, enabled: true },
  ];
  mounts.forEach((m) => add(mountFindings(m)));
  add(featureFindings({ unavailable: 'no', flags: {}, atFlags: null }));
  add(featureFindings({ unavailable: null, flags: { P: true, F: false }, atFlags: true }));
  add(featureFindings({ unavailable: null, flags: { P: true }, atFlags: false }));
  add(kernelRuleFindings(undefined));
  for (const [major, minor, patch] of [
    [5, 10, 223],
    [5, 4, 1],
    [6, 1, 183],
    [6, 18, 44],
  ] as const)
    add(kernelRuleFindings({ major, minor, patch }));
  const shadowing = entry(':new:M::AB::/i:');
  const lint = lintEntry(entry(':x:M::AB::/i:'), { natives: [{ path: '/bin/x', head: head('AB') }] });
  add(lintEntry(entry(':j:E::.jar::/i:')));
  const facts = (e: Entry, over: object = {}): Parameters<typeof entryFindings>[0][number] => ({
    entry: e,
    interpreterErrno: null,
    pin: null,
    lint: [],
    owned: false,
    configured: false,
    ...over,
  });
  add(
    entryFindings([
      facts(shadowing),
      facts(entry(':old:M::ABC::/i:'), { interpreterErrno: 'ENOENT', lint }),
      facts(entry(':x.binfmt-tmp:E::t::/i:F'), { pin: 'replaced' }),
      facts(entry(':p:E::p::/i:F'), { pin: 'missing' }),
    ]),
  );
  // configured: missing, changed (old → new), foreign (someone else's), then first and second, which must follow
  // the re-registered 'changed'; registered (newest first) besides: stale and mine (binfmt register's), both owned.
  const configured = ['missing=m', 'changed=new', 'foreign=mine', 'first=f', 'second=s'];
  const registered = ['changed=old', 'foreign=theirs!', 'second=s', 'first=f', 'stale=x', 'mine=y'];
  const pair = (s: string): [string, string] => s.split('=') as [string, string];
  const plan = planReconcile(
    configured.map(pair).map(([name, def], i) => ({ name, def, source: `a.conf:${i + 1}` })),
    registered.map(pair).map(([name, def]) => ({ name, def: def.replace('!', ''), owned: !def.endsWith('!') })),
    { equal: (a: string, b: string) => a === b },
  );
  // driftFindings reads only names, kinds and sources: plain strings stand in for definitions.
  add(driftFindings(plan as unknown as Parameters<typeof driftFindings>[0], new Map([['mine', 'binfmt register']])));
  add(hostWideFindings([entry(':host-runtime:M::AB::/i:')], true));
  // an emulator without F, and a second entry that runs the same (every ELF) file
  add(emulatorFindings([entry(':qemu-aarch64:M::\\x7fELF::/q:P'), entry(':other:M::\\x7fELF::/o:F')], new Set()));
  return seen;
}

describe('the codes emitted', () => {
  const seen = emitted();

  it('are all in the catalogue', () => {
    expect([...seen].filter((c) => !(c in PROBLEM_CODES))).toEqual([]);
  });

  it('cover most of it (the inputs reach the branches)', () => {
    const unseen = catalogue.filter((c) => !seen.has(c));
    // Only doctor's configuration codes, which need the I/O layer (a conflict, a refusal, an unreadable file, import's writer).
    expect(unseen.sort()).toEqual(['binfmtd-unwritable', 'config-conflict', 'config-refused', 'config-unreadable']);
  });
});
