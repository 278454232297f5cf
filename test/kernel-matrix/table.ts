/** The matrix as a plain table: one row per kernel. */
import type { KernelRow } from './run.js';

export function printTable(rows: KernelRow[]): void {
  const head = ['kernel', 'upstream', 'boot s', 'strings agreed', 'loader passed', 'cli passed', 'own ns', 'notes'];
  const body = rows.map((r) => [
    r.pkg.replace(/^linux-image-/, ''),
    r.upstream,
    r.seconds.toFixed(1),
    r.strings ? `${r.strings.agreed}/${r.strings.total}` : '-',
    r.loader ? `${r.loader.passed}/${r.loader.total}` : '-',
    r.cli ? `${r.cli.passed}/${r.cli.total}` : '-',
    r.usernsInstances === undefined ? '-' : r.usernsInstances ? 'yes' : 'no',
    r.error ??
      [
        r.loader?.documented.length ? `${r.loader.documented.length} documented differences` : '',
        r.retried ? 'booted twice' : '',
      ]
        .filter(Boolean)
        .join('; '),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  for (const b of body) console.log(line(b));
}
