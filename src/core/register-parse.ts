/**
 * parseRegister(): what the kernel does with one write to `register`, as a
 * value. It follows create_entry() (fs/binfmt_misc.c:356-561) step by step on
 * the same padded buffer, then bm_register_write() (:820-880) for the checks
 * that come after parsing, in the kernel's order:
 *   syntax (EINVAL) → F opens the interpreter (ENOENT, EACCES, …)
 *   → name longer than NAME_MAX (ENAMETOOLONG) → name exists (EEXIST).
 */
import { canonicalFlags, type Entry } from './entry.js';
import { error, warning, type Diagnostic, type Field } from './diagnostic.js';
import { scanArg, unescapeHex, type ByteAt } from './hex-escape.js';
import { parseKernelInt } from './kernel-int.js';
import { FLAG_DELIMITER, ruleState } from './kernel-rules.js';
import { formatKernel, type KernelVersion } from './kernel-version.js';
import {
  BINPRM_BUF_SIZE,
  DELIMITER_PADDING,
  MAX_REGISTER_LENGTH,
  MIN_REGISTER_LENGTH,
  NAME_MAX,
  RESERVED_NAMES,
} from './limits.js';

export type RegisterErrno = string;

export interface ParseOptions {
  /** Whether `name` already exists in the target instance (EEXIST). `register` and `status` always do. */
  exists?: (name: string) => boolean;
  /**
   * With F the kernel opens the interpreter at registration (open_exec). Return
   * the errno that open would fail with, or null. Without this, F is not checked.
   */
  openInterpreter?: (path: string) => string | null;
  /**
   * Judge by this kernel's rules (kernel-rules.ts). Without it, by the newest
   * kernel's. Where a rule's state is unknown for it, the string is parsed the
   * old way and a `kernel-rule-unknown` warning says what the kernel may do.
   */
  kernel?: KernelVersion;
}

export type ParseResult =
  | { ok: true; entry: Entry; diagnostics: Diagnostic[] }
  | { ok: false; errno: RegisterErrno; diagnostics: Diagnostic[] };

const utf8 = new TextDecoder('utf-8');
const FLAG_BYTES = new Set([0x50, 0x4f, 0x43, 0x46]); // P O C F
const NL = 0x0a;

/** A raw NUL in the magic or mask field: the kernel's string copy ends there (warned at the NUL, 1-based). */
function nulTruncated(
  field: 'magic' | 'mask',
  raw: Uint8Array,
  bytes: Uint8Array,
  start: number,
  diagnostics: Diagnostic[],
): void {
  if (!raw.includes(0)) return;
  const message = `${field}: a raw NUL byte truncates it to ${bytes.length} bytes; write \\x00`;
  diagnostics.push(warning(`${field}-nul-truncated`, field, message, start + raw.indexOf(0) + 1));
}

function describeByte(c: number): string {
  if (c === 0) return 'a NUL byte';
  if (c === NL) return 'a newline';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

export function parseRegister(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const raw = toBytes(input);
  const count = raw.length;
  const diagnostics: Diagnostic[] = [];
  const fail = (
    errno: string,
    code: string,
    field: Field,
    message: string,
    index: number | null = null,
  ): ParseResult => {
    diagnostics.push(error(code, field, message, index === null ? null : index + 1));
    return { ok: false, errno, diagnostics };
  };

  if (count < MIN_REGISTER_LENGTH || count > MAX_REGISTER_LENGTH) {
    return fail(
      'EINVAL',
      'length',
      'length',
      `the register string is ${count} bytes; the kernel takes ${MIN_REGISTER_LENGTH} to ${MAX_REGISTER_LENGTH}`,
    );
  }
  const del = raw[0]!;
  if (FLAG_BYTES.has(del)) {
    // A 2026 stable patch refuses a flag letter as the delimiter. Before it,
    // such a string whose flags field ends at a final newline was accepted
    // (booted: 5.10.223, 6.1.180, 6.12.100 accept; 6.1.187, 6.12.107, 6.18 refuse).
    const rule = opts.kernel ? ruleState(FLAG_DELIMITER, opts.kernel) : null;
    if (!rule || rule.state === 'new') {
      const which = opts.kernel ? `Linux ${formatKernel(opts.kernel)} refuses` : 'current kernels refuse';
      return fail(
        'EINVAL',
        'delimiter-flag',
        'delimiter',
        `delimiter: ${describeByte(del)} is a flag letter; ${which} P, O, C and F as delimiters`,
        0,
      );
    }
    if (rule.state === 'unknown') {
      diagnostics.push(
        warning(
          'kernel-rule-unknown',
          'delimiter',
          `delimiter: ${describeByte(del)} is a flag letter: older stable kernels accept it, newer ones refuse it (EINVAL); ${rule.reason}`,
          1,
        ),
      );
    }
  }
  // The kernel copies the write and pads it with 8 delimiters; reads past that hit NUL here.
  const at: ByteAt = (i) => (i < count ? raw[i]! : i < count + DELIMITER_PADDING ? del : 0);
  // strchr(p, del): the first delimiter, or -1 if a NUL comes first (unless NUL is the delimiter).
  // A delimiter found only in the padding (index >= count) also means -1 here:
  // parsing past the end can never come back to end exactly at count, so the
  // kernel's verdict is EINVAL either way, and "too few fields" says why.
  const strchr = (p: number): number => {
    for (let i = p; ; i++) {
      const c = at(i);
      if (c === del) return i < count ? i : -1;
      if (c === 0) return -1;
    }
  };
  const slice = (a: number, b: number): Uint8Array => {
    const out = new Uint8Array(b - a);
    for (let i = a; i < b; i++) out[i - a] = at(i);
    return out;
  };
  const missingDelimiter = (field: Field, start: number): ParseResult => {
    const nul = (() => {
      for (let i = start; i < count; i++) if (raw[i] === 0 && del !== 0) return i;
      return -1;
    })();
    if (nul >= 0)
      return fail(
        'EINVAL',
        `${field}-nul`,
        field,
        `${field}: a NUL byte at column ${nul + 1} ends the string before the next delimiter`,
        nul,
      );
    return fail(
      'EINVAL',
      'missing-field',
      field,
      `${field}: no delimiter ${describeByte(del)} after this field (too few fields)`,
      start,
    );
  };

  let p = 1;
  // name
  const nameEnd = strchr(p);
  if (nameEnd < 0) return missingDelimiter('name', p);
  const nameBytes = slice(p, nameEnd);
  const name = utf8.decode(nameBytes);
  if (nameBytes.length === 0) return fail('EINVAL', 'name-empty', 'name', 'name: empty', p);
  if (name === '.' || name === '..') return fail('EINVAL', 'name-dot', 'name', `name: '${name}' is not allowed`, p);
  const slash = nameBytes.indexOf(0x2f);
  if (slash >= 0) return fail('EINVAL', 'name-slash', 'name', "name: contains '/'", p + slash);
  p = nameEnd + 1;

  // type
  const typeAt = p;
  const type = at(p++);
  if (type !== 0x4d && type !== 0x45) {
    return fail(
      'EINVAL',
      'type',
      'type',
      `type: ${describeByte(type)}; must be 'M' (magic) or 'E' (extension)`,
      typeAt,
    );
  }
  if (at(p++) !== del) return fail('EINVAL', 'type', 'type', 'type: must be exactly one character, M or E', typeAt);

  let entry: Entry;
  if (type === 0x4d) {
    const offEnd = strchr(p);
    if (offEnd < 0) return missingDelimiter('offset', p);
    let offset = 0;
    if (offEnd !== p) {
      const parsed = parseKernelInt(slice(p, offEnd));
      if (parsed === null || parsed < 0) {
        return fail(
          'EINVAL',
          'offset',
          'offset',
          `offset: '${utf8.decode(slice(p, offEnd))}' is not a decimal number from 0 to ${BINPRM_BUF_SIZE - 1}`,
          p,
        );
      }
      offset = parsed;
    }
    p = offEnd + 1;

    const magicStart = p;
    const m = scanArg(at, p, del);
    if ('badEscapeAt' in m)
      return fail('EINVAL', 'escape', 'magic', 'magic: \\x must be followed by two hex digits', m.badEscapeAt);
    if (m.end >= count) return missingDelimiter('magic', magicStart);
    const magicField = slice(magicStart, m.end);
    if (magicField.length === 0 || magicField[0] === 0)
      return fail('EINVAL', 'magic-empty', 'magic', 'magic: empty', magicStart);
    p = m.next;

    const maskStart = p;
    const k = scanArg(at, p, del);
    if ('badEscapeAt' in k)
      return fail('EINVAL', 'escape', 'mask', 'mask: \\x must be followed by two hex digits', k.badEscapeAt);
    if (k.end >= count) return missingDelimiter('mask', maskStart);
    const maskField = slice(maskStart, k.end);
    p = k.next;

    const magic = unescapeHex(magicField);
    nulTruncated('magic', magicField, magic, magicStart, diagnostics);
    let mask: Uint8Array | null = null;
    if (maskField.length > 0 && maskField[0] !== 0) {
      mask = unescapeHex(maskField);
      nulTruncated('mask', maskField, mask, maskStart, diagnostics);
      if (mask.length !== magic.length) {
        return fail(
          'EINVAL',
          'mask-length',
          'mask',
          `mask: ${mask.length} bytes, but the magic has ${magic.length}; they must be the same length`,
          maskStart,
        );
      }
    } else if (maskField.length > 0) {
      diagnostics.push(
        warning(
          'mask-nul-truncated',
          'mask',
          'mask: starts with a raw NUL byte, so the kernel ignores the whole mask',
          maskStart + 1,
        ),
      );
    }
    if (magic.length > BINPRM_BUF_SIZE || BINPRM_BUF_SIZE - magic.length < offset) {
      return fail(
        'EINVAL',
        'magic-window',
        'magic',
        `offset ${offset} + magic ${magic.length} bytes is past the ${BINPRM_BUF_SIZE}-byte window the kernel reads (BINPRM_BUF_SIZE)`,
        magicStart,
      );
    }
    entry = { type: 'magic', name, offset, magic, mask, interpreter: '', flags: '' };
  } else {
    const offEnd = strchr(p); // the offset field is skipped unread
    if (offEnd < 0) return missingDelimiter('offset', p);
    p = offEnd + 1;
    const extEnd = strchr(p);
    if (extEnd < 0) return missingDelimiter('extension', p);
    const extBytes = slice(p, extEnd);
    if (extBytes.length === 0) return fail('EINVAL', 'extension-empty', 'extension', 'extension: empty', p);
    const eslash = extBytes.indexOf(0x2f);
    if (eslash >= 0) return fail('EINVAL', 'extension-slash', 'extension', "extension: contains '/'", p + eslash);
    p = extEnd + 1;
    const maskEnd = strchr(p); // the mask field is skipped unread
    if (maskEnd < 0) return missingDelimiter('mask', p);
    p = maskEnd + 1;
    entry = { type: 'extension', name, extension: utf8.decode(extBytes), interpreter: '', flags: '' };
  }

  const interpEnd = strchr(p);
  if (interpEnd < 0) return missingDelimiter('interpreter', p);
  if (interpEnd === p) return fail('EINVAL', 'interpreter-empty', 'interpreter', 'interpreter: empty', p);
  entry.interpreter = utf8.decode(slice(p, interpEnd));
  p = interpEnd + 1;

  const flagsStart = p;
  while (FLAG_BYTES.has(at(p))) p++;
  const letters = utf8.decode(slice(flagsStart, Math.max(flagsStart, Math.min(p, count))));
  if (at(p) === NL) p++;
  if (p !== count) {
    const bad = Math.min(p, count - 1);
    // Past the end: with a newline as delimiter the padding's newline was taken
    // as the optional final one, so such a string needs one more newline.
    if (p > count)
      return fail(
        'EINVAL',
        'missing-field',
        'flags',
        'flags: the string must end with the delimiter after the interpreter, then the flags (with a newline delimiter, one more newline)',
        count - 1,
      );
    const c = raw[bad]!;
    const what = c === NL ? 'a second newline' : c === 0x0d ? "'\\r' (CRLF line end?)" : describeByte(c);
    return fail(
      'EINVAL',
      'flags',
      'flags',
      `flags: ${what}; only P, O, C, F and one final newline may follow the interpreter`,
      bad,
    );
  }
  entry.flags = canonicalFlags(letters);

  if (entry.flags.includes('F') && opts.openInterpreter) {
    const errno = opts.openInterpreter(entry.interpreter);
    if (errno) {
      const why =
        errno === 'ENOENT'
          ? 'does not exist'
          : errno === 'EACCES'
            ? 'is not an executable regular file (or is on a noexec mount)'
            : `cannot be opened (${errno})`;
      return fail(
        errno,
        `interpreter-${errno.toLowerCase()}`,
        'interpreter',
        `interpreter: with F the kernel opens it now, and '${entry.interpreter}' ${why}`,
        interpEnd - 1,
      );
    }
  }
  if (nameBytes.length > NAME_MAX) {
    return fail(
      'ENAMETOOLONG',
      'name-too-long',
      'name',
      `name: ${nameBytes.length} bytes; at most ${NAME_MAX} (NAME_MAX)`,
      1,
    );
  }
  if (RESERVED_NAMES.includes(name) || (opts.exists?.(name) ?? false)) {
    const why = RESERVED_NAMES.includes(name) ? 'is the name of a control file of binfmt_misc' : 'already exists';
    return fail('EEXIST', 'name-exists', 'name', `name: '${name}' ${why}`, 1);
  }
  return { ok: true, entry, diagnostics };
}
