/**
 * `binfmt which` against reality: in a sandbox, entries whose interpreters
 * say who they are; for each file and exec path, the entry `which` names
 * must be the one whose interpreter the kernel actually runs, with the argv
 * `which` predicts.
 */
import { describe, expect, it } from 'vitest';
import { sandboxed } from '../helpers/sandbox.js';
import { compiled } from '../helpers/fixtures.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const SCRIPT = String.raw`
set -e
d=$(mktemp -d)
for n in alpha beta gamma delta ext tgz; do cp "$WHO" $d/$n; done
$CLI register --line ":alpha:M::HDR::$d/alpha:" >/dev/null
$CLI register --line ":beta:M:4:\x01\x02:\xff\x0f:$d/beta:P" >/dev/null
$CLI register --line ":gamma:M::HDR1::$d/gamma:O" >/dev/null
$CLI register --line ":delta:M::HDR1X::$d/delta:" >/dev/null
$CLI disable delta >/dev/null
$CLI register --line ":ext:E::bfe::$d/ext:P" >/dev/null
$CLI register --line ":tgz:E::gz::$d/tgz:" >/dev/null
printf 'HDR0' > $d/f1; printf 'HDR1' > $d/f2; printf 'HDR1X' > $d/f3; printf 'xxxx\x01\x72' > $d/f4
printf 'HDR0' > $d/f5.bfe; printf 'nothing' > $d/f6.tar.gz; ln -s $d/f2 $d/link.bfe
chmod +x $d/f*
cd $d
for f in $d/f1 $d/f2 $d/f3 $d/f4 $d/f5.bfe ./f6.tar.gz $d/link.bfe ./f1; do
  which=$($CLI which "$f" a1 --json --argv0 zz | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0,"utf8"))))')
  ran=$(perl -e 'exec {$ARGV[0]} "zz", "a1" or die "exec: $!"' "$f")
  echo "{\"file\":\"$f\",\"which\":$which,\"ran\":$ran}"
done
`;

describe('which agrees with the kernel', needs(sandbox()), () => {
  it('names the entry and argv the kernel actually uses', () => {
    const r = sandboxed(SCRIPT, { env: { WHO: compiled('who') } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; which: { entry: string; argv: string[] }; ran: { ran: string; argv: string[] } });
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.which.entry, row.file).toBe(row.ran.ran);
      // argv[0] is the registered interpreter path, as which says.
      expect(row.which.argv, row.file).toEqual(row.ran.argv);
    }
    // Cover the interesting choices, so a broken matcher cannot pass by luck.
    const chosen = Object.fromEntries(rows.map((x) => [x.file.replace(/.*\//, ''), x.ran.ran]));
    expect(chosen).toMatchObject({ f1: 'alpha', f2: 'gamma', f3: 'gamma', f4: 'beta', 'f5.bfe': 'ext', 'f6.tar.gz': 'tgz', 'link.bfe': 'ext' });
  });
});
