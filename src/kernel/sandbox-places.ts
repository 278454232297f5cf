/**
 * The places outside binfmt_misc that binfmt writes, made private in a
 * sandbox. A sandbox's root maps onto the caller (root, when root runs it), so
 * without this `apply` inside would write its ownership state to the host's
 * /run/binfmt, `register slulb` would install a loader under the host's
 * /usr/local/lib/binfmt, and `persist` would write the host's /etc/binfmt.d.
 *
 * Each place (or, where it does not exist, its nearest existing ancestor, so
 * that nothing has to be created on the host) gets an overlay: the host's
 * files stay visible, every change lands in a tmpfs that vanishes with the
 * namespace. The tmpfs is mounted on a fresh directory under $TMPDIR, which
 * is lazily unmounted and removed again once the overlays hold it, so the
 * host keeps nothing. Mounts below an overlaid ancestor (for example
 * /run/user/N below /run) are hidden inside the sandbox.
 */

/**
 * binfmt's own defaults: the ownership state (config/ownership-state.ts),
 * the administrator's binfmt.d directory (config/persistence.ts) and the
 * loader copies (ops/install-loader.ts).
 */
export const PRIVATE_PLACES = ['/run/binfmt', '/etc/binfmt.d', '/usr/local/lib/binfmt'] as const;

/**
 * POSIX sh that overlays each place; with `announce`, it says on stderr what
 * it made private. Exits 125 (as a failed binfmt_misc mount does) if it cannot.
 */
export function privatePlacesScript(announce: boolean): string {
  const fail = (what: string) => `{ echo "binfmt sandbox: ${what}" >&2; exit 125; }`;
  return [
    `stage=$(mktemp -d "\${TMPDIR:-/tmp}/binfmt-sandbox.XXXXXX") || ${fail('cannot create a staging directory')}`,
    `mount -t tmpfs -o mode=0755 binfmt-sandbox "$stage" || { rmdir "$stage"; ${fail('cannot mount a tmpfs')}; }`,
    'i=0; said=""',
    `for want in ${PRIVATE_PLACES.join(' ')}; do`,
    '  at=$want; while [ ! -d "$at" ]; do at=${at%/*}; at=${at:-/}; done',
    '  i=$((i+1)); mkdir "$stage/$i" "$stage/$i/upper" "$stage/$i/work"',
    '  mount -t overlay overlay -o "lowerdir=$at,upperdir=$stage/$i/upper,workdir=$stage/$i/work" "$at" ||',
    `    { umount -l "$stage"; rmdir "$stage"; ${fail('cannot make $at private (overlay)')}; }`,
    '  said="$said $want"',
    'done',
    'umount -l "$stage"; rmdir "$stage"',
    ...(announce
      ? ['echo "binfmt sandbox: private binfmt_misc at $0; private copies, discarded at exit, of:$said" >&2']
      : []),
  ].join('\n');
}
