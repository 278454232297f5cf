/**
 * binfmt check against the real ld.so: programs of this machine (glibc 2.36)
 * copied into the bullseye root (glibc 2.31), each judged by check and by
 * bullseye's own ld.so (`ld.so --list`, which verifies libraries and symbol
 * versions without running the program). The verdicts must agree, and where
 * every library is found, so must the exact set of missing versions.
 * A sample of /usr/bin keeps it to a few seconds (all 812 agreed when tried).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readElf } from '../../src/elf/elf-file.js';
import { asUsernsRoot, cli } from '../helpers/sandbox.js';
import { bullseyeRoot, optDir } from '../helpers/rootfs.js';

/** Every SAMPLE_STEP-th dynamically linked program of /usr/bin, in name order. */
const SAMPLE_STEP = 12;

interface Verdict {
  runs: boolean;
  libraryMissing: boolean;
  versions: string[];
}

describe('binfmt check agrees with ld.so', () => {
  let root = '';
  let opt: ReturnType<typeof optDir>;
  let names: string[] = [];
  beforeAll(() => {
    root = realpathSync(bullseyeRoot());
    opt = optDir(root);
    const dynamic = readdirSync('/usr/bin')
      .sort()
      .filter((f) => {
        try {
          if (!statSync(`/usr/bin/${f}`).isFile()) return false;
          const bytes = readFileSync(`/usr/bin/${f}`);
          return bytes.subarray(0, 4).toString('latin1') === '\x7fELF' && readElf(bytes).interp !== null;
        } catch {
          return false;
        }
      });
    names = dynamic.filter((_, i) => i % SAMPLE_STEP === 0);
    for (const f of names) copyFileSync(`/usr/bin/${f}`, `${opt.host}/${f}`);
  }, 120_000);
  afterAll(() => opt?.cleanup());

  const versionsOf = (text: string): string[] =>
    [
      ...new Set(
        [...text.matchAll(/version `([^']+)' not found \(required by ([^)]+)\)/g)].map((m) => `${m[1]} by ${m[2]}`),
      ),
    ].sort();

  it("on a sample of this machine's programs", () => {
    expect(names.length).toBeGreaterThan(20);
    let compared = 0;
    for (const f of names) {
      const c = JSON.parse(cli(['check', `${opt.host}/${f}`, '--root', root, '--json']).stdout);
      const mine: Verdict = {
        runs: c.runs,
        libraryMissing: c.missing.some((m: { kind: string }) => m.kind !== 'version'),
        versions: versionsOf(c.missing.map((m: { message: string }) => m.message).join('\n')),
      };
      const real = asUsernsRoot(['chroot', root, '/lib64/ld-linux-x86-64.so.2', '--list', `${opt.inRoot}/${f}`]);
      const out = real.stdout + real.stderr;
      expect({ f, runs: mine.runs }).toEqual({ f, runs: real.status === 0 && !/not found/.test(out) });
      // ld.so stops at the first missing library; versions are compared where all were found
      if (!mine.libraryMissing) {
        expect({ f, versions: mine.versions }).toEqual({ f, versions: versionsOf(out) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});
