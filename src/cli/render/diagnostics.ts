import type { Diagnostic } from '../../core/diagnostic.js';

/** "error: name: empty (column 2) [name-empty]" */
export function diagnosticLine(d: Diagnostic, where = ''): string {
  const col = d.column !== null ? ` (column ${d.column})` : '';
  return `${where}${d.severity}: ${d.message}${col} [${d.code}]`;
}
