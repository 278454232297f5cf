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

export function lintEntry(entry: Entry, probe: Probe = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const flags = entry.flags;

  // Refusals (errors unless --force): loops and capturing the machine's own programs.
  const interp = probe.interpreter;
  if (interp && entryMatches(entry, { path: entry.interpreter, head: interp.head })) {
    out.push(
      error(
        'self-match',
        'entry',
        `the interpreter ${entry.interpreter} matches this entry itself: every exec it serves fails with ELOOP`,
      ),
    );
  }
  if (flags.includes('O') && interp && interp.head[0] === 0x23 && interp.head[1] === 0x21) {
    // exec_binprm() (fs/exec.c) allows one execfd hand-over per chain: the #!
    // interpreter after an O (or C) dispatch ends the exec with ENOEXEC.
    out.push(
      error(
        'open-binary-script',
        'flags',
        `flags: with ${flags.includes('C') ? 'C (which implies O)' : 'O'} the interpreter must be a binary, but ${entry.interpreter} is a #! script: every exec it serves fails with ENOEXEC`,
      ),
    );
  }
  out.push(...extensionLeadingDot(entry));
  for (const n of probe.natives ?? []) {
    if (entryMatches(entry, n)) {
      out.push(
        error(
          'captures-native',
          'entry',
          `matches this machine's native executable ${n.path}: every such exec would go through ${entry.interpreter}`,
        ),
      );
    }
  }

  // Warnings.
  if (flags.includes('C')) {
    out.push(
      warning(
        entry.type === 'extension' ? 'credentials-extension' : 'credentials',
        'flags',
        entry.type === 'extension'
          ? 'flags: C runs the interpreter with the credentials of the file; with an extension entry, renaming any setuid program to match grants its privileges to the interpreter'
          : 'flags: C runs the interpreter with the credentials (setuid/setgid, capabilities) of the matched file',
      ),
    );
  }
  if (flags.includes('F') && interp?.ptInterp) {
    out.push(
      warning(
        'fix-binary-dynamic',
        'flags',
        `flags: F pins only ${entry.interpreter}, which is dynamically linked (PT_INTERP ${interp.ptInterp}): it will not run in chroots or containers that lack that ld.so`,
      ),
    );
  }
  if (!flags.includes('F') && probe.interpreterErrno) {
    // With F the kernel itself refuses a missing interpreter at registration; without it, it accepts anything.
    const errno = probe.interpreterErrno;
    const then = `every matching exec then fails${errno === 'ENOENT' ? ' with ENOENT' : ''}`;
    const text = `interpreter: ${entry.interpreter} cannot be run (${errno}): the kernel accepts the entry without F, and ${then}`;
    out.push(warning('interpreter-missing', 'interpreter', text));
  }
  if (!entry.interpreter.startsWith('/')) {
    out.push(
      warning(
        'interpreter-relative',
        'interpreter',
        `interpreter: '${entry.interpreter}' is relative: ${flags.includes('F') ? "resolved against the registering process's cwd now" : 'resolved against the cwd of every exec'}`,
      ),
    );
  }
  if (interp?.setuid && !flags.includes('C')) {
    out.push(
      warning(
        'setuid-interpreter',
        'interpreter',
        'interpreter: is setuid, and without C every matched file runs with its privileges',
      ),
    );
  }
  if (entry.type === 'extension' && entry.extension.includes('.') && !entry.extension.startsWith('.')) {
    out.push(
      warning(
        'extension-dot',
        'extension',
        `extension: '${entry.extension}' contains '.', and the kernel compares only what follows the last '.' of a path: it can never match`,
      ),
    );
  }
  if (entry.type === 'magic' && entry.mask) {
    const outside = entry.magic.some((b, j) => (b & ~entry.mask![j]!) !== 0);
    if (outside)
      out.push(
        warning(
          'magic-outside-mask',
          'magic',
          'magic: has bits outside the mask; the kernel ignores them (magic & mask is what matches)',
        ),
      );
  }
  if (/[\s\p{Cc}]/u.test(entry.name)) {
    out.push(warning('name-spaces', 'name', 'name: contains white space or control characters'));
  } else if (entry.name.length > TIDY_NAME_MAX || !/^[A-Za-z0-9._+-]+$/.test(entry.name)) {
    out.push(warning('name-untidy', 'name', `name: prefer at most ${TIDY_NAME_MAX} characters from [A-Za-z0-9._+-]`));
  }
  return out;
}
