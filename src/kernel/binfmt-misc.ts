/**
 * The kernel adapter: one binfmt_misc mount (default /proc/sys/fs/binfmt_misc;
 * a private instance in tests). Thin I/O around the pure core:
 * - register() issues exactly one write() (a string split over two writes
 *   fails: bm_register_write parses each write on its own, and both halves
 *   get EINVAL, tested) and reads the entry back to confirm it;
 * - enable/disable/remove write 1, 0, -1 to the entry; setStatus to `status`;
 * - it never mounts or unmounts anything (on >= 6.7 the last unmount of an
 *   instance deletes all of its entries).
 * An instance reached another way (another process's, through --pid) comes
 * with its own label, writer and interpreter root (InstanceAccess).
 */
import { closeSync, existsSync, opendirSync, openSync, readFileSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { binfmt, option, type Fix } from '../core/fix.js';
import { parseEntryText } from '../core/entry-text.js';
import type { Entry } from '../core/entry.js';
import { describeDifference, entryDifferences } from '../core/entry-diff.js';
import { RESERVED_NAMES } from '../core/limits.js';

/** Where binfmt_misc conventionally lives (systemd's proc-sys-fs-binfmt_misc.mount); sandboxes mount theirs there too. */
export const DEFAULT_MOUNT = '/proc/sys/fs/binfmt_misc';

/** How to reach an instance that is not simply a mount in this process's namespaces. */
export interface InstanceAccess {
  /** How to name it to the user (default: the mount path). */
  label?: string;
  /** Writes bytes to one of its files with one write(2) (default: open the file under the mount and write). */
  write?: (file: string, bytes: Uint8Array) => void;
  /** A path prefix under which this process sees the paths interpreters resolve in ('' for its own root). */
  root?: string;
}

/**
 * What to say about a path that is not a binfmt_misc mount. Mounting is
 * suggested only on an empty directory: a mount over one that holds files
 * (`--mount /etc`) would hide them all.
 */
function whatIsThere(path: string): { detail: string; fix: Fix } {
  const sandbox = [binfmt('sandbox', '--', '…'), ' gives a private one'];
  let dir;
  try {
    dir = opendirSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : code;
    return { detail: `: ${why}`, fix: sandbox };
  }
  let empty: boolean;
  try {
    empty = dir.readSync() === null;
  } finally {
    dir.closeSync();
  }
  if (empty) return { detail: '', fix: [`as root: mount -t binfmt_misc binfmt_misc ${path}; or `, ...sandbox] };
  return {
    detail: ': it is a directory with other files in it, not a binfmt_misc mount',
    fix: [`binfmt_misc is usually at ${DEFAULT_MOUNT}; `, ...sandbox],
  };
}

export class BinfmtMisc {
  /** How the instance is named in messages. */
  readonly label: string;
  /** Prefix for interpreter paths as this process sees them ('' unless the instance is another process's). */
  readonly root: string;

  constructor(
    readonly mount: string = DEFAULT_MOUNT,
    private readonly access: InstanceAccess = {},
  ) {
    this.label = access.label ?? mount;
    this.root = access.root ?? '';
  }

  /** Throws a clear error unless a binfmt_misc instance is mounted here. */
  ensureMounted(): void {
    if (!existsSync(join(this.mount, 'status')) || !existsSync(join(this.mount, 'register'))) {
      const { detail, fix } = whatIsThere(this.mount);
      throw new BinfmtError(
        'ENOTMOUNTED',
        `binfmt_misc is not mounted at ${this.mount}${detail}`,
        option('mount'),
        fix,
      );
    }
  }

  /**
   * Entry names in the order the kernel lists them: newest first, which is the
   * match order on every kernel seen (dcache order, not ABI: see
   * docs/binfmt-list.1.md). readdirSync() would sort them (libuv's scandir),
   * so the directory is read raw.
   */
  names(): string[] {
    this.ensureMounted();
    const dir = opendirSync(this.mount);
    const out: string[] = [];
    try {
      for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
        if (!RESERVED_NAMES.includes(d.name)) out.push(d.name);
      }
    } finally {
      dir.closeSync();
    }
    return out;
  }

  has(name: string): boolean {
    return !RESERVED_NAMES.includes(name) && existsSync(join(this.mount, name));
  }

  read(name: string): Entry {
    this.ensureMounted();
    let text: string;
    try {
      text = readFileSync(join(this.mount, name), 'utf8');
    } catch (e) {
      throw this.explain(e, name, 'read');
    }
    return parseEntryText(name, text);
  }

  /** All entries in match order (newest first). */
  list(): Entry[] {
    return this.names().map((n) => this.read(n));
  }

  status(): boolean {
    this.ensureMounted();
    return readFileSync(join(this.mount, 'status'), 'utf8').trim() === 'enabled';
  }

  /**
   * Registers with one write() and confirms by reading the entry back.
   * `expected` is what the caller parsed the line into; a differing read-back is an error.
   */
  register(line: Uint8Array, expected: Entry): Entry {
    this.ensureMounted();
    this.writeOnce('register', line, expected.name);
    const got = this.read(expected.name);
    const diff = entryDifferences(expected, got)[0];
    if (diff)
      throw new BinfmtError(
        'EIO',
        `registered '${expected.name}', but the read-back differs: ${describeDifference(diff, 'intended', 'kernel has')}`,
        diff.field,
      );
    return got;
  }

  enable(name: string): void {
    this.control(name, '1');
  }

  disable(name: string): void {
    this.control(name, '0');
  }

  remove(name: string): void {
    this.control(name, '-1');
  }

  /** Turns all of binfmt_misc in this instance on or off (the entries stay). */
  setStatus(on: boolean): void {
    this.ensureMounted();
    this.writeOnce('status', Buffer.from(on ? '1' : '0'), 'status');
  }

  private control(name: string, body: string): void {
    this.ensureMounted();
    if (RESERVED_NAMES.includes(name))
      throw new BinfmtError('EINVAL', `'${name}' is a control file of binfmt_misc, not an entry`, 'name');
    if (!existsSync(join(this.mount, name)))
      throw new BinfmtError('ENOENT', `no binfmt_misc entry '${name}' in ${this.label}`, 'name');
    this.writeOnce(name, Buffer.from(body), name);
  }

  private writeOnce(file: string, bytes: Uint8Array, subject: string): void {
    if (this.access.write) {
      try {
        this.access.write(file, bytes);
      } catch (e) {
        throw this.explain(e, subject, 'write');
      }
      return;
    }
    const path = join(this.mount, file);
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY);
    } catch (e) {
      throw this.explain(e, subject, 'open');
    }
    try {
      const n = writeSync(fd, bytes, 0, bytes.length);
      if (n !== bytes.length) throw new BinfmtError('EIO', `short write to ${path}: ${n} of ${bytes.length} bytes`);
    } catch (e) {
      throw this.explain(e, subject, 'write');
    } finally {
      closeSync(fd);
    }
  }

  private explain(e: unknown, subject: string, op: string): Error {
    if (e instanceof BinfmtError) return e;
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const where = this.label;
    const messages: Record<string, string> = {
      EACCES: `${op} '${subject}': permission denied: changing ${where} needs root in the user namespace that owns it`,
      EPERM: `${op} '${subject}': not permitted: changing ${where} needs root in the user namespace that owns it`,
      EEXIST: `'${subject}' already exists in ${where}`,
      ENOENT:
        subject === 'register' || subject === 'status'
          ? `${where} has no ${subject} file`
          : `'${subject}': no such entry in ${where} (or, with F, its interpreter does not exist)`,
      EINVAL: `${op} '${subject}': the kernel refused it as invalid`,
      ENAMETOOLONG: `'${subject}': name too long (the kernel allows 255 bytes)`,
    };
    const fixes: Record<string, Fix> = {
      EEXIST: ['remove it first, or use ', binfmt('apply'), ' to replace it without a gap'],
      EINVAL: ['EINVAL; run ', binfmt('validate'), ' for the field that fails'],
    };
    const message = messages[code] ?? `${op} '${subject}' in ${where}: ${(e as Error).message}`;
    return new BinfmtError(code, message, undefined, fixes[code]);
  }
}
