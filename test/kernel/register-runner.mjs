// Runs inside a sandbox: writes each register string (base64 lines on stdin)
// to the private instance's register file, one write() each, and reports what
// the kernel did: the errno, or the new entry's name and read-back text. Each
// accepted entry is removed again. An entry named "dup" exists throughout (EEXIST).
import { closeSync, openSync, readdirSync, readFileSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';

const mnt = process.argv[2] ?? '/proc/sys/fs/binfmt_misc';
const write = (file, buf) => {
  const fd = openSync(typeof file === 'string' ? join(mnt, file) : file, constants.O_WRONLY);
  try {
    return writeSync(fd, buf, 0, buf.length);
  } finally {
    closeSync(fd);
  }
};
write('register', Buffer.from(':dup:E::dupext::/bin/sh:'));
const base = new Set(readdirSync(mnt, { encoding: 'buffer' }).map((b) => b.toString('base64')));
const inputs = readFileSync(0, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('='))
  .map((l) => l.slice(1));
const out = [];
for (const line of inputs) {
  const buf = Buffer.from(line, 'base64');
  try {
    write('register', buf);
  } catch (e) {
    out.push({ errno: e.code });
    continue;
  }
  const added = readdirSync(mnt, { encoding: 'buffer' }).filter((b) => !base.has(b.toString('base64')));
  if (added.length !== 1) {
    out.push({ errno: null, error: `expected one new entry, found ${added.length}` });
    continue;
  }
  const path = Buffer.concat([Buffer.from(mnt + '/'), added[0]]);
  const text = readFileSync(path).toString('base64');
  write(path, Buffer.from('-1'));
  out.push({ errno: null, name: added[0].toString('base64'), text });
}
process.stdout.write(JSON.stringify(out));
