/**
 * The kernel's limits for binfmt_misc, each with its source.
 * Line numbers refer to fs/binfmt_misc.c of Linux 6.12; each limit was
 * confirmed against a running 6.18 kernel (test/kernel registers at every edge).
 */

/** Shortest register write: `count < 11` → EINVAL (create_entry, :367). */
export const MIN_REGISTER_LENGTH = 11;

/** Longest register write (MAX_REGISTER_LENGTH, fs/binfmt_misc.c:78). */
export const MAX_REGISTER_LENGTH = 1920;

/** Bytes of the file the kernel reads for matching (BINPRM_BUF_SIZE, include/uapi/linux/binfmts.h:19; 256 since 5.1). */
export const BINPRM_BUF_SIZE = 256;

/** Longest entry name: lookup_one_len → ENAMETOOLONG (NAME_MAX, include/uapi/linux/limits.h). */
export const NAME_MAX = 255;

/** create_entry pads the copied buffer with this many delimiter bytes (:391). */
export const DELIMITER_PADDING = 8;

/** Names that already exist in every instance: registering them gives EEXIST (bm_fill_super, :980). */
export const RESERVED_NAMES: readonly string[] = ['register', 'status'];

/** AT_FLAGS bit 0 set for a P-flag interpreter (AT_FLAGS_PRESERVE_ARGV0, include/uapi/linux/binfmts.h:22-23, v5.12). */
export const AT_FLAGS_PRESERVE_ARGV0 = 1;

/** Longest name the guards consider tidy (advice, not a kernel limit). */
export const TIDY_NAME_MAX = 64;

/**
 * Interpreter rewrites one execve allows (binfmt_misc entries and #! lines
 * alike): exec_binprm() in fs/exec.c loops `for (depth = 0;; depth++)` with
 * `if (depth > 5) return -ELOOP`, so a sixth rewrite fails with ELOOP.
 */
export const MAX_INTERPRETER_REWRITES = 5;
