/**
 * docs/use-host-runtime.md section 1 as typed: its `sh` block makes the test image
 * from the root-owned bullseye tree, the `sudo` lines as root and the rest
 * as an ordinary user (the test user), who then runs the image it imported.
 * (The tree is one only root may read: packing it as the user fails.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import { asTestUser, PODMAN, podmanSupport, TEST_USER, userDir } from '../helpers/podman.js';
import { needs } from '../helpers/skip-gate.js';

const page = readFileSync(join(ROOT, 'docs', 'use-host-runtime.md'), 'utf8');
const section = page.slice(page.indexOf('## 1.'), page.indexOf('## 2.'));
const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split('\n');
/** Not the image the other tests share: this one is removed afterwards. */
const IMAGE = 'localhost/binfmt-docs-section1:test';
const dirs: string[] = [];
afterAll(() => {
  asTestUser(`${PODMAN} rmi -f ${IMAGE} >/dev/null 2>&1`);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('use-host-runtime section 1 as typed', needs(podmanSupport()), () => {
  it('packs the root-owned tree as root, adds passwd and group, and imports it as the user', () => {
    const dir = userDir('binfmt-docs-s1-');
    dirs.push(dir);
    symlinkSync(bullseyeRoot(), join(dir, 'bullseye'));
    for (const typed of block) {
      const line = typed.replace('localhost/binfmt-bullseye:test', IMAGE);
      const r = line.startsWith('sudo ')
        ? spawnSync('bash', ['-c', line.slice('sudo '.length)], {
            cwd: dir,
            encoding: 'utf8',
            env: { ...process.env, USER: TEST_USER },
          })
        : asTestUser(`cd ${dir} && podman() { command ${PODMAN} "$@"; } && ${line}`, { timeoutMs: 600_000 });
      // podman import reports its progress on standard error.
      if (!line.startsWith('podman ')) expect(r.stderr, line).toBe('');
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
    const run = asTestUser(`${PODMAN} run --rm --network none ${IMAGE} /bin/cat /etc/passwd /etc/group`);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('nobody:x:65534:65534:');
    expect(run.stdout).toContain('sudo:x:27:');
  });
});
