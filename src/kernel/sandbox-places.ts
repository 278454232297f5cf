/**
 * The places outside binfmt_misc that binfmt writes, made private in a
 * sandbox. A sandbox's root maps onto the caller (root, when root runs it), so
 * without this `apply` inside would write its ownership state to the host's
 * /run/binfmt, `register slulb` would install a loader under the host's
 * /usr/local/lib/binfmt, and `persist` would write the host's /etc/binfmt.d.
 *
 * Each place gets a directory of its own in a tmpfs that vanishes with the
 * namespace, owned by the sandbox's root (the caller), so that an ordinary
 * user's sandbox can write it as well as root's. An overlay of the host's
 * directory would not do: the host's root-owned files show there as owned by
 * nobody (root is not mapped into an ordinary user's namespace), which the
 * sandbox's root may neither write nor lock.
 *
 * What each place starts with follows from the instance being new: its
 * ownership state and loader copies start empty (the host's belong to the
 * host's entries), while binfmt.d starts as a copy of the host's files, so
 * that `apply` inside tries the host's configuration on the private instance.
 *
 * Where a place does not exist, its nearest existing ancestor gets an overlay
 * whose extra lower layer holds the missing directories, so that nothing has
 * to be created on the host (nor written through an ancestor that an ordinary
 * user may not write); mounts below that ancestor (for example /run/user/N
 * below /run) are then hidden inside the sandbox. The tmpfs is mounted on a
 * fresh directory under $TMPDIR, which is lazily unmounted and removed again
 * once the places hold it, so the host keeps nothing.
 */

export interface PrivatePlace {
  path: string;
  /** What the sandbox shows there at first: nothing, or a copy of the host's files. */
  starts: 'empty' | 'copy';
}

/**
 * binfmt's own defaults: the ownership state (config/ownership-state.ts),
 * the administrator's binfmt.d directory (config/persistence.ts) and the
 * loader copies (ops/install-loader.ts).
 */
export const PRIVATE_PLACE_LIST: readonly PrivatePlace[] = [
  { path: '/run/binfmt', starts: 'empty' },
  { path: '/etc/binfmt.d', starts: 'copy' },
  { path: '/usr/local/lib/binfmt', starts: 'empty' },
];
export const PRIVATE_PLACES: readonly string[] = PRIVATE_PLACE_LIST.map((p) => p.path);

/**
 * POSIX sh that makes each place private; with `announce`, it says on stderr
 * what it made private. Exits 125 (as a failed binfmt_misc mount does) if it
 * cannot.
 */
export function privatePlacesScript(announce: boolean): string {
  const fail = (what: string) =>
    `{ umount -l "$stage"; rmdir "$stage"; echo "binfmt sandbox: ${what}" >&2; exit 125; }`;
  return [
    `stage=$(mktemp -d "\${TMPDIR:-/tmp}/binfmt-sandbox.XXXXXX") || { echo "binfmt sandbox: cannot create a staging directory" >&2; exit 125; }`,
    `mount -t tmpfs -o mode=0755 binfmt-sandbox "$stage" || { rmdir "$stage"; echo "binfmt sandbox: cannot mount a tmpfs" >&2; exit 125; }`,
    'i=0; said=""',
    `for place in ${PRIVATE_PLACE_LIST.map((p) => `${p.path}:${p.starts}`).join(' ')}; do`,
    '  want=${place%:*}; starts=${place##*:}; i=$((i+1)); s=$stage/$i; mkdir "$s" "$s/data"',
    '  at=$want; while [ ! -d "$at" ]; do at=${at%/*}; at=${at:-/}; done',
    '  if [ "$at" != "$want" ]; then',
    '    mkdir -p "$s/layer/${want#"${at%/}"/}" "$s/upper" "$s/work"',
    '    mount -t overlay overlay -o "lowerdir=$s/layer:$at,upperdir=$s/upper,workdir=$s/work" "$at" ||',
    `      ${fail('cannot show $want (overlay on $at)')}`,
    '  elif [ "$starts" = copy ]; then',
    '    cp -R "$want/." "$s/data/" || echo "binfmt sandbox: the private copy of $want lacks what you may not read" >&2',
    '  fi',
    `  mount --bind "$s/data" "$want" || ${fail('cannot make $want private')}`,
    '  said="$said $want ($starts)"',
    'done',
    'umount -l "$stage"; rmdir "$stage"',
    ...(announce ? ['echo "binfmt sandbox: private binfmt_misc at $0; in memory, discarded at exit:$said" >&2'] : []),
  ].join('\n');
}
