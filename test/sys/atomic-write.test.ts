/** The atomic file write (and durable removal) every changing command relies on. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeFileDurably, writeFileAtomic } from '../../src/sys/atomic-write.js';
import { tempDir } from '../helpers/tmp.js';

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file behind', () => {
    const dir = tempDir('atomic-');
    const p = join(dir, 'sub', 'f.conf');
    writeFileAtomic(p, 'one\n');
    writeFileAtomic(p, 'two\n');
    expect(readFileSync(p, 'utf8')).toBe('two\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['f.conf']);
    expect(removeFileDurably(p)).toBe(true);
    expect(removeFileDurably(p)).toBe(false);
  });
});
