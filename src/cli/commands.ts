/**
 * The command table. Each entry names its options and how to load its
 * implementation (commands/<name>.ts), which is imported only when that
 * command runs.
 */
import type { Runner } from './output.js';

export interface OptionSpec {
  flags: string;
  description: string;
  default?: string | boolean;
  choices?: string[];
  /** Repeatable: values are collected into an array. */
  collect?: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  args?: string[];
  /** Accepts --mount DIR. */
  mount?: boolean;
  /** Accepts --pid PID: the binfmt_misc of that process's user namespace instead (kernel/pid-instance.ts). */
  pid?: boolean;
  /** Changes something: gets --dry-run. */
  changes?: boolean;
  options?: OptionSpec[];
  passThrough?: boolean;
  /** More text for --help, after the options (loaded only when help is asked for). */
  helpAfter?: () => Promise<string>;
  subcommands?: CommandSpec[];
  load?: () => Promise<Runner>;
}

const force: OptionSpec = { flags: '--force', description: 'do it even though a safety guard refuses' };

const configRoot: OptionSpec = {
  flags: '--config-root <dir>',
  description: 'read binfmt.d directories below DIR instead of / (images, tests)',
  default: '/',
};
const stateDir: OptionSpec = {
  flags: '--state-dir <dir>',
  description: 'where the ownership state lives',
  default: '/run/binfmt',
};
const prune: OptionSpec = {
  flags: '--prune',
  description: 'also remove entries binfmt registered that are no longer configured',
};
const atomic: OptionSpec = {
  flags: '--atomic',
  description:
    'all or nothing: if the kernel refuses one entry, undo everything ' +
    '(default: skip it and apply the others, as systemd-binfmt)',
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'list',
    description: "list the entries of a binfmt_misc instance in the kernel's match order (newest first)",
    mount: true,
    pid: true,
    load: async () => (await import('./commands/list.js')).run,
  },
  {
    name: 'show',
    description: 'show one entry, field by field, with its canonical register string',
    args: ['<name>'],
    mount: true,
    pid: true,
    load: async () => (await import('./commands/show.js')).run,
  },
  {
    name: 'status',
    description: 'show, or turn on or off, all of binfmt_misc in this instance',
    args: ['[state]'],
    mount: true,
    pid: true,
    changes: true,
    load: async () => (await import('./commands/status.js')).run,
  },
  {
    name: 'register',
    description: 'register an entry: a named definition, a raw --line, or options',
    args: ['[name]'],
    mount: true,
    pid: true,
    changes: true,
    options: [
      {
        flags: '--line <string>',
        description: 'a raw register string (:name:type:offset:magic:mask:interpreter:flags)',
      },
      { flags: '--name <name>', description: 'entry name' },
      { flags: '--magic <bytes>', description: 'magic bytes, \\xHH escapes allowed' },
      { flags: '--mask <bytes>', description: 'mask bytes, \\xHH escapes allowed' },
      { flags: '--offset <n>', description: 'offset of the magic in the file' },
      { flags: '--extension <ext>', description: 'match by file name extension instead of magic' },
      { flags: '--interpreter <path>', description: 'the program that runs matched files' },
      {
        flags: '--flags <POCF>',
        description: 'flags: P preserve argv[0], O open binary, C credentials, F fix binary',
        default: '',
      },
      {
        flags: '--config-dir <dir>',
        description: 'look NAME up in this binfmt.d directory instead (repeatable)',
        collect: true,
      },
      {
        flags: '--loader-dir <dir>',
        description:
          'for definitions run by the chainloader (@loader): where to install the stamped copy (default /usr/local/lib/binfmt/loaders)',
      },
      { flags: '--strict', description: 'refuse an entry that draws a warning (e.g. a missing interpreter)' },
      stateDir,
      force,
    ],
    load: async () => (await import('./commands/register.js')).run,
    helpAfter: async () => (await import('./commands/register.js')).helpAfter(),
  },
  {
    name: 'remove',
    description: 'remove entries (writes -1 to each), or with --owned every entry binfmt registered',
    args: ['[names...]'],
    mount: true,
    pid: true,
    changes: true,
    options: [
      {
        flags: '--owned',
        description: 'remove every entry binfmt registered in this instance (its ownership record), nothing else',
      },
      stateDir,
    ],
    load: async () => (await import('./commands/entry-state.js')).remove,
  },
  {
    name: 'enable',
    description: 'enable entries (writes 1 to each); their match position is kept',
    args: ['<names...>'],
    mount: true,
    pid: true,
    changes: true,
    load: async () => (await import('./commands/entry-state.js')).enable,
  },
  {
    name: 'disable',
    description: 'disable entries (writes 0 to each); their match position is kept',
    args: ['<names...>'],
    mount: true,
    pid: true,
    changes: true,
    load: async () => (await import('./commands/entry-state.js')).disable,
  },
  {
    name: 'validate',
    description: "check register strings offline: the kernel's verdict and errno, and the safety guards",
    args: ['[lines...]'],
    options: [
      { flags: '--stdin', description: 'read register strings from standard input, one per line (bytes, as given)' },
      {
        flags: '-z, --null',
        description: 'with --stdin: strings are separated by NUL bytes, so a final newline is part of the string',
      },
      {
        flags: '--kernel <version>',
        description:
          "judge by this kernel's rules (upstream version such as 6.1.176, or a Debian ABI name); default: the running kernel",
      },
      { flags: '--file <file>', description: 'read the rules of a binfmt.d file (repeatable)', collect: true },
      {
        flags: '--mount <dir>',
        description: 'also check names against the entries of this binfmt_misc instance (EEXIST)',
      },
    ],
    load: async () => (await import('./commands/validate.js')).run,
  },
  {
    name: 'which',
    description: 'the entry the kernel would run for FILE, and the argv its interpreter receives',
    args: ['<file>', '[args...]'],
    mount: true,
    options: [
      { flags: '--exec-path <path>', description: 'the path string given to execve (default: FILE as given)' },
      { flags: '--argv0 <name>', description: 'argv[0] given to execve (default: the exec path)' },
    ],
    load: async () => (await import('./commands/which.js')).run,
  },
  {
    name: 'plan',
    description: 'show what apply would do: add, remove, change (field by field), unchanged',
    mount: true,
    pid: true,
    options: [configRoot, stateDir, prune, force],
    load: async () => (await import('./commands/plan.js')).run,
  },
  {
    name: 'apply',
    description:
      'make the kernel match binfmt.d: only entries binfmt owns, changes make-before-break; ' +
      'entries the kernel refuses are reported and skipped',
    mount: true,
    pid: true,
    changes: true,
    options: [configRoot, stateDir, prune, force, atomic],
    load: async () => (await import('./commands/apply.js')).run,
  },
  {
    name: 'reorder',
    description: 'make NAME match before OTHER by registering it again, make-before-break',
    args: ['<name>'],
    mount: true,
    changes: true,
    options: [
      { flags: '--before <other>', description: 'the entry NAME must come before (required)' },
      stateDir,
      force,
    ],
    load: async () => (await import('./commands/reorder.js')).run,
  },
  {
    name: 'persist',
    description: 'write the live entry NAME to /etc/binfmt.d/NAME.conf (atomically), so it is registered at boot',
    args: ['<name>'],
    mount: true,
    changes: true,
    options: [configRoot],
    load: async () => (await import('./commands/persist.js')).persist,
  },
  {
    name: 'unpersist',
    description: 'remove /etc/binfmt.d/NAME.conf written by persist (the live entry stays)',
    args: ['<name>'],
    changes: true,
    options: [configRoot],
    load: async () => (await import('./commands/persist.js')).unpersist,
  },
  {
    name: 'import',
    description:
      'read entries from update-binfmts format files, binfmt.d files or the live kernel; write binfmt.d files (--out) or register them',
    args: ['[path]'],
    mount: true,
    changes: true,
    options: [
      {
        flags: '--from <source>',
        description: 'where the entries come from',
        choices: ['binfmt-support', 'systemd', 'proc'],
        default: 'binfmt-support',
      },
      { flags: '--out <dir>', description: 'write one binfmt.d file per entry into DIR instead of registering' },
      stateDir,
      force,
      atomic,
    ],
    load: async () => (await import('./commands/import.js')).run,
  },
  {
    name: 'export',
    description: 'write the live entries as binfmt.d lines, update-binfmts format files or JSON',
    mount: true,
    changes: true,
    options: [
      {
        flags: '--format <format>',
        description: 'output format',
        choices: ['systemd', 'binfmt-support', 'json'],
        default: 'systemd',
      },
      { flags: '--out <dir>', description: 'write one file per entry into DIR instead of standard output' },
    ],
    load: async () => (await import('./commands/export.js')).run,
  },
  {
    name: 'emulate',
    description:
      'register qemu-user emulators for other CPU architectures (never the ones the CPU runs itself); --remove, --status',
    args: ['[arches...]'],
    mount: true,
    pid: true,
    changes: true,
    options: [
      {
        flags: '--podman',
        description: "register in the caller's rootless podman user namespace (through podman's pause process)",
      },
      {
        flags: '--emulator-dir <dir>',
        description: 'look for qemu-ARCH-static and qemu-ARCH here instead of /usr/bin (repeatable)',
        collect: true,
      },
      {
        flags: '--credentials',
        description:
          'flag C: setuid foreign programs work, but then any user can run qemu with raised credentials (see binfmt-emulate(1))',
      },
      {
        flags: '--persist',
        description: 'also write /etc/binfmt.d/qemu-ARCH.conf so the machine registers it at boot',
      },
      { flags: '--remove', description: "remove the emulator entries binfmt registered (never another tool's)" },
      {
        flags: '--status',
        description: 'per architecture: native, emulated (proven by running a probe) or unavailable',
      },
      configRoot,
      stateDir,
      force,
    ],
    load: async () => (await import('./commands/emulate.js')).run,
  },
  {
    name: 'doctor',
    description: "check the mount, the kernel's features and every entry; say what is broken and how to fix it",
    mount: true,
    pid: true,
    options: [
      configRoot,
      stateDir,
      { flags: '--no-probe', description: 'skip probing kernel features in a throw-away sandbox' },
    ],
    load: async () => (await import('./commands/doctor.js')).run,
  },
  {
    name: 'sandbox',
    description: 'run CMD in a new user+mount namespace with a private binfmt_misc at the usual path',
    args: ['<cmd...>'],
    passThrough: true,
    load: async () => (await import('./commands/sandbox.js')).run,
  },
  {
    name: 'exec',
    description:
      'run PROGRAM through the chainloader with a chosen ld.so, optionally chrooted into a jail that holds neither',
    args: ['<program...>'],
    changes: true,
    passThrough: true,
    options: [
      {
        flags: '--ld <path>',
        description: "the dynamic linker to use (default: the program's PT_INTERP, outside any --root)",
      },
      { flags: '--library-path <dirs>', description: 'colon-separated library directories, passed to ld.so' },
      { flags: '--argv0 <name>', description: 'argv[0] the program sees' },
      { flags: '--root <dir>', description: 'chroot into DIR first; ld.so and the loader are opened outside it' },
      {
        flags: '--loader <path>',
        description: 'the chainloader to use (default: the built build/Release/binfmt-loader)',
      },
    ],
    load: async () => (await import('./commands/exec.js')).run,
  },
  {
    name: 'inspect',
    description: 'show what an ELF file needs: class, machine, interpreter, libraries, symbol versions, marker',
    args: ['<file>'],
    load: async () => (await import('./commands/inspect.js')).run,
  },
  {
    name: 'check',
    description: 'tell whether FILE would run against the runtime inside DIR, and what it misses if not',
    args: ['<file>'],
    options: [
      { flags: '--root <dir>', description: 'the root directory whose runtime to check against', default: '/' },
      {
        flags: '--ld <path>',
        description:
          'run with this ld.so (a path inside DIR) instead of PT_INTERP, as the loader or `ld.so PROGRAM` does',
      },
      {
        flags: '--library-path <dirs>',
        description: 'ld.so --library-path (colon-separated, inside DIR): searched after RPATH, before RUNPATH',
      },
    ],
    load: async () => (await import('./commands/check.js')).run,
  },
  {
    name: 'mark',
    description:
      'stamp a 4-byte marker into e_flags of an x86-64 ELF file, for the host-runtime (or slulb-magic) entry',
    args: ['<file>'],
    changes: true,
    options: [
      {
        flags: '--tag <tag>',
        description: 'the 4-character marker (default HRT1, the host-runtime marker; SLUL for slulb-magic)',
      },
    ],
    load: async () => (await import('./commands/mark.js')).run,
  },
  {
    name: 'oci-hook',
    description: "an OCI hook for podman that registers host-runtime in each matching container's own binfmt_misc",
    subcommands: [
      {
        name: 'install',
        description: 'install the host-runtime loader and write the hooks.d files',
        changes: true,
        options: [
          { flags: '--hooks-dir <dir>', description: 'the hooks.d directory to write to (required)' },
          {
            flags: '--loader-dir <dir>',
            description: 'where the stamped loader goes (default /usr/local/lib/binfmt/loaders)',
          },
          {
            flags: '--emulator-dir <dir>',
            description: 'where the emulation hook finds qemu-ARCH-static (repeatable; default /usr/bin)',
            collect: true,
          },
          { flags: '--log <file>', description: 'the hook appends one line per decision here' },
        ],
        load: async () => (await import('./commands/oci-hook.js')).runInstall,
      },
      {
        name: 'uninstall',
        description: "remove binfmt's hooks.d files",
        changes: true,
        options: [{ flags: '--hooks-dir <dir>', description: 'the hooks.d directory (required)' }],
        load: async () => (await import('./commands/oci-hook.js')).runUninstall,
      },
      {
        name: 'run',
        description: 'the hook itself: read the container state on stdin, register host-runtime in its binfmt_misc',
        changes: true,
        options: [
          {
            flags: '--loader-dir <dir>',
            description: 'where the loader was installed (default /usr/local/lib/binfmt/loaders)',
          },
          { flags: '--log <file>', description: 'append the decision line here' },
        ],
        load: async () => (await import('./commands/oci-hook.js')).runRun,
      },
      {
        name: 'emulate',
        description:
          'the emulation hook itself: read the container state on stdin, register qemu for a foreign entry point in its binfmt_misc',
        changes: true,
        options: [
          {
            flags: '--emulator-dir <dir>',
            description: 'where qemu-ARCH-static is (repeatable; default /usr/bin)',
            collect: true,
          },
          { flags: '--log <file>', description: 'append the decision line here' },
        ],
        load: async () => (await import('./commands/oci-hook.js')).runEmulate,
      },
    ],
  },
  {
    name: 'rootfs',
    description: "make a minimal Debian root filesystem in DIR with debootstrap (as root; apt's own mirror)",
    args: ['<suite>', '<dir>'],
    changes: true,
    options: [
      { flags: '--mirror <uri>', description: 'the Debian mirror (default: the one /etc/apt/sources.list* uses)' },
      {
        flags: '--cache-dir <dir>',
        description: 'keep downloaded packages here (default ~/.cache/binfmt/debootstrap)',
      },
    ],
    load: async () => (await import('./commands/rootfs.js')).run,
  },
  {
    name: 'loader',
    description: 'the chainloader: where it is, configured copies of it',
    subcommands: [
      {
        name: 'path',
        description: 'print the absolute path of the built loader',
        load: async () => (await import('./commands/loader.js')).runPath,
      },
      {
        name: 'stamp',
        description: 'write a configured copy of the loader (one copy per registration)',
        changes: true,
        options: [
          { flags: '--out <file>', description: 'where to write the copy (required)' },
          { flags: '--ld <path>', description: 'run ld.so from this absolute path' },
          { flags: '--embed-ld <path>', description: 'carry this ld.so inside the copy' },
          { flags: '--ld-from-program', description: "use each program's own PT_INTERP" },
          {
            flags: '--root <dir>',
            description: 'with --ld-from-program: resolve PT_INTERP inside DIR unless DIR is /',
          },
          { flags: '--library-path <dirs>', description: 'pass --library-path DIRS to ld.so' },
          { flags: '--inhibit-cache', description: 'pass --inhibit-cache to ld.so' },
          { flags: '--no-argv0', description: 'never pass --argv0 (for an ld.so older than glibc 2.33)' },
          {
            flags: '--entry-flags <flags>',
            description: 'flags (POCF) of the entry the copy serves: with P, argv[0] is kept before Linux 5.12 too',
          },
        ],
        load: async () => (await import('./commands/loader.js')).runStamp,
      },
      {
        name: 'show',
        description: "print a loader copy's baked configuration",
        args: ['<file>'],
        load: async () => (await import('./commands/loader.js')).runShow,
      },
    ],
  },
];
