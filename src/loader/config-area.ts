/**
 * The loader's baked configuration area: the byte layout, defined once more
 * (the C side is native/loader/config.h; docs/binfmt-loader.8.md documents
 * it). Pure: bytes in, values out, and back.
 *
 *   off  size  field
 *     0     8  magic "BFLDCONF"
 *     8     2  version (1)
 *    10     2  header size (64)
 *    12     4  area size (2048)
 *    16     4  policy: 0 unset, 1 fixed, 2 embedded, 3 from-program
 *    20     4  flags: bit 0 --inhibit-cache, bit 1 ld.so takes --argv0
 *    24     8  embedded ld.so: address relative to the loader's base
 *    32     8  embedded ld.so: size
 *    40     8  embedded ld.so: file offset
 *    48    16  reserved, zero
 *    64   448  ld_path        (NUL-terminated)
 *   512   512  root           (NUL-terminated)
 *  1024  1024  library_path   (NUL-terminated)
 */
import { BinfmtError } from '../core/binfmt-error.js';

export const CONFIG_MAGIC = 'BFLDCONF';
export const CONFIG_VERSION = 1;
export const CONFIG_HEADER_SIZE = 64;
export const CONFIG_AREA_SIZE = 2048;

/** String fields: [offset, size including the NUL]. */
const FIELDS = {
  ldPath: [64, 448],
  root: [512, 512],
  libraryPath: [1024, 1024],
} as const;

export type LdPolicy = 'unset' | 'fixed' | 'embedded' | 'from-program';
const POLICIES: LdPolicy[] = ['unset', 'fixed', 'embedded', 'from-program'];
const FLAG_INHIBIT_CACHE = 1;
const FLAG_ARGV0 = 2;

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
  if (buf.indexOf(CONFIG_MAGIC, at + 1, 'latin1') >= 0) throw new BinfmtError('ENOEXEC', `${what}: more than one configuration area`, what);
  if (at + CONFIG_AREA_SIZE > file.length) throw new BinfmtError('ENOEXEC', `${what}: configuration area truncated`, what);
  return at;
}

function readString(area: Uint8Array, field: keyof typeof FIELDS, what: string): string {
  const [off, size] = FIELDS[field];
  const bytes = area.subarray(off, off + size);
  const nul = bytes.indexOf(0);
  if (nul < 0) throw new BinfmtError('EINVAL', `${what}: configuration field ${field} is not NUL-terminated`, field);
  return Buffer.from(bytes.subarray(0, nul)).toString('utf8');
}

export function parseConfigArea(area: Uint8Array, what: string): LoaderConfig {
  const v = new DataView(area.buffer, area.byteOffset, area.byteLength);
  if (Buffer.from(area.subarray(0, 8)).toString('latin1') !== CONFIG_MAGIC) throw new BinfmtError('EINVAL', `${what}: bad configuration magic`, 'magic');
  const version = v.getUint16(8, true);
  if (version !== CONFIG_VERSION) throw new BinfmtError('EINVAL', `${what}: configuration version ${version}, this tool knows ${CONFIG_VERSION}`, 'version');
  if (v.getUint16(10, true) !== CONFIG_HEADER_SIZE || v.getUint32(12, true) !== CONFIG_AREA_SIZE) {
    throw new BinfmtError('EINVAL', `${what}: configuration area has an unexpected size`, 'area_size');
  }
  const policy = POLICIES[v.getUint32(16, true)];
  if (!policy) throw new BinfmtError('EINVAL', `${what}: unknown ld.so policy ${v.getUint32(16, true)}`, 'policy');
  const flags = v.getUint32(20, true);
  const size = Number(v.getBigUint64(32, true));
  return {
    version,
    policy,
    inhibitCache: (flags & FLAG_INHIBIT_CACHE) !== 0,
    argv0: (flags & FLAG_ARGV0) !== 0,
    embedded: size ? { vaddr: Number(v.getBigUint64(24, true)), size, offset: Number(v.getBigUint64(40, true)) } : null,
    ldPath: readString(area, 'ldPath', what),
    root: readString(area, 'root', what),
    libraryPath: readString(area, 'libraryPath', what),
  };
}

export function formatConfigArea(c: LoaderConfig): Uint8Array {
  const area = new Uint8Array(CONFIG_AREA_SIZE);
  const v = new DataView(area.buffer);
  area.set(Buffer.from(CONFIG_MAGIC, 'latin1'), 0);
  v.setUint16(8, CONFIG_VERSION, true);
  v.setUint16(10, CONFIG_HEADER_SIZE, true);
  v.setUint32(12, CONFIG_AREA_SIZE, true);
  v.setUint32(16, POLICIES.indexOf(c.policy), true);
  v.setUint32(20, (c.inhibitCache ? FLAG_INHIBIT_CACHE : 0) | (c.argv0 ? FLAG_ARGV0 : 0), true);
  v.setBigUint64(24, BigInt(c.embedded?.vaddr ?? 0), true);
  v.setBigUint64(32, BigInt(c.embedded?.size ?? 0), true);
  v.setBigUint64(40, BigInt(c.embedded?.offset ?? 0), true);
  for (const field of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) {
    const [off, size] = FIELDS[field];
    const bytes = Buffer.from(c[field], 'utf8');
    if (bytes.includes(0)) throw new BinfmtError('EINVAL', `${field}: contains a NUL byte`, field);
    if (bytes.length > size - 1) throw new BinfmtError('EINVAL', `${field}: ${bytes.length} bytes, at most ${size - 1} fit`, field);
    area.set(bytes, off);
  }
  return area;
}
