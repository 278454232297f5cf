// Changes one entry N times inside a sandbox, either with binfmt apply
// (make-before-break) or by delete-then-add, while exec-loop runs.
// usage: node churn.mjs apply|delete-then-add N CONFIG_ROOT STATE_DIR
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [mode, n, root, stateDir] = process.argv.slice(2);
const dist = new URL('../../dist/', import.meta.url);
const { reconcile } = await import(new URL('ops/reconcile.js', dist));
const { applyReconciliation } = await import(new URL('ops/apply.js', dist));
const { BinfmtMisc } = await import(new URL('kernel/binfmt-misc.js', dist));
const mount = '/proc/sys/fs/binfmt_misc';
const conf = join(root, 'etc/binfmt.d/churn.conf');
const lines = [':churn:E::bfe::/bin/true:', ':churn:E::bfe::/usr/bin/true:'];
const kernel = new BinfmtMisc(mount);
for (let i = 0; i < Number(n); i++) {
  const line = lines[i % 2];
  if (mode === 'apply') {
    writeFileSync(conf, line + '\n');
    const r = reconcile({ configRoot: root, mount, stateDir });
    if (r.plan.change.length !== 1 && i > 0)
      throw new Error(`round ${i}: expected one change, got ${JSON.stringify(r.plan.change)}`);
    const out = applyReconciliation(r);
    if (!out.ok) throw new Error(out.failures[0].message);
  } else {
    if (kernel.has('churn')) kernel.remove('churn');
    writeFileSync(join(mount, 'register'), line);
  }
}
console.log('done');
