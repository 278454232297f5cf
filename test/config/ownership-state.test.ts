import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { OwnershipStore, stateFileName } from '../../src/config/ownership-state.js';
import { tempDir } from '../helpers/tmp.js';

describe('OwnershipStore', () => {
  it('round-trips entries and ignores a state file from another instance', () => {
    const dir = tempDir('state-');
    const mount = tempDir('mnt-');
    const store = new OwnershipStore(dir, mount);
    expect(store.load().state.entries).toEqual([]);
    store.save([{ name: 'a', register: ':a:E::a::/bin/sh:', source: 'x.conf:1' }]);
    expect(store.load().state.entries.map((e) => e.name)).toEqual(['a']);
    const raw = JSON.parse(readFileSync(store.path, 'utf8'));
    raw.instance = '999999';
    writeFileSync(store.path, JSON.stringify(raw));
    const again = store.load();
    expect(again.state.entries).toEqual([]);
    expect(again.warning).toMatch(/another binfmt_misc instance/);
  });

  it('names the state file after the mount', () => {
    expect(stateFileName('/proc/sys/fs/binfmt_misc')).toBe('proc-sys-fs-binfmt_misc.json');
  });

  it('a corrupt state file is a clear error naming the file', () => {
    const dir = tempDir('state-');
    const store = new OwnershipStore(dir, '/');
    writeFileSync(store.path, '{nope');
    expect(() => store.load()).toThrow(new RegExp(`${store.path}: the ownership state is not valid JSON`));
  });
});
