/**
 * A vitest reporter that accounts for every skipped test. It writes
 * reports/skips.json ({ accepted, refused }, each test with its reason) and
 * lists the skips at the end of the run. A skip is accepted only when its
 * reason, recorded by needs() (test/helpers/skip-gate.ts), is a documented
 * missing kernel feature; a skip without a recorded reason (a bare .skip,
 * .skipIf or .todo) is refused. With BINFMT_STRICT_SKIPS=1 (set by .ci/run)
 * a refused skip fails the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { KERNEL_FEATURES, type SkipReason } from './skip-gate.js';

export const SKIP_REPORT = join('reports', 'skips.json');

interface SkippedTest {
  test: string;
  file: string;
  reason: string;
  kernelFeature: string | null;
}

export default class SkipReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: { config: { root: string } }): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const accepted: SkippedTest[] = [];
    const refused: SkippedTest[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const result = t.result();
        if (result.state !== 'skipped') continue;
        const why: SkipReason | undefined = t.meta().skipReason;
        const feature = why?.kernelFeature ?? null;
        const entry = {
          test: t.fullName,
          file: relative(this.root, m.moduleId),
          reason:
            why?.reason ??
            result.note ??
            'skipped without a recorded reason (use needs() from test/helpers/skip-gate.ts)',
          kernelFeature: feature,
        };
        (feature !== null && feature in KERNEL_FEATURES ? accepted : refused).push(entry);
      }
    }
    const out = join(this.root, SKIP_REPORT);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ accepted, refused }, null, 2)}\n`);
    if (accepted.length + refused.length === 0) return;

    const lines = [`\nskipped tests (${SKIP_REPORT}):`];
    for (const s of accepted)
      lines.push(`  accepted  ${s.file} > ${s.test}: missing kernel feature ${s.kernelFeature} (${s.reason})`);
    for (const s of refused) lines.push(`  REFUSED   ${s.file} > ${s.test}: ${s.reason}`);
    const strict = process.env.BINFMT_STRICT_SKIPS === '1';
    if (refused.length) {
      lines.push(
        `${refused.length} test(s) skipped for a reason that is not a missing kernel feature` +
          (strict ? ': failing the run (BINFMT_STRICT_SKIPS=1)' : ''),
      );
    }
    console.log(lines.join('\n'));
    if (strict && refused.length) process.exitCode = 1;
  }
}
