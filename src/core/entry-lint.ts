/**
 * Warnings and refusals about entries the kernel would accept: the safety
 * guards. Pure: facts about files (their first bytes, PT_INTERP, mode) come in
 * as a Probe filled by the I/O layer.
 */
import type { Entry } from './entry.js';
import { error, warning, type Diagnostic } from './diagnostic.js';
import { entryMatches } from './match.js';
import { extensionLeadingDot } from './extension-leading-dot.js';
import { TIDY_NAME_MAX } from './limits.js';

export interface FileFacts {
  path: string;
  head: Uint8Array;
}

export interface Probe {
  /** Native executables of this machine to test the entry against (e.g. /bin/sh, node). */
  natives?: FileFacts[];
  /** The interpreter's own first bytes, when it could be read. */
  interpreter?: {
    head: Uint8Array;
    /** PT_INTERP of the interpreter when it is a dynamically linked ELF file. */
    ptInterp: string | null;
    setuid: boolean;
  } | null;
  /** What open_exec() would answer for the interpreter now (null: it opens), when known. */
  interpreterErrno?: string | null;
}

/** One guard: what it finds wrong with the entry, if anything. */
type Guard = (entry: Entry, probe: Probe) => Diagnostic | Diagnostic[] | null;

/** Refusals first (errors unless --force): loops and capturing the machine's own programs; then warnings. */
const GUARDS: readonly Guard[] = [
  selfMatch,
  openBinaryScript,
  extensionLeadingDot,
  capturesNative,
  credentialsOfFile,
  fixBinaryDynamic,
  interpreterMissing,
  interpreterRelative,
  setuidInterpreter,
  extensionDot,
  magicOutsideMask,
  untidyName,
];

export function lintEntry(entry: Entry, probe: Probe = {}): Diagnostic[] {
  return GUARDS.flatMap((guard) => guard(entry, probe) ?? []);
}

function selfMatch(entry: Entry, { interpreter }: Probe): Diagnostic | null {
  if (!interpreter || !entryMatches(entry, { path: entry.interpreter, head: interpreter.head })) return null;
  return error(
    'self-match',
    'entry',
    `the interpreter ${entry.interpreter} matches this entry itself: every exec it serves fails with ELOOP`,
  );
}

/**
 * exec_binprm() (fs/exec.c) allows one execfd hand-over per chain: the #!
 * interpreter after an O (or C) dispatch ends the exec with ENOEXEC.
 */
function openBinaryScript(entry: Entry, { interpreter }: Probe): Diagnostic | null {
  const script = interpreter && interpreter.head[0] === 0x23 && interpreter.head[1] === 0x21;
  if (!entry.flags.includes('O') || !script) return null;
  const flag = entry.flags.includes('C') ? 'C (which implies O)' : 'O';
  return error(
    'open-binary-script',
    'flags',
    `flags: with ${flag} the interpreter must be a binary, but ${entry.interpreter} is a #! script: every exec it serves fails with ENOEXEC`,
  );
}

function capturesNative(entry: Entry, { natives }: Probe): Diagnostic[] {
  return (natives ?? [])
    .filter((n) => entryMatches(entry, n))
    .map((n) =>
      error(
        'captures-native',
        'entry',
        `matches this machine's native executable ${n.path}: every such exec would go through ${entry.interpreter}`,
      ),
    );
}

function credentialsOfFile(entry: Entry): Diagnostic | null {
  if (!entry.flags.includes('C')) return null;
  if (entry.type === 'extension')
    return warning(
      'credentials-extension',
      'flags',
      'flags: C runs the interpreter with the credentials of the file; with an extension entry, renaming any setuid program to match grants its privileges to the interpreter',
    );
  return warning(
    'credentials',
    'flags',
    'flags: C runs the interpreter with the credentials (setuid/setgid, capabilities) of the matched file',
  );
}

function fixBinaryDynamic(entry: Entry, { interpreter }: Probe): Diagnostic | null {
  if (!entry.flags.includes('F') || !interpreter?.ptInterp) return null;
  return warning(
    'fix-binary-dynamic',
    'flags',
    `flags: F pins only ${entry.interpreter}, which is dynamically linked (PT_INTERP ${interpreter.ptInterp}): it will not run in chroots or containers that lack that ld.so`,
  );
}

/** With F the kernel itself refuses a missing interpreter at registration; without it, it accepts anything. */
function interpreterMissing(entry: Entry, { interpreterErrno: errno }: Probe): Diagnostic | null {
  if (entry.flags.includes('F') || !errno) return null;
  const then = `every matching exec then fails${errno === 'ENOENT' ? ' with ENOENT' : ''}`;
  const text = `interpreter: ${entry.interpreter} cannot be run (${errno}): the kernel accepts the entry without F, and ${then}`;
  return warning('interpreter-missing', 'interpreter', text);
}

function interpreterRelative(entry: Entry): Diagnostic | null {
  if (entry.interpreter.startsWith('/')) return null;
  const against = entry.flags.includes('F')
    ? "resolved against the registering process's cwd now"
    : 'resolved against the cwd of every exec';
  return warning('interpreter-relative', 'interpreter', `interpreter: '${entry.interpreter}' is relative: ${against}`);
}

function setuidInterpreter(entry: Entry, { interpreter }: Probe): Diagnostic | null {
  if (!interpreter?.setuid || entry.flags.includes('C')) return null;
  return warning(
    'setuid-interpreter',
    'interpreter',
    'interpreter: is setuid, and without C every matched file runs with its privileges',
  );
}

function extensionDot(entry: Entry): Diagnostic | null {
  if (entry.type !== 'extension' || !entry.extension.includes('.') || entry.extension.startsWith('.')) return null;
  return warning(
    'extension-dot',
    'extension',
    `extension: '${entry.extension}' contains '.', and the kernel compares only what follows the last '.' of a path: it can never match`,
  );
}

function magicOutsideMask(entry: Entry): Diagnostic | null {
  if (entry.type !== 'magic' || !entry.mask) return null;
  const mask = entry.mask;
  if (!entry.magic.some((b, j) => (b & ~mask[j]!) !== 0)) return null;
  return warning(
    'magic-outside-mask',
    'magic',
    'magic: has bits outside the mask; the kernel ignores them (magic & mask is what matches)',
  );
}

function untidyName(entry: Entry): Diagnostic | null {
  if (/[\s\p{Cc}]/u.test(entry.name))
    return warning('name-spaces', 'name', 'name: contains white space or control characters');
  if (entry.name.length > TIDY_NAME_MAX || !/^[A-Za-z0-9._+-]+$/.test(entry.name))
    return warning('name-untidy', 'name', `name: prefer at most ${TIDY_NAME_MAX} characters from [A-Za-z0-9._+-]`);
  return null;
}
