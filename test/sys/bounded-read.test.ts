/**
 * The bounded reads every named path goes through, on real files: what is
 * refused and how it is named, the limits, files under /proc (st_size 0 but
 * not empty), and the pread-backed ByteSource reading a sparse 2 GiB file
 * where it is asked, across its block boundaries.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { MAX_TEXT_BYTES, readAt, readText, readWhole, withRegular } from '../../src/sys/bounded-read.js';
import { FileBytes } from '../../src/sys/file-bytes.js';
import { thrown } from '../helpers/thrown.js';

const tmp = tempDir('bounded-read-');

describe('bounded reads', () => {
  it('names what a path is when it is not a regular file, with an errno-style code', () => {
    const fifo = join(tmp, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const dir = join(tmp, 'dir');
    mkdirSync(dir);
    const cases: Array<[string, string, string]> = [
      [fifo, 'EINVAL', `${fifo}: is a FIFO, not a regular file`],
      ['/dev/zero', 'EINVAL', '/dev/zero: is a character device, not a regular file'],
      [dir, 'EISDIR', `${dir}: is a directory, not a regular file`],
      [join(tmp, 'none'), 'ENOENT', `${join(tmp, 'none')}: no such file or directory (ENOENT)`],
    ];
    for (const [path, code, message] of cases) {
      const e = thrown(() => readText(path, '--file', 'utf8'));
      expect([e.code, e.message, e.field]).toEqual([code, message, '--file']);
    }
  });

  it('refuses a text input over MAX_TEXT_BYTES by its size, before reading it', () => {
    const big = join(tmp, 'big');
    writeFileSync(big, '');
    spawnSync('truncate', ['-s', String(MAX_TEXT_BYTES + 1), big]);
    expect(thrown(() => readText(big, 'file')).message).toBe(
      `${big}: ${MAX_TEXT_BYTES + 1} bytes, more than the ${MAX_TEXT_BYTES} a text input may have`,
    );
    const exact = join(tmp, 'exact');
    writeFileSync(exact, 'x'.repeat(MAX_TEXT_BYTES));
    expect(readText(exact, 'file')).toHaveLength(MAX_TEXT_BYTES);
  });

  it('reads a /proc file, whose st_size is 0, to its end, and still to its limit only', () => {
    expect(readText('/proc/self/status', 'file')).toMatch(/^Name:/);
    expect(thrown(() => readWhole('/proc/self/status', 'file', 16, 'a test input')).message).toBe(
      '/proc/self/status: more than 16 bytes, the most a test input may have',
    );
  });

  it('reads a range at a position, short at the end of the file', () => {
    const f = join(tmp, 'range');
    writeFileSync(f, 'abcdef');
    expect(withRegular(f, 'f', (o) => new TextDecoder().decode(readAt(o, 4, 10)))).toBe('ef');
  });
});

describe('FileBytes', () => {
  it('reads across block boundaries of a sparse 2 GiB file, as the bytes written there', () => {
    const f = join(tmp, 'sparse');
    const fd = openSync(f, 'w');
    const far = 2 ** 31 - 70_000;
    writeSync(fd, Buffer.from('0123456789'), 0, 10, 65_531); // spans the first 64 KiB boundary
    writeSync(fd, Buffer.from('end'), 0, 3, 2 ** 31 - 3);
    writeSync(fd, Buffer.from('far'), 0, 3, far);
    closeSync(fd);
    withRegular(f, 'f', (o) => {
      const src = new FileBytes(o);
      const text = (at: number, n: number): string => new TextDecoder().decode(src.read(at, n));
      expect(src.size).toBe(2 ** 31);
      expect(text(65_531, 10)).toBe('0123456789');
      expect(text(far, 3)).toBe('far');
      expect(text(2 ** 31 - 3, 3)).toBe('end');
      expect(src.read(1_000_000, 4)).toEqual(new Uint8Array(4));
    });
  });
});
