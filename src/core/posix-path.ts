/**
 * POSIX path arithmetic on strings, the same results as Node's path.posix
 * (normalize, join, dirname), so that the pure core needs no Node module.
 * Nothing here touches a file system: '..' is resolved textually.
 */

/** The segments of `path` with '.', empty segments and resolvable '..' removed. */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg !== '..') out.push(seg);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (allowAboveRoot) out.push('..');
  }
  return out.join('/');
}

/** path.posix.normalize: keeps a leading '/', and a trailing one. */
export function normalizePath(path: string): string {
  if (path === '') return '.';
  const absolute = path.startsWith('/');
  const trailing = path.endsWith('/');
  const body = normalizeSegments(path, !absolute);
  if (body === '') return absolute ? '/' : trailing ? './' : '.';
  return `${absolute ? '/' : ''}${body}${trailing ? '/' : ''}`;
}

/** path.posix.join: the non-empty parts joined by '/', normalized. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalizePath(joined);
}

/** path.posix.dirname: everything before the last name, trailing slashes ignored. */
export function dirnamePath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  let end = -1;
  let inName = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] !== '/') inName = true;
    else if (inName) {
      end = i;
      break;
    }
  }
  if (end === -1) return rooted ? '/' : '.';
  if (rooted && end === 1) return '//';
  return path.slice(0, end);
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/');
}
