/**
 * The read-back text of binfmt_misc/NAME, parsed back into the entry that was
 * registered. The texts in test/fixtures/read-back/ are what Linux 6.18 showed
 * for each register string in a private instance (interpreters and extensions
 * with newlines, masks, offsets, every flag, a disabled entry); the kernel
 * tests compare live read-backs where a sandbox can be made.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEntryText } from '../../src/core/entry-text.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import { parseKernelInt } from '../../src/core/kernel-int.js';
import { mountAt, parseMountinfo } from '../../src/core/mountinfo.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { ROOT } from '../helpers/sandbox.js';

const recorded: { line: string; name: string; text: string }[] = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'read-back', 'kernel-6.18.json'), 'utf8'),
);

describe('parseEntryText: what the kernel shows is what was registered', () => {
  it.each(recorded)('$name', ({ line, name, text }) => {
    const registered = parseRegister(line);
    if (!registered.ok) throw new Error(registered.diagnostics[0]!.message);
    const back = parseEntryText(name, text);
    expect(back.name).toBe(name);
    expect(back.type).toBe(registered.entry.type);
    expect(entryDifferences(registered.entry, back)).toEqual([]);
    expect(back.enabled).toBe(!text.startsWith('disabled'));
  });

  it('keeps "no mask" apart from a mask of zero bytes', () => {
    const masks = Object.fromEntries(
      recorded.map((r) => {
        const e = parseEntryText(r.name, r.text);
        return [r.name, e.type === 'magic' ? e.mask : undefined];
      }),
    );
    expect(masks.plain).toBeNull();
    expect(masks['zero-mask']).toEqual(Uint8Array.from([0, 0]));
  });

  it.each([
    ['', 'empty'],
    ['enabled\ninterpreter /bin/sh\nflags: \noffset 0\nmagic 414243', 'no final newline'],
    ['enabled\ninterpreter /bin/sh\nflags: \noffset 0\nmagic 41424\n', 'odd hex'],
    ['enabled\ninterpreter /bin/sh\nflags: FP\noffset 0\nmagic 41\n', 'flags out of order'],
    ['on\ninterpreter /bin/sh\nflags: \nextension .x\n', 'unknown state'],
    ['enabled\ninterpreter /bin/sh\nflags: \nextension x\n', 'extension without its dot'],
    ['enabled\ninterpreter /bin/sh\nflags: \noffset -1\nmagic 41\n', 'negative offset'],
  ])('refuses %j (%s) with EIO naming the entry', (text) => {
    expect(() => parseEntryText('e', text)).toThrow(BinfmtError);
    expect(() => parseEntryText('e', text)).toThrow(/'e': unexpected read-back text/);
  });
});

describe('parseKernelInt (kstrtoint base 10, the offset field)', () => {
  // Observed through the offset field: "5\n" → 5, "010" → 10, "-0" → 0,
  // " 5" → EINVAL, "2147483648" → EINVAL; "+5" → 5.
  const int = (s: string): number | null => parseKernelInt(new TextEncoder().encode(s));
  it.each([
    ['5', 5],
    ['+5', 5],
    ['010', 10],
    ['5\n', 5],
    ['0', 0],
    ['-7', -7],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
    ['2147483648', null],
    ['-2147483649', null],
    ['99999999999999999999', null],
    [' 5', null],
    ['5 ', null],
    ['5\n\n', null],
    ['0x10', null],
    ['', null],
    ['+', null],
    ['-', null],
    ['+-5', null],
    ['--5', null],
    ['\n', null],
  ])('%j → %s', (s, want) => {
    expect(int(s)).toBe(want);
  });
  it('-0 is zero', () => {
    expect(int('-0') === 0).toBe(true);
  });
});

describe('parseMountinfo and mountAt', () => {
  const text = [
    '25 1 0:23 / /proc rw,nosuid - proc proc rw',
    '40 25 0:35 / /proc/sys/fs/binfmt_misc rw,relatime shared:13 - autofs systemd-1 rw,fd=29',
    '41 40 0:36 / /proc/sys/fs/binfmt_misc rw,nosuid,nodev,noexec - binfmt_misc binfmt_misc rw',
    '42 25 0:37 / /mnt/a\\040b\\011c rw - tmpfs my\\040src rw',
    'garbage without a separator',
    '43 25 0:38 / - tmpfs',
    '',
  ].join('\n');
  const mounts = parseMountinfo(text);

  it('reads mount point, options, type and source, decoding octal escapes', () => {
    expect(mounts).toHaveLength(4);
    expect(mounts[0]).toEqual({ mountPoint: '/proc', options: 'rw,nosuid', fsType: 'proc', source: 'proc' });
    expect(mounts[3]).toEqual({ mountPoint: '/mnt/a b\tc', options: 'rw', fsType: 'tmpfs', source: 'my src' });
  });

  it('the mount visible at a path is the last one listed there', () => {
    expect(mountAt(mounts, '/proc/sys/fs/binfmt_misc')?.fsType).toBe('binfmt_misc');
    expect(mountAt(mounts, '/proc')?.fsType).toBe('proc');
    expect(mountAt(mounts, '/nowhere')).toBeNull();
  });
});
