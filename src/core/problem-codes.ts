/**
 * Every problem code binfmt reports, each with its meaning in one line.
 * docs/binfmt-diagnostics.7.md explains each one and what to do about it
 * (test/core/problem-codes.test.ts checks that the page names every code).
 * A new code goes in the group of whoever reports it; ProblemCode is the
 * union of all keys, so tsc refuses a code that is not here.
 */

/** The kernel refuses the register string (parseRegister: create_entry, bm_register_write). */
export const KERNEL_REFUSAL_CODES = {
  length: 'the string is shorter than 11 or longer than 1920 bytes',
  'delimiter-flag': 'P, O, C or F as the delimiter, which kernels with the 2026 stable patch refuse',
  'missing-field': 'too few fields: no delimiter after a field, or no final delimiter',
  'name-nul': 'a NUL byte ends the string inside the name',
  'offset-nul': 'a NUL byte ends the string inside the offset',
  'magic-nul': 'a NUL byte ends the string inside the magic',
  'mask-nul': 'a NUL byte ends the string inside the mask',
  'extension-nul': 'a NUL byte ends the string inside the extension',
  'interpreter-nul': 'a NUL byte ends the string inside the interpreter',
  'name-empty': 'the name is empty',
  'name-dot': 'the name is . or ..',
  'name-slash': 'the name contains /',
  type: 'the type is not exactly M or E',
  offset: 'the offset is not a decimal number, or is negative',
  escape: '\\x in the magic or mask is not followed by two hex digits',
  'magic-empty': 'the magic is empty (or starts with a raw NUL)',
  'mask-length': 'the decoded mask is not as long as the decoded magic',
  'magic-window': 'offset + magic length is past the 256 bytes the kernel reads',
  'extension-empty': 'the extension is empty',
  'extension-slash': 'the extension contains /',
  'interpreter-empty': 'the interpreter is empty',
  flags: 'something other than P, O, C, F and one final newline follows the interpreter',
  'interpreter-enoent': 'with F the kernel opens the interpreter now, and it does not exist',
  'interpreter-eacces': 'with F the kernel opens the interpreter now, and it is not an executable file',
  'interpreter-enotdir': 'with F the kernel opens the interpreter now, and its path goes on after a file',
  'interpreter-eloop': 'with F the kernel opens the interpreter now, and its path loops through symlinks',
  'interpreter-enametoolong': 'with F the kernel opens the interpreter now, and its path is too long',
  'interpreter-unopenable': 'with F the kernel opens the interpreter now, and cannot for another reason',
  'name-too-long': 'the name is longer than 255 bytes',
  'name-exists': 'the name exists, or is register or status',
} as const;

/** The kernel accepts the string, but it is probably not what was meant (parseRegister). */
export const REGISTER_WARNING_CODES = {
  'kernel-rule-unknown':
    'a rule that differs between kernels decides this string, and its state for the kernel is unknown',
  'magic-nul-truncated': 'a raw NUL byte truncates the magic',
  'mask-nul-truncated': 'a raw NUL byte truncates the mask, or makes the kernel ignore it',
} as const;

/** The safety guards about an entry the kernel would accept (lintEntry): errors refuse without --force. */
export const GUARD_CODES = {
  'self-match': 'the interpreter matches its own entry: every exec fails with ELOOP',
  'open-binary-script': 'O or C with a #! interpreter: every exec fails with ENOEXEC',
  'captures-native': "the entry matches this machine's own programs",
  credentials: "C: the interpreter runs with the matched file's credentials",
  'credentials-extension': 'C on an extension entry: renaming a setuid program grants its privileges',
  'fix-binary-dynamic': 'F pins a dynamically linked interpreter, which fails where its ld.so is missing',
  'interpreter-missing': 'the interpreter cannot be run now, and every matching exec fails',
  'interpreter-relative': 'the interpreter path is relative, so it depends on a cwd',
  'setuid-interpreter': "without C every matched file runs with the setuid interpreter's privileges",
  'extension-leading-dot': "the extension is written with its leading '.', so it can never match",
  'extension-dot': "the extension contains '.', so it can never match",
  'magic-outside-mask': 'the magic has bits the mask ignores',
  'name-spaces': 'the name contains white space or control characters',
  'name-untidy': 'the name is long or has characters outside [A-Za-z0-9._+-]',
} as const;

/** Reading configuration: binfmt.d(5) files and binfmt-support formats (import). */
export const CONFIG_CODES = {
  'config-unreadable': 'a configuration directory or file cannot be read',
  'config-redefined': 'a name is defined again later; the later definition wins',
  'config-conflict': 'a configured entry is registered by someone else with another definition',
  'config-refused': 'apply will skip a configured entry, because the kernel will refuse it',
  'binfmts-unknown-key': 'a binfmt-support format file has a key update-binfmts does not know',
  'binfmts-no-interpreter': 'a binfmt-support format file has no interpreter',
  'binfmts-magic-or-extension': 'a binfmt-support format file needs exactly one of magic and extension',
  'binfmts-yes-no': 'a binfmt-support flag key is neither yes nor no',
  'binfmtd-unwritable': 'an entry has a newline, carriage return or NUL and cannot be a binfmt.d line',
} as const;

/** binfmt doctor's findings (doctor-findings.ts, kernel-findings.ts, host-wide.ts). */
export const DOCTOR_CODES = {
  'no-mount-point': 'the binfmt_misc mount point does not exist',
  'not-mounted': 'binfmt_misc is not mounted',
  'automount-untriggered': 'the binfmt_misc automount has not been triggered yet',
  'wrong-fs': 'something other than binfmt_misc is mounted there',
  'private-instance': "this process's user namespace can have its own binfmt_misc instance",
  'host-instance': "the instance is the machine's own",
  'status-disabled': 'binfmt_misc is switched off in this instance',
  'features-unprobed': 'kernel features could not be probed',
  'userns-instances': 'per-user-namespace instances work',
  'kernel-flags': 'which flag letters the kernel accepts',
  'no-fix-binary': 'the kernel refuses F',
  'at-flags': 'a P interpreter is told through AT_FLAGS',
  'no-at-flags': 'a P interpreter is not told through AT_FLAGS (probed)',
  'kernel-version-unknown': "the running kernel's version cannot be read",
  'no-userns-instances': 'by its version, the kernel has no per-user-namespace instances',
  'userns-instances-unknown': 'whether this kernel has per-user-namespace instances is unknown',
  'no-at-flags-p': 'the kernel does not tell a P interpreter through AT_FLAGS (by its version)',
  'at-flags-p-unknown': 'whether this kernel tells a P interpreter through AT_FLAGS is unknown',
  'flag-delimiter': 'the kernel accepts a flag letter as the delimiter',
  'leftover-temporary': 'a temporary entry left by an interrupted change',
  'stale-pin': 'F pinned an interpreter that has since been replaced',
  'pinned-deleted': 'F keeps running an interpreter that has been deleted',
  shadowed: 'a newer entry matches every file this one matches',
  unowned: 'an entry nobody binfmt knows registered',
  'drift-missing': 'configured but not registered',
  'drift-changed': 'registered differently from its configuration',
  'drift-order': 'registered in another match order than configured',
  'drift-foreign': 'configured, but registered differently by someone else',
  'drift-stale': 'registered by binfmt, no longer configured',
  'registered-unconfigured': 'registered with binfmt register or binfmt emulate, and not configured',
  'emulator-no-fix-binary': 'an emulator entry without F: it fails in containers and chroots',
  'emulator-overlap': "two enabled entries run the same architecture's programs",
  'host-runtime-host-wide': "a host-runtime entry in the machine's own instance",
} as const;

export const PROBLEM_CODES = {
  ...KERNEL_REFUSAL_CODES,
  ...REGISTER_WARNING_CODES,
  ...GUARD_CODES,
  ...CONFIG_CODES,
  ...DOCTOR_CODES,
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

const OPEN_ERRNOS = ['ENOENT', 'EACCES', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG'] as const;

/** The code for an F interpreter that open_exec() refuses with `errno`. */
export function interpreterOpenCode(errno: string): ProblemCode {
  const known = OPEN_ERRNOS.find((e) => e === errno);
  return known ? `interpreter-${known.toLowerCase() as Lowercase<typeof known>}` : 'interpreter-unopenable';
}
