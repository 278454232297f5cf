/**
 * The fields of an M entry, in the order create_entry() (fs/binfmt_misc.c)
 * parses them: offset, magic, mask, each up to its delimiter (scanarg() checks
 * the \\x escapes), then both decoded (string_unescape_inplace) and checked
 * against the window of the file the kernel reads.
 */
import type { Entry } from './entry.js';
import { warning, type Diagnostic } from './diagnostic.js';
import { scanArg, unescapeHex } from './hex-escape.js';
import { parseKernelInt } from './kernel-int.js';
import { BINPRM_BUF_SIZE } from './limits.js';
import {
  bufferSlice,
  einval,
  findDelimiter,
  isFailure,
  missingDelimiter,
  type RegisterBuffer,
  type RegisterFailure,
  type Stage,
} from './register-buffer.js';

const utf8 = new TextDecoder('utf-8');

export type MagicFields = Pick<Extract<Entry, { type: 'magic' }>, 'type' | 'offset' | 'magic' | 'mask'>;

/** M: offset, magic, mask, then both decoded and checked against the window the kernel reads. */
export function parseMagicFields(buf: RegisterBuffer, p: number, diagnostics: Diagnostic[]): Stage<MagicFields> {
  const offset = parseOffset(buf, p);
  if (isFailure(offset)) return offset;
  const magic = scanMagic(buf, offset.next);
  if (isFailure(magic)) return magic;
  const mask = scanMask(buf, magic.next);
  if (isFailure(mask)) return mask;
  const decoded = decodeMagicMask(magic.value, mask.value, offset.value, diagnostics);
  if (isFailure(decoded)) return decoded;
  return { value: { type: 'magic', offset: offset.value, ...decoded }, next: mask.next };
}

/** An empty offset is 0; otherwise a decimal number (kstrtoint) that is not negative. */
function parseOffset(buf: RegisterBuffer, p: number): Stage<number> {
  const end = findDelimiter(buf, p);
  if (end < 0) return missingDelimiter(buf, 'offset', p);
  if (end === p) return { value: 0, next: end + 1 };
  const parsed = parseKernelInt(bufferSlice(buf, p, end));
  if (parsed === null || parsed < 0) {
    const text = utf8.decode(bufferSlice(buf, p, end));
    return einval('offset', 'offset', `offset: '${text}' is not a decimal number from 0 to ${BINPRM_BUF_SIZE - 1}`, p);
  }
  return { value: parsed, next: end + 1 };
}

/** A field still escaped, as scanarg() leaves it, with its start (for columns). */
interface RawField {
  bytes: Uint8Array;
  start: number;
}

/** scanarg() to the next delimiter, checking the \x escapes on the way. */
function scanField(buf: RegisterBuffer, field: 'magic' | 'mask', p: number): Stage<RawField> {
  const s = scanArg(buf.at, p, buf.del);
  if ('badEscapeAt' in s)
    return einval('escape', field, `${field}: \\x must be followed by two hex digits`, s.badEscapeAt);
  if (s.end >= buf.count) return missingDelimiter(buf, field, p);
  return { value: { bytes: bufferSlice(buf, p, s.end), start: p }, next: s.next };
}

function scanMagic(buf: RegisterBuffer, p: number): Stage<RawField> {
  const magic = scanField(buf, 'magic', p);
  if (isFailure(magic)) return magic;
  if (magic.value.bytes.length === 0 || magic.value.bytes[0] === 0)
    return einval('magic-empty', 'magic', 'magic: empty', p);
  return magic;
}

const scanMask = (buf: RegisterBuffer, p: number): Stage<RawField> => scanField(buf, 'mask', p);

/** string_unescape_inplace() on both; the mask must decode to the magic's length, and both fit BINPRM_BUF_SIZE. */
function decodeMagicMask(
  magicField: RawField,
  maskField: RawField,
  offset: number,
  diagnostics: Diagnostic[],
): Pick<MagicFields, 'magic' | 'mask'> | RegisterFailure {
  const magic = unescapeHex(magicField.bytes);
  nulTruncated('magic', magicField, magic, diagnostics);
  let mask: Uint8Array | null = null;
  if (maskField.bytes.length > 0 && maskField.bytes[0] !== 0) {
    mask = unescapeHex(maskField.bytes);
    nulTruncated('mask', maskField, mask, diagnostics);
    if (mask.length !== magic.length) {
      const message = `mask: ${mask.length} bytes, but the magic has ${magic.length}; they must be the same length`;
      return einval('mask-length', 'mask', message, maskField.start);
    }
  } else if (maskField.bytes.length > 0) {
    const message = 'mask: starts with a raw NUL byte, so the kernel ignores the whole mask';
    diagnostics.push(warning('mask-nul-truncated', 'mask', message, maskField.start + 1));
  }
  if (magic.length > BINPRM_BUF_SIZE || BINPRM_BUF_SIZE - magic.length < offset) {
    const message = `offset ${offset} + magic ${magic.length} bytes is past the ${BINPRM_BUF_SIZE}-byte window the kernel reads (BINPRM_BUF_SIZE)`;
    return einval('magic-window', 'magic', message, magicField.start);
  }
  return { magic, mask };
}

/** A raw NUL in the magic or mask field: the kernel's string copy ends there (warned at the NUL, 1-based). */
function nulTruncated(field: 'magic' | 'mask', raw: RawField, bytes: Uint8Array, diagnostics: Diagnostic[]): void {
  if (!raw.bytes.includes(0)) return;
  const message = `${field}: a raw NUL byte truncates it to ${bytes.length} bytes; write \\x00`;
  diagnostics.push(warning(`${field}-nul-truncated`, field, message, raw.start + raw.bytes.indexOf(0) + 1));
}
