/**
 * The global setup of the mutation run (vitest.mutate.config.ts): the tests'
 * TMPDIR is a directory of the run's own (each file then gets its own below
 * it, own-tmpdir.ts), removed whole when the run ends. Stryker stops a run at
 * the first failing test and replaces a worker that timed out, so a test's
 * own clean-up may never run; what it left then goes with this directory,
 * not into the shared /tmp. (The full suite's setup, suite-setup.ts, also
 * stops podman pause processes, which a mutation run never starts.)
 */
import type { TestProject } from 'vitest/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'binfmt-mutate-'));
  project.provide('suiteTmpDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
