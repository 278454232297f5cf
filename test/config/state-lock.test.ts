/**
 * The state lock cannot be taken twice: processes racing for it, over a lock
 * file a crashed holder left behind, never hold it together.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

const LOCK = new URL('../../dist/config/state-lock.js', import.meta.url).href;
const MOUNT = '/proc/sys/fs/binfmt_misc';

/**
 * One taker: waits for the start time, then takes the lock and, while it
 * holds it, owns a marker file (O_EXCL: a second holder fails to create it)
 * for `holdMs`. Prints "held", "busy" or "overlap".
 */
const TAKER = `
const [stateDir, startAt, holdMs] = process.argv.slice(1);
const { withStateLock } = await import(${JSON.stringify(LOCK)});
const fs = await import('node:fs');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
while (Date.now() < Number(startAt)) {}
try {
  withStateLock(stateDir, ${JSON.stringify(MOUNT)}, () => {
    try { fs.writeFileSync(stateDir + '/holder', String(process.pid), { flag: 'wx' }); }
    catch { console.log('overlap'); process.exit(0); }
    sleep(Number(holdMs));
    fs.unlinkSync(stateDir + '/holder');
  });
  console.log('held');
} catch (e) {
  console.log(e.code === 'EBUSY' ? 'busy' : 'error ' + e.message);
}
`;

function race(stateDir: string, takers: number, holdMs: number): Promise<string[]> {
  const startAt = Date.now() + 700; // every taker is running and spinning by then
  return Promise.all(
    Array.from({ length: takers }, () => {
      const p = spawn(
        process.execPath,
        ['--input-type=module', '-e', TAKER, stateDir, String(startAt), String(holdMs)],
        { cwd: ROOT },
      );
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      return new Promise<string>((done) => p.on('close', () => done(out.trim())));
    }),
  );
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

describe('the state lock', () => {
  it("is held by exactly one of several processes racing for it, over a crashed holder's lock file", async () => {
    const stateDir = tempDir('binfmt-lock-');
    const lock = join(stateDir, 'proc-sys-fs-binfmt_misc.json.lock');
    for (let round = 0; round < 3; round++) {
      writeFileSync(lock, `${deadPid()}\n`); // left by a holder that died
      const outcomes = await race(stateDir, 4, 800);
      expect(outcomes.sort()).toEqual(['busy', 'busy', 'busy', 'held']);
    }
    expect(readFileSync(lock, 'utf8')).toBe(''); // released: no pid left behind
  }, 60_000);

  it('names the holder and is free again once the holder exits, however it exits', async () => {
    const stateDir = tempDir('binfmt-lock-');
    // a holder killed while holding the lock: the kernel drops it with the process
    const holder = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `
      const { withStateLock } = await import(${JSON.stringify(LOCK)});
      withStateLock(process.argv[1], ${JSON.stringify(MOUNT)}, () => { console.log('holding'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000); });
    `,
      stateDir,
    ]);
    await new Promise<void>((ok) => holder.stdout.once('data', () => ok()));
    const taker = `const { withStateLock } = await import(${JSON.stringify(LOCK)});
      try { withStateLock(process.argv[1], ${JSON.stringify(MOUNT)}, () => console.log('held')); } catch (e) { console.log(e.message); }`;
    const busy = spawnSync(process.execPath, ['--input-type=module', '-e', taker, stateDir], { encoding: 'utf8' });
    expect(busy.stdout).toMatch(
      new RegExp(`^another binfmt \\(pid ${holder.pid}\\) is changing ${MOUNT}; try again when it is done`),
    );
    holder.kill('SIGKILL');
    await new Promise((ok) => holder.on('close', ok));
    const free = spawnSync(process.execPath, ['--input-type=module', '-e', taker, stateDir], { encoding: 'utf8' });
    expect(free.stdout).toBe('held\n');
  });
});
