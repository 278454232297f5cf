/**
 * The command line that runs a program through binfmt-loader in command mode
 * (native/loader/main.c: `binfmt-loader [--ld PATH | --ld-fd N]
 * [--library-path DIRS] [--argv0 NAME] [--inhibit-cache] -- PROGRAM [ARGS...]`).
 * Pure: what to exec, as data, so --dry-run can show it.
 */
export interface LoaderCommand {
  /** An inherited fd holding ld.so (opened outside any chroot). */
  ldFd: number;
  libraryPath: string | null;
  argv0: string | null;
  program: string;
  args: string[];
}

/** argv[0] the loader runs under (what ps shows until ld.so takes over). */
export const LOADER_ARGV0 = 'binfmt-loader';

export function loaderArgv(c: LoaderCommand): string[] {
  return [
    LOADER_ARGV0,
    '--ld-fd',
    String(c.ldFd),
    ...(c.libraryPath !== null ? ['--library-path', c.libraryPath] : []),
    ...(c.argv0 !== null ? ['--argv0', c.argv0] : []),
    '--',
    c.program,
    ...c.args,
  ];
}
