/**
 * The directories /etc/ld.so.conf (and its includes) names inside a root:
 * what that root's ldconfig would put into its ld.so.cache.
 */
import { posix } from 'node:path';
import { matchComponent, parseLdSoConf } from '../core/ld-so-conf.js';
import type { RootFs } from './root-fs.js';

export const LD_SO_CONF = '/etc/ld.so.conf';
/** ldconfig's include depth limit is not documented; a small bound stops include loops. */
const MAX_INCLUDE_DEPTH = 8;

export function ldSoConfDirs(fs: RootFs, file = LD_SO_CONF, depth = 0, seen = new Set<string>()): string[] {
  if (depth > MAX_INCLUDE_DEPTH || seen.has(file)) return [];
  seen.add(file);
  const got = fs.read(file);
  if (!got) return [];
  const dirs: string[] = [];
  for (const e of parseLdSoConf(new TextDecoder().decode(got.bytes), file)) {
    if (e.kind === 'dir') {
      dirs.push(e.path);
      continue;
    }
    const dir = posix.dirname(e.pattern);
    const base = posix.basename(e.pattern);
    for (const name of fs.list(dir).filter((n) => matchComponent(n, base))) {
      dirs.push(...ldSoConfDirs(fs, posix.join(dir, name), depth + 1, seen));
    }
  }
  return dirs;
}
