/**
 * The loader's baked configuration area: the byte layout, defined once more
 * (the C side is native/loader/config.h; docs/binfmt-loader.8.md documents
 * it). Pure: bytes in, values out, and back. The built loader ends with the
 * 64-byte header alone; a stamped copy appends its strings (stamp-image.ts).
 *
 *   off  size  field
 *     0     8  magic "BFLDCONF"
 *     8     2  version (3)
 *    10     2  header size (64)
 *    12     4  area size: 64 (no strings, the built loader), or 64 + the
 *              strings rounded up to 8 bytes
 *    16     4  policy: 0 unset, 1 fixed, 2 embedded, 3 from-program
 *    20     4  flags: bit 0 --inhibit-cache, bit 1 ld.so takes --argv0,
 *                     bit 2 the entry has P (the loader's argv-layout.h)
 *    24     8  embedded ld.so: address relative to the loader's base
 *    32     8  embedded ld.so: size
 *    40     8  embedded ld.so: file offset
 *    48    16  reserved, zero
 *    64     -  ld_path, root, library_path: NUL-terminated, one after the
 *              other, zero-padded
 */
import { BinfmtError } from '../core/binfmt-error.js';

export const CONFIG_MAGIC = 'BFLDCONF';
export const CONFIG_VERSION = 3;
/** Version 2 (a fixed 512-byte area, same header and string order) is still
 * read, so that `binfmt loader show` describes copies stamped before. */
const OLDEST_READABLE = 2;
export const CONFIG_HEADER_SIZE = 64;
/** The three strings with their NULs: each may be a path or a path list, and
 * PATH_MAX (4096, linux/limits.h) bounds what one path the kernel resolves. */
export const CONFIG_STRINGS_MAX = 3 * 4096;

/** The string fields, in their order in the area. */
const STRINGS = ['ldPath', 'root', 'libraryPath'] as const;

export type LdPolicy = 'unset' | 'fixed' | 'embedded' | 'from-program';
const POLICIES: LdPolicy[] = ['unset', 'fixed', 'embedded', 'from-program'];
const FLAG_INHIBIT_CACHE = 1;
const FLAG_ARGV0 = 2;
/** The copy serves an entry registered with P: argv[2] is argv[0] even when
 * AT_FLAGS cannot say so (Linux before 5.12). */
const FLAG_ENTRY_P = 4;

export interface Embedded {
  vaddr: number;
  size: number;
  offset: number;
}

export interface LoaderConfig {
  version: number;
  policy: LdPolicy;
  inhibitCache: boolean;
  argv0: boolean;
  /** Stamped for an entry with the P flag (kernels before 5.12 do not say P). */
  entryP: boolean;
  embedded: Embedded | null;
  ldPath: string;
  root: string;
  libraryPath: string;
}

export const UNSET_CONFIG: LoaderConfig = {
  version: CONFIG_VERSION,
  policy: 'unset',
  inhibitCache: false,
  argv0: false,
  entryP: false,
  embedded: null,
  ldPath: '',
  root: '',
  libraryPath: '',
};

/** Offset of the one configuration area in a loader file. */
export function findConfigArea(file: Uint8Array, what: string): number {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const at = buf.indexOf(CONFIG_MAGIC, 0, 'latin1');
  if (at < 0) throw new BinfmtError('ENOEXEC', `${what}: no configuration area (not a binfmt-loader?)`, what);
  if (buf.indexOf(CONFIG_MAGIC, at + 1, 'latin1') >= 0)
    throw new BinfmtError('ENOEXEC', `${what}: more than one configuration area`, what);
  if (at + CONFIG_HEADER_SIZE > file.length || at + areaSize(file.subarray(at)) > file.length)
    throw new BinfmtError('ENOEXEC', `${what}: configuration area truncated`, what);
  return at;
}

/** The area's size field (header and strings). */
function areaSize(area: Uint8Array): number {
  return new DataView(area.buffer, area.byteOffset, area.byteLength).getUint32(12, true);
}

/** The three strings, each up to its NUL; all empty without string bytes. */
function readStrings(area: Uint8Array, size: number, what: string): Record<(typeof STRINGS)[number], string> {
  const out = { ldPath: '', root: '', libraryPath: '' };
  let at = CONFIG_HEADER_SIZE;
  if (size === CONFIG_HEADER_SIZE) return out;
  for (const field of STRINGS) {
    const nul = area.subarray(at, size).indexOf(0);
    if (nul < 0) throw new BinfmtError('EINVAL', `${what}: configuration string ${field} is not NUL-terminated`, field);
    out[field] = Buffer.from(area.subarray(at, at + nul)).toString('utf8');
    at += nul + 1;
  }
  return out;
}

export function parseConfigArea(area: Uint8Array, what: string): LoaderConfig {
  const v = new DataView(area.buffer, area.byteOffset, area.byteLength);
  if (Buffer.from(area.subarray(0, 8)).toString('latin1') !== CONFIG_MAGIC)
    throw new BinfmtError('EINVAL', `${what}: bad configuration magic`, 'magic');
  const version = v.getUint16(8, true);
  if (version < OLDEST_READABLE || version > CONFIG_VERSION)
    throw new BinfmtError(
      'EINVAL',
      `${what}: configuration version ${version}, this tool knows ${OLDEST_READABLE} to ${CONFIG_VERSION}`,
      'version',
    );
  const size = areaSize(area);
  if (
    v.getUint16(10, true) !== CONFIG_HEADER_SIZE ||
    size < CONFIG_HEADER_SIZE ||
    size % 8 !== 0 ||
    size > CONFIG_HEADER_SIZE + CONFIG_STRINGS_MAX ||
    size > area.length
  ) {
    throw new BinfmtError('EINVAL', `${what}: configuration area has an unexpected size`, 'area_size');
  }
  const policy = POLICIES[v.getUint32(16, true)];
  if (!policy) throw new BinfmtError('EINVAL', `${what}: unknown ld.so policy ${v.getUint32(16, true)}`, 'policy');
  const flags = v.getUint32(20, true);
  const embedSize = Number(v.getBigUint64(32, true));
  return {
    version,
    policy,
    inhibitCache: (flags & FLAG_INHIBIT_CACHE) !== 0,
    argv0: (flags & FLAG_ARGV0) !== 0,
    entryP: (flags & FLAG_ENTRY_P) !== 0,
    embedded: embedSize
      ? { vaddr: Number(v.getBigUint64(24, true)), size: embedSize, offset: Number(v.getBigUint64(40, true)) }
      : null,
    ...readStrings(area, size, what),
  };
}

/**
 * The area's bytes: the header and, for a stamped copy, the three strings
 * zero-padded to 8 bytes. The built loader (policy unset, no strings) is the
 * header alone.
 */
export function formatConfigArea(c: LoaderConfig): Uint8Array {
  const strings = STRINGS.map((field) => {
    const bytes = Buffer.from(c[field], 'utf8');
    if (bytes.includes(0)) throw new BinfmtError('EINVAL', `${field}: contains a NUL byte`, field);
    return bytes;
  });
  const used = strings.reduce((n, b) => n + b.length + 1, 0);
  if (used > CONFIG_STRINGS_MAX) {
    const field = STRINGS.findLast((f) => c[f]) ?? 'libraryPath';
    const sizes = STRINGS.map((f, i) => `${f} ${strings[i]!.length}`).join(', ');
    throw new BinfmtError(
      'EINVAL',
      `${field}: ${sizes} bytes: with their NULs at most ${CONFIG_STRINGS_MAX} fit`,
      field,
    );
  }
  const bare = c.policy === 'unset' && used === STRINGS.length;
  const size = bare ? CONFIG_HEADER_SIZE : CONFIG_HEADER_SIZE + Math.ceil(used / 8) * 8;
  const area = new Uint8Array(size);
  const v = new DataView(area.buffer);
  area.set(Buffer.from(CONFIG_MAGIC, 'latin1'), 0);
  v.setUint16(8, CONFIG_VERSION, true);
  v.setUint16(10, CONFIG_HEADER_SIZE, true);
  v.setUint32(12, size, true);
  v.setUint32(16, POLICIES.indexOf(c.policy), true);
  v.setUint32(
    20,
    (c.inhibitCache ? FLAG_INHIBIT_CACHE : 0) | (c.argv0 ? FLAG_ARGV0 : 0) | (c.entryP ? FLAG_ENTRY_P : 0),
    true,
  );
  v.setBigUint64(24, BigInt(c.embedded?.vaddr ?? 0), true);
  v.setBigUint64(32, BigInt(c.embedded?.size ?? 0), true);
  v.setBigUint64(40, BigInt(c.embedded?.offset ?? 0), true);
  if (bare) return area;
  let at = CONFIG_HEADER_SIZE;
  for (const bytes of strings) {
    area.set(bytes, at);
    at += bytes.length + 1;
  }
  return area;
}
