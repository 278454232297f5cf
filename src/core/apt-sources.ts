/**
 * The Debian mirror this machine's apt already uses, read from its sources
 * (one-line sources.list format and deb822 .sources files): the first "deb"
 * URI whose suite is the machine's own release (not -security or -updates).
 * binfmt names no mirror itself; it reuses the one the administrator chose.
 */
export interface AptSourceFile {
  path: string;
  text: string;
}

/** One-line format: `deb [opts] URI SUITE COMPONENTS...`. */
function fromOneLine(text: string, codename: string): string | null {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const words = line.split(/\s+/);
    if (words[0] !== 'deb') continue;
    let i = 1;
    if (words[i]?.startsWith('[')) {
      while (i < words.length && !words[i]!.endsWith(']')) i++;
      i++;
    }
    if (words[i] && words[i + 1] === codename) return words[i]!;
  }
  return null;
}

/** deb822 format: paragraphs with Types:, URIs:, Suites:. */
function fromDeb822(text: string, codename: string): string | null {
  for (const para of text.split(/\n\s*\n/)) {
    const field = (name: string) =>
      para
        .split('\n')
        .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
        ?.slice(name.length + 1)
        .trim()
        .split(/\s+/) ?? [];
    if (!field('Types').includes('deb')) continue;
    if (!field('Suites').includes(codename)) continue;
    const uri = field('URIs')[0];
    if (uri) return uri;
  }
  return null;
}

/** The mirror URI, or null when no source names the machine's release. */
export function mirrorFromAptSources(files: AptSourceFile[], codename: string): string | null {
  for (const f of files) {
    const uri = f.path.endsWith('.sources') ? fromDeb822(f.text, codename) : fromOneLine(f.text, codename);
    if (uri) return uri;
  }
  return null;
}

/** VERSION_CODENAME from /etc/os-release's text. */
export function codenameOf(osRelease: string): string | null {
  const m = /^VERSION_CODENAME=["']?([^"'\n]*)["']?$/m.exec(osRelease);
  return m?.[1] || null;
}
