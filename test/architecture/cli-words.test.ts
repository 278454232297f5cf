/**
 * binfmt's own words (`binfmt COMMAND`, its --options) are written in
 * src/cli only: below it a command or an option is data (src/core/fix.ts
 * binfmt(), option()) that the cli renders. Every string literal outside
 * src/cli is read (with the TypeScript parser, so comments do not count)
 * and must name neither a binfmt command after "binfmt " nor one of the
 * options the command syntaxes declare, except where ALLOWED says why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandSpec } from '../../src/cli/commands.js';
import { optionWords } from '../../src/cli/option-words.js';
import { plainOptionWord } from '../../src/core/fix.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** The text of every string and template literal of a file (a template's parts apart). */
function literals(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function leaves(specs: readonly CommandSpec[], path: string[] = []): { name: string; options: string[] }[] {
  return specs.flatMap((s) => {
    const options = s
      .syntax()
      .options.map((o) => o.long)
      .filter((l): l is string => l !== undefined);
    return [{ name: [...path, s.name].join(' '), options }, ...leaves(s.subcommands ?? [], [...path, s.name])];
  });
}

const COMMAND_NAMES = COMMANDS.map((c) => c.name);
const OPTIONS = [...new Set(leaves(COMMANDS).flatMap((c) => c.options))];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const COMMAND_WORD = new RegExp(`\\bbinfmt (${COMMAND_NAMES.map(escape).join('|')})(?![\\w-])`, 'g');
const OPTION_WORD = new RegExp(`(?<![\\w-])(${OPTIONS.map(escape).join('|')})(?![\\w-])`, 'g');

/** `file: word`, for every binfmt word in a literal outside src/cli. */
function wordsOutsideCli(): string[] {
  const hits = new Set<string>();
  for (const path of files(SRC)) {
    const file = relative(SRC, path);
    if (file.startsWith('cli/')) continue;
    for (const text of literals(path)) {
      for (const m of text.matchAll(COMMAND_WORD)) hits.add(`${file}: ${m[0]}`);
      for (const m of text.matchAll(OPTION_WORD)) hits.add(`${file}: ${m[0]}`);
    }
  }
  return [...hits].sort();
}

/** What may stay, and why. Each entry must still occur: the list only shrinks. */
const ALLOWED: Record<string, string> = {
  'config/persistence.ts: binfmt persist':
    'the header binfmt persist writes into /etc/binfmt.d files, matched to recognise them: a name recorded as data in a file',
  'core/doctor-findings.ts: binfmt emulate':
    "the state's source tag an entry was registered with (ops/emulate.ts EMULATE_SOURCE), compared as data",
  'core/loader-directive.ts: --embed-ld':
    "the # binfmt-loader: directive's own syntax (a file format the loader reads), not binfmt's option",
  'core/loader-directive.ts: --inhibit-cache': "the # binfmt-loader: directive's own syntax, and ld.so's option",
  'core/loader-directive.ts: --ld': "the # binfmt-loader: directive's own syntax",
  'core/loader-directive.ts: --ld-from-program': "the # binfmt-loader: directive's own syntax",
  'core/loader-directive.ts: --library-path': "the # binfmt-loader: directive's own syntax, and ld.so's option",
  'core/loader-directive.ts: --root': "the # binfmt-loader: directive's own syntax",
  'core/problem-codes.ts: binfmt emulate':
    "names how an entry was registered (the state's source tag), not a command to type",
  'core/problem-codes.ts: binfmt register':
    "names how an entry was registered (the state's source tag), not a command to type",
  'elf/ldso-check.ts: --argv0': "ld.so's option, looked for in ld.so's bytes",
  'exec/loader-command.ts: --argv0': "the chainloader's and ld.so's option, on their command line",
  'exec/loader-command.ts: --library-path': "the chainloader's and ld.so's option, on their command line",
  'kernel/sandbox-places.ts: binfmt sandbox':
    "the prefix of the messages the sandbox's own shell script prints, as the cli prints 'binfmt:'",
  'kernel/sandbox.ts: --mount': "unshare(1)'s option",
  'kernel/sandbox.ts: binfmt sandbox': "the prefix of the messages the sandbox's own shell script prints",
  'ops/emulate-remove.ts: binfmt persist':
    'the header binfmt persist writes into /etc/binfmt.d files, matched to recognise them',
  'ops/emulate.ts: binfmt emulate':
    "the state's source tag an entry is registered with (EMULATE_SOURCE), recorded as data",
  'ops/record-registration.ts: binfmt register':
    "the state's source tag an entry is registered with (REGISTER_SOURCE), recorded as data",
  'ops/rootfs.ts: --cache-dir': "debootstrap's option (--cache-dir=DIR)",
};

describe('binfmt words are written in src/cli only', () => {
  it('no string outside src/cli names a binfmt command or option, but those allowed', () => {
    const hits = wordsOutsideCli();
    expect(hits.filter((h) => !(h in ALLOWED))).toEqual([]);
    expect(Object.keys(ALLOWED).filter((a) => !hits.includes(a))).toEqual([]);
  });

  it('finds a command line and an option (the check can fail)', () => {
    expect('use binfmt apply --force'.match(COMMAND_WORD)).toEqual(['binfmt apply']);
    expect('use binfmt apply --force'.match(OPTION_WORD)).toEqual(['--force']);
    expect('--state-dir=x --mount-point binfmt_misc binfmt-sandbox'.match(OPTION_WORD)).toEqual(['--state-dir']);
  });

  it("every option named below src/cli is one of binfmt's options", () => {
    const names = files(SRC)
      .filter((path) => !relative(SRC, path).startsWith('cli/'))
      .flatMap((path) => [...readFileSync(path, 'utf8').matchAll(/\boption\('(\w+)'/g)].map((m) => m[1]!));
    expect(names.length).toBeGreaterThan(20);
    expect([...new Set(names)].filter((n) => !optionWords().has(n))).toEqual([]);
  });

  it('the cli spells every option of every command, as its logical name reads', () => {
    const words = optionWords();
    expect([...words.values()].sort()).toEqual([...OPTIONS].sort());
    for (const [name, long] of words) expect(plainOptionWord(name)).toBe(long);
  });
});
