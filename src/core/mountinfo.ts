/**
 * /proc/self/mountinfo lines (proc(5)), as values:
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 * Fields 5 (mount point) and, after the " - " separator, the filesystem type
 * and source. Octal escapes (\040 for a space) are decoded.
 */
export interface MountInfo {
  mountPoint: string;
  fsType: string;
  source: string;
  options: string;
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    if (left.length < 6 || right.length < 2) continue;
    out.push({ mountPoint: unescape(left[4]!), options: left[5]!, fsType: right[0]!, source: unescape(right[1]!) });
  }
  return out;
}

/** The mount visible at `path`: the last one listed there (mounted on top). */
export function mountAt(mounts: MountInfo[], path: string): MountInfo | null {
  const at = mounts.filter((m) => m.mountPoint === path);
  return at.at(-1) ?? null;
}
