/**
 * A container's entry point as the runtime and the kernel find it (pure:
 * a reader of the container's root in, the file that will really be loaded
 * out):
 * - `process.args[0]` without a slash is looked up through the `PATH` of
 *   `process.env`, as runc does (Go's exec.LookPath after the container's
 *   environment is set: each PATH element, an empty one meaning the working
 *   directory, the first regular file with an execute bit);
 * - symbolic links are followed inside the container's root (an absolute
 *   target starts again at that root, `..` stops at it);
 * - a file starting with `#!` runs its interpreter (fs/binfmt_script.c, read
 *   as exec-chain.ts scriptLine does), so the interpreter is what gets
 *   loaded, up to the kernel's nesting limit.
 */
import { scriptLine } from './exec-chain.js';

/** The bytes the kernel reads of a file to pick its loader (BINPRM_BUF_SIZE, include/uapi/linux/binfmts.h). */
export const HEAD_BYTES = 256;
/** Symbolic links followed in one path lookup before ELOOP (MAXSYMLINKS, include/linux/namei.h). */
export const MAX_SYMLINKS = 40;
/**
 * Loader rewrites in one execve before ELOOP (fs/exec.c exec_binprm: the loop
 * gives up when its depth passes 5); each `#!` line is one.
 */
export const MAX_REWRITES = 5;

/** What the caller reads from the container's root; paths are absolute inside it. */
export interface RootReader {
  /** The target of the symbolic link at `path` (whose directories are no links), or null when it is none. */
  readlink(path: string): string | null;
  /** The first `bytes` bytes of the regular file at `path` and whether it has an execute bit; null when it is none. */
  head(path: string, bytes: number): { bytes: Uint8Array; executable: boolean } | null;
}

export type EntryPoint =
  | {
      ok: true;
      /** The file the kernel loads last (no `#!`), resolved inside the root. */
      path: string;
      /** Its first bytes (HEAD_BYTES at most). */
      head: Uint8Array;
      /** Every file on the way, the entry point first. */
      chain: string[];
    }
  | { ok: false; reason: string };

const split = (p: string): string[] => p.split('/').filter((c) => c !== '' && c !== '.');

/** `path` (relative to `cwd`) with every symbolic link followed inside the root; null on a loop. */
export function resolveInRoot(path: string, cwd: string, readlink: RootReader['readlink']): string | null {
  const todo = split(path.startsWith('/') ? path : `${cwd}/${path}`);
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '..') {
      done.pop();
      continue;
    }
    const target = readlink(`/${[...done, c].join('/')}`);
    if (target === null) {
      done.push(c);
      continue;
    }
    if (++links > MAX_SYMLINKS) return null;
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...split(target));
  }
  return `/${done.join('/')}`;
}

/** runc's lookup of args[0]: a name with a slash as it is, else the first executable on PATH. */
function lookPath(
  name: string,
  env: readonly string[],
  cwd: string,
  read: RootReader,
): { path: string; file: { bytes: Uint8Array; executable: boolean } } | string {
  const open = (p: string) => {
    const resolved = resolveInRoot(p, cwd, read.readlink.bind(read));
    const file = resolved === null ? null : read.head(resolved, HEAD_BYTES);
    return resolved !== null && file ? { path: resolved, file } : null;
  };
  if (name.includes('/')) {
    const f = open(name);
    if (!f) return `${name}: no such file`;
    return f;
  }
  const pathVar = [...env].reverse().find((e) => e.startsWith('PATH='));
  if (pathVar === undefined) return `${name}: no PATH in process.env to look it up`;
  for (const dir of pathVar.slice('PATH='.length).split(':')) {
    const f = open(`${dir === '' ? '.' : dir}/${name}`);
    if (f?.file.executable) return f;
  }
  return `${name}: not found in PATH ${pathVar.slice('PATH='.length)}`;
}

/** Resolves the container's entry point to the file the kernel will load. */
export function entryPoint(args: readonly string[], env: readonly string[], cwd: string, read: RootReader): EntryPoint {
  const name = args[0];
  if (name === undefined || name === '') return { ok: false, reason: 'process.args is empty' };
  const found = lookPath(name, env, cwd, read);
  if (typeof found === 'string') return { ok: false, reason: found };
  const chain = [found.path];
  let { path, file } = found;
  for (let rewrites = 0; ; rewrites++) {
    const interp = scriptLine(file.bytes)?.name ?? null;
    if (interp === null) return { ok: true, path, head: file.bytes, chain };
    if (rewrites === MAX_REWRITES) return { ok: false, reason: `${chain[0]}: more than ${MAX_REWRITES} #! levels` };
    const resolved = resolveInRoot(interp, cwd, read.readlink.bind(read));
    const next = resolved === null ? null : read.head(resolved, HEAD_BYTES);
    if (resolved === null || !next) return { ok: false, reason: `${path}: its interpreter ${interp} is not a file` };
    chain.push(resolved);
    path = resolved;
    file = next;
  }
}

/** ELF header fields the native check reads (<elf.h>). */
const ELFMAG = [0x7f, 0x45, 0x4c, 0x46];
const EI_CLASS = 4;
const EI_DATA = 5;
const ELFDATA2MSB = 2;
const E_MACHINE = 18;
/** A CPU's own e_machine and ELF class, by Node's process.arch names (<elf.h> EM_*, ELFCLASS*). */
const OWN_MACHINE: Record<string, [machine: number, elfClass: number]> = {
  x64: [62, 2],
  ia32: [3, 1],
  arm64: [183, 2],
  arm: [40, 1],
  riscv64: [243, 2],
  ppc64: [21, 2],
  s390x: [22, 2],
  loong64: [258, 2],
  mips64el: [8, 2],
};

/** Whether an ELF head is for this CPU itself, named as Node's process.arch (no probe needed). */
export function isOwnMachine(head: Uint8Array, arch: string): boolean {
  const own = OWN_MACHINE[arch];
  if (!own || head.length < E_MACHINE + 2) return false;
  const [lo, hi] =
    head[EI_DATA] === ELFDATA2MSB ? [head[E_MACHINE + 1]!, head[E_MACHINE]!] : [head[E_MACHINE]!, head[E_MACHINE + 1]!];
  return ELFMAG.every((b, i) => head[i] === b) && head[EI_CLASS] === own[1] && (lo | (hi << 8)) === own[0];
}
