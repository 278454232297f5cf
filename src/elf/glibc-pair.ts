/**
 * Whether a glibc ld.so and a glibc libc.so.6 belong together. They are one
 * build split in two files: libc.so.6 calls into ld.so through symbols of the
 * private version GLIBC_PRIVATE, whose set changes from release to release
 * (glibc 2.41's libc needs __tunable_is_initialized, which 2.36's ld.so lacks).
 * ld.so checks the public versions (GLIBC_2.35 ...) but a mismatched pair can
 * still pass that and die in the middle of start-up with "symbol lookup error:
 * ... version GLIBC_PRIVATE". Each file carries its release in a banner
 * ("... stable release version 2.36"), except ld.so before glibc 2.34, which
 * prints its version from code and is installed as ld-2.31.so, so its real
 * file name says it. Two different releases never pair.
 */

/** "release version 2.36" in ld.so's and libc.so.6's banners (both print it for --version). */
const RELEASE = /release version (\d+\.\d+(?:\.\d+)?)/;
/** The packager's build id in the same banner: "(Debian GLIBC 2.36-9+deb12u4)". */
const BUILD = /\(([^()]*GLIBC [^()]+)\)/;

export interface GlibcRelease {
  release: string;
  build: string | null;
}

/** ld.so before 2.34 as installed: ld-2.31.so (the soname ld-linux-x86-64.so.2 is a link to it). */
const OLD_LDSO_NAME = /(?:^|\/)ld-(\d+\.\d+(?:\.\d+)?)\.so$/;

/**
 * The glibc release a file states, or null for anything else (musl, other
 * libraries). `realName` is the file's name after symbolic links.
 */
export function glibcReleaseOf(bytes: Uint8Array, realName = ''): GlibcRelease | null {
  const old = OLD_LDSO_NAME.exec(realName);
  if (old) return { release: old[1]!, build: null };
  // latin1 keeps one character per byte; the banners are ASCII.
  const text = new TextDecoder('latin1').decode(bytes);
  const i = text.search(/(stable|development) release version \d/);
  if (i < 0) return null;
  const banner = text.slice(Math.max(0, text.lastIndexOf('\0', i) + 1), text.indexOf('\0', i) >>> 0);
  const release = RELEASE.exec(banner)?.[1];
  if (!release) return null;
  return { release, build: BUILD.exec(banner)?.[1] ?? null };
}

export interface PairFile {
  /** How to name the file in the message. */
  name: string;
  /** Its name after symbolic links (see glibcReleaseOf). */
  realName: string;
  bytes: Uint8Array;
}

/** null when they pair (or either is not glibc); else why not, naming both files and releases. */
export function glibcMismatch(ld: PairFile, libc: PairFile): string | null {
  const a = glibcReleaseOf(ld.bytes, ld.realName);
  const b = glibcReleaseOf(libc.bytes, libc.realName);
  if (!a || !b || a.release === b.release) return null;
  return (
    `ld.so ${ld.name} is glibc ${a.release} but libc.so.6 ${libc.name} is glibc ${b.release}: ` +
    "glibc's ld.so and libc.so.6 share private interfaces (GLIBC_PRIVATE) and work only as a pair"
  );
}
