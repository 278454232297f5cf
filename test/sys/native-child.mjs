// The child processes of test/sys/native.test.ts: each case ends in an exec
// (or a chroot), which a vitest worker must not do to itself.
//   node native-child.mjs execveat            execs /bin/sh from an fd (AT_EMPTY_PATH)
//   node native-child.mjs fexecve             fexecve /bin/sh with one fd un-CLOEXEC'd
//   node native-child.mjs mount-chroot ROOT   tmpfs on ROOT/m, chroot ROOT, umount2
import { openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { native } = await import(new URL('../../dist/sys/native.js', import.meta.url).href);
const n = native();
const [what, root] = process.argv.slice(2);

if (what === 'execveat') {
  const fd = openSync('/bin/sh', 'r');
  const script = 'echo "$0 $1 $BINFMT_T"; grep SigIgn /proc/self/status';
  n.execveat(
    fd,
    '',
    ['mysh', '-c', script, 'zero', 'arg1'],
    ['BINFMT_T=env-ok', 'PATH=/usr/bin:/bin'],
    n.constants.AT_EMPTY_PATH,
  );
} else if (what === 'fexecve') {
  const keep = openSync('/etc/hostname', 'r');
  const drop = openSync('/etc/hostname', 'r');
  n.clearCloexec(keep);
  const script = `for f in ${keep} ${drop}; do [ -e /proc/self/fd/$f ] && echo "$f open" || echo "$f closed"; done`;
  n.fexecve(openSync('/bin/sh', 'r'), ['sh', '-c', script], []);
} else if (what === 'mount-chroot') {
  n.mount('tmpfs', join(root, 'm'), 'tmpfs', 0, 'size=1m');
  writeFileSync(join(root, 'm', 'f'), 'x');
  n.chroot(root);
  console.log(readdirSync('/m').join(','), readdirSync('.').join(','));
  n.umount2('/m', n.constants.MNT_DETACH);
  console.log(readdirSync('/m').length);
} else {
  console.error(`native-child: unknown case ${what}`);
  process.exit(2);
}
