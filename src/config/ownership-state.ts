/**
 * Which binfmt_misc entries this tool registered: the kernel keeps no
 * metadata, so ownership lives in a state file (JSON, written atomically).
 *
 * One file per binfmt_misc mount, under /run by default (a registration does
 * not survive a reboot, so neither should the claim on it). The file records
 * which instance it was made for (instanceId): a state file left from another
 * instance (a reboot without tmpfs /run, an earlier sandbox) is ignored.
 * An entry counts as owned only while the kernel still shows the definition
 * recorded here; one changed behind our back is nobody's.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { writeFileAtomic } from '../sys/atomic-write.js';

/** Default state directory: volatile like the registrations themselves. */
export const DEFAULT_STATE_DIR = '/run/binfmt';
export const STATE_VERSION = 1;

export interface OwnedEntry {
  name: string;
  /** The canonical register string the entry was registered with. */
  register: string;
  /** "file:line" of the configuration line, or how it was registered. */
  source: string;
}

export interface OwnershipState {
  version: number;
  mount: string;
  /** Identifies the binfmt_misc instance (instanceId). */
  instance: string;
  /** In registration order, oldest first. */
  entries: OwnedEntry[];
}

/** "/proc/sys/fs/binfmt_misc" → "proc-sys-fs-binfmt_misc.json" (systemd-style path escaping, simplified). */
export function stateFileName(mount: string): string {
  const trimmed = mount.replace(/^\/+|\/+$/g, '') || 'root';
  return `${trimmed.replace(/\/+/g, '-')}.json`;
}

/**
 * Which binfmt_misc instance a mount shows. The device number alone is not
 * enough: anonymous device numbers are reused, so two sandboxes one after the
 * other get the same one (seen on 6.18). The `status` file's mtime is set when
 * the instance is created and changes only when `status` is written (not on
 * registering or removing entries), so device + that mtime tell instances
 * apart. Writing `status` (binfmt status on|off) therefore forgets ownership:
 * identical entries are adopted again by the next apply.
 */
function instanceId(mount: string): string {
  try {
    const dev = statSync(mount).dev;
    const born = statSync(join(mount, 'status'), { bigint: true }).mtimeNs;
    return `${dev}:${born}`;
  } catch {
    return 'unknown';
  }
}

export class OwnershipStore {
  readonly path: string;
  constructor(
    readonly stateDir: string,
    readonly mount: string,
  ) {
    this.path = join(stateDir, stateFileName(mount));
  }

  /** The recorded state, or an empty one; `warning` says why a file was ignored. */
  load(): { state: OwnershipState; warning: string | null } {
    const empty: OwnershipState = {
      version: STATE_VERSION,
      mount: this.mount,
      instance: instanceId(this.mount),
      entries: [],
    };
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: empty, warning: null };
      throw new BinfmtError(
        (e as NodeJS.ErrnoException).code ?? 'EIO',
        `${this.path}: cannot read the ownership state: ${(e as Error).message}`,
        this.path,
      );
    }
    let parsed: OwnershipState;
    try {
      parsed = JSON.parse(text) as OwnershipState;
    } catch (e) {
      throw new BinfmtError(
        'EINVAL',
        `${this.path}: the ownership state is not valid JSON (${(e as Error).message}); remove it to start afresh`,
        this.path,
      );
    }
    if (parsed.version !== STATE_VERSION || !Array.isArray(parsed.entries)) {
      throw new BinfmtError(
        'EINVAL',
        `${this.path}: unknown ownership state version ${String(parsed.version)} (expected ${STATE_VERSION})`,
        this.path,
      );
    }
    if (parsed.instance !== empty.instance) {
      return {
        state: empty,
        warning: `${this.path}: recorded for another binfmt_misc instance (${parsed.instance}, now ${empty.instance}), ignoring`,
      };
    }
    return { state: parsed, warning: null };
  }

  save(entries: OwnedEntry[]): void {
    const state: OwnershipState = {
      version: STATE_VERSION,
      mount: this.mount,
      instance: instanceId(this.mount),
      entries,
    };
    writeFileAtomic(this.path, JSON.stringify(state, null, 2) + '\n');
  }
}
