/**
 * parseRegister(): what the kernel does with one write to `register`, as a
 * value. One stage per field, in the order create_entry()
 * (fs/binfmt_misc.c:356-561) parses them on its padded buffer
 * (register-buffer.ts): length, delimiter, name, type, offset, magic, mask
 * (or extension), interpreter, flags. Then the checks bm_register_write()
 * (:820-880) makes after parsing, in the kernel's order:
 *   F opens the interpreter (ENOENT, EACCES, …)
 *   → name longer than NAME_MAX (ENAMETOOLONG) → name exists (EEXIST).
 * Each stage returns its value and where the next field starts, or the
 * RegisterFailure that ends the parse.
 */
import { canonicalFlags, type Entry } from './entry.js';
import { error, warning, type Diagnostic } from './diagnostic.js';
import { FLAG_DELIMITER, ruleState } from './kernel-rules.js';
import { formatKernel, type KernelVersion } from './kernel-version.js';
import { MAX_REGISTER_LENGTH, MIN_REGISTER_LENGTH, NAME_MAX, RESERVED_NAMES } from './limits.js';
import {
  bufferSlice,
  describeByte,
  findDelimiter,
  isFailure,
  missingDelimiter,
  registerBuffer,
  einval,
  type RegisterBuffer,
  type RegisterFailure,
  type Stage,
} from './register-buffer.js';
import { interpreterOpenCode } from './problem-codes.js';
import { parseMagicFields, type MagicFields } from './register-magic.js';

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

export function parseRegister(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const raw = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const diagnostics: Diagnostic[] = [];
  const parsed = parseStages(raw, opts, diagnostics);
  if (!isFailure(parsed)) return { ok: true, entry: parsed, diagnostics };
  const column = parsed.index === undefined ? null : parsed.index + 1;
  diagnostics.push(error(parsed.code, parsed.field, parsed.message, column));
  return { ok: false, errno: parsed.errno, diagnostics };
}

function parseStages(raw: Uint8Array, opts: ParseOptions, diagnostics: Diagnostic[]): Entry | RegisterFailure {
  const length = checkLength(raw.length);
  if (length) return length;
  const delimiter = checkDelimiter(raw[0]!, opts.kernel, diagnostics);
  if (delimiter) return delimiter;
  const buf = registerBuffer(raw);
  const name = parseName(buf, 1);
  if (isFailure(name)) return name;
  const type = parseType(buf, name.next);
  if (isFailure(type)) return type;
  const body =
    type.value === 'M' ? parseMagicFields(buf, type.next, diagnostics) : parseExtensionFields(buf, type.next);
  if (isFailure(body)) return body;
  const interpreter = parseInterpreter(buf, body.next);
  if (isFailure(interpreter)) return interpreter;
  const flags = parseFlags(buf, interpreter.next);
  if (isFailure(flags)) return flags;
  const entry = assemble(name.value, body.value, interpreter.value, flags.value);
  return (
    checkFixBinaryOpen(entry, interpreter.next - 2, opts) ??
    checkNameLength(name.next - 1) ??
    checkNameFree(entry.name, opts) ??
    entry
  );
}

/** The parsed fields as an Entry, its keys in the order Entry declares them (JSON output follows it). */
function assemble(name: string, body: MagicFields | ExtensionFields, interpreter: string, flags: string): Entry {
  return body.type === 'magic'
    ? { type: 'magic', name, offset: body.offset, magic: body.magic, mask: body.mask, interpreter, flags }
    : { type: 'extension', name, extension: body.extension, interpreter, flags };
}

/** count < 11 or > 1920: EINVAL before anything is read. */
function checkLength(count: number): RegisterFailure | null {
  if (count >= MIN_REGISTER_LENGTH && count <= MAX_REGISTER_LENGTH) return null;
  return einval(
    'length',
    'length',
    `the register string is ${count} bytes; the kernel takes ${MIN_REGISTER_LENGTH} to ${MAX_REGISTER_LENGTH}`,
  );
}

/**
 * A 2026 stable patch refuses a flag letter as the delimiter. Before it, such
 * a string whose flags field ends at a final newline was accepted (booted:
 * 5.10.223, 6.1.180, 6.12.100 accept; 6.1.187, 6.12.107, 6.18 refuse).
 */
function checkDelimiter(
  del: number,
  kernel: KernelVersion | undefined,
  diagnostics: Diagnostic[],
): RegisterFailure | null {
  if (!FLAG_BYTES.has(del)) return null;
  const rule = kernel ? ruleState(FLAG_DELIMITER, kernel) : null;
  if (!rule || rule.state === 'new') {
    const which = kernel ? `Linux ${formatKernel(kernel)} refuses` : 'current kernels refuse';
    const message = `delimiter: ${describeByte(del)} is a flag letter; ${which} P, O, C and F as delimiters`;
    return einval('delimiter-flag', 'delimiter', message, 0);
  }
  if (rule.state === 'unknown') {
    const message = `delimiter: ${describeByte(del)} is a flag letter: older stable kernels accept it, newer ones refuse it (EINVAL); ${rule.reason}`;
    diagnostics.push(warning('kernel-rule-unknown', 'delimiter', message, 1));
  }
  return null;
}

/** Not empty, not `.` or `..`, no `/` (its length is checked after parsing, as bm_register_write does). */
function parseName(buf: RegisterBuffer, p: number): Stage<string> {
  const end = findDelimiter(buf, p);
  if (end < 0) return missingDelimiter(buf, 'name', p);
  const bytes = bufferSlice(buf, p, end);
  const name = utf8.decode(bytes);
  if (bytes.length === 0) return einval('name-empty', 'name', 'name: empty', p);
  if (name === '.' || name === '..') return einval('name-dot', 'name', `name: '${name}' is not allowed`, p);
  const slash = bytes.indexOf(0x2f);
  if (slash >= 0) return einval('name-slash', 'name', "name: contains '/'", p + slash);
  return { value: name, next: end + 1 };
}

/** One character, M or E, then the delimiter. */
function parseType(buf: RegisterBuffer, p: number): Stage<'M' | 'E'> {
  const type = buf.at(p);
  if (type !== 0x4d && type !== 0x45)
    return einval('type', 'type', `type: ${describeByte(type)}; must be 'M' (magic) or 'E' (extension)`, p);
  if (buf.at(p + 1) !== buf.del) return einval('type', 'type', 'type: must be exactly one character, M or E', p);
  return { value: type === 0x4d ? 'M' : 'E', next: p + 2 };
}

type ExtensionFields = Pick<Extract<Entry, { type: 'extension' }>, 'type' | 'extension'>;

/** E: the offset field is skipped unread, the extension taken as is (no escapes), the mask skipped unread. */
function parseExtensionFields(buf: RegisterBuffer, p: number): Stage<ExtensionFields> {
  const offEnd = findDelimiter(buf, p);
  if (offEnd < 0) return missingDelimiter(buf, 'offset', p);
  const extension = parseExtension(buf, offEnd + 1);
  if (isFailure(extension)) return extension;
  const maskEnd = findDelimiter(buf, extension.next);
  if (maskEnd < 0) return missingDelimiter(buf, 'mask', extension.next);
  return { value: { type: 'extension', extension: extension.value }, next: maskEnd + 1 };
}

function parseExtension(buf: RegisterBuffer, p: number): Stage<string> {
  const end = findDelimiter(buf, p);
  if (end < 0) return missingDelimiter(buf, 'extension', p);
  const bytes = bufferSlice(buf, p, end);
  if (bytes.length === 0) return einval('extension-empty', 'extension', 'extension: empty', p);
  const slash = bytes.indexOf(0x2f);
  if (slash >= 0) return einval('extension-slash', 'extension', "extension: contains '/'", p + slash);
  return { value: utf8.decode(bytes), next: end + 1 };
}

/** Not empty; anything else goes (no length or absolute-path check). */
function parseInterpreter(buf: RegisterBuffer, p: number): Stage<string> {
  const end = findDelimiter(buf, p);
  if (end < 0) return missingDelimiter(buf, 'interpreter', p);
  if (end === p) return einval('interpreter-empty', 'interpreter', 'interpreter: empty', p);
  return { value: utf8.decode(bufferSlice(buf, p, end)), next: end + 1 };
}

/** A run of P, O, C, F, at most one newline, then the end of the string (check_special_flags). */
function parseFlags(buf: RegisterBuffer, start: number): Stage<string> {
  let p = start;
  while (FLAG_BYTES.has(buf.at(p))) p++;
  const letters = utf8.decode(bufferSlice(buf, start, Math.max(start, Math.min(p, buf.count))));
  if (buf.at(p) === NL) p++;
  if (p === buf.count) return { value: canonicalFlags(letters), next: p };
  // Past the end: with a newline as delimiter the padding's newline was taken
  // as the optional final one, so such a string needs one more newline.
  if (p > buf.count) {
    const message =
      'flags: the string must end with the delimiter after the interpreter, then the flags (with a newline delimiter, one more newline)';
    return einval('missing-field', 'flags', message, buf.count - 1);
  }
  const c = buf.raw[p]!;
  const what = c === NL ? 'a second newline' : c === 0x0d ? "'\\r' (CRLF line end?)" : describeByte(c);
  return einval(
    'flags',
    'flags',
    `flags: ${what}; only P, O, C, F and one final newline may follow the interpreter`,
    p,
  );
}

/** With F, bm_register_write() opens the interpreter now (`lastByte`: its last byte's index). */
function checkFixBinaryOpen(entry: Entry, lastByte: number, opts: ParseOptions): RegisterFailure | null {
  if (!entry.flags.includes('F') || !opts.openInterpreter) return null;
  const errno = opts.openInterpreter(entry.interpreter);
  if (!errno) return null;
  const why =
    errno === 'ENOENT'
      ? 'does not exist'
      : errno === 'EACCES'
        ? 'is not an executable regular file (or is on a noexec mount)'
        : `cannot be opened (${errno})`;
  return {
    errno,
    code: interpreterOpenCode(errno),
    field: 'interpreter',
    message: `interpreter: with F the kernel opens it now, and '${entry.interpreter}' ${why}`,
    index: lastByte,
  };
}

/** The name spans bytes 1 to `nameEnd` (its delimiter). */
function checkNameLength(nameEnd: number): RegisterFailure | null {
  const length = nameEnd - 1;
  if (length <= NAME_MAX) return null;
  const message = `name: ${length} bytes; at most ${NAME_MAX} (NAME_MAX)`;
  return { errno: 'ENAMETOOLONG', code: 'name-too-long', field: 'name', message, index: 1 };
}

function checkNameFree(name: string, opts: ParseOptions): RegisterFailure | null {
  const reserved = RESERVED_NAMES.includes(name);
  if (!reserved && !(opts.exists?.(name) ?? false)) return null;
  const why = reserved ? 'is the name of a control file of binfmt_misc' : 'already exists';
  return { errno: 'EEXIST', code: 'name-exists', field: 'name', message: `name: '${name}' ${why}`, index: 1 };
}
