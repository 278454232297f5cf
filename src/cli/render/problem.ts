/**
 * The words around a problem (src/core/problem.ts): what the core keeps as
 * data (its column, the errno the kernel refuses with) said in the text.
 */
import type { Problem } from '../../core/problem.js';

/** "flags: 'Q'; … (column 20)", then for a refused configuration line "; the kernel would refuse it (EINVAL), ignoring". */
export function problemText(p: Pick<Problem, 'message' | 'column' | 'errno' | 'severity'>): string {
  const column = p.column != null ? ` (column ${p.column})` : '';
  const refused = p.errno && p.severity === 'error' ? `; the kernel would refuse it (${p.errno}), ignoring` : '';
  return `${p.message}${column}${refused}`;
}

/** "error: name: empty (column 2) [name-empty]", after `where`. */
export function diagnosticLine(p: Problem, where = ''): string {
  return `${where}${p.severity}: ${problemText(p)} [${p.code}]`;
}

/** "a.conf:4: error: …": a problem with its source. */
export function problemLine(p: Problem & { source: string }): string {
  return `${p.source}: ${p.severity}: ${problemText(p)}`;
}
