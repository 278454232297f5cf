/**
 * `binfmt oci-hook`: install the hooks.d files, remove them, and the hook run
 * itself, which registers host-runtime in one container's own binfmt_misc
 * before its entry point starts.
 *
 * The run is the hot path: it runs on every container start the hooks.d
 * conditions match, so it reads the state and config.json, decides, and does
 * at most one namespace round trip; a container it does not match costs one
 * JSON parse. It never fails a container it does not match. A container that
 * asked by annotation and cannot get the entry fails to start (the user asked
 * for it explicitly; the runtime shows the hook's line). A Toolbx container
 * that cannot get it starts anyway: a container new enough for the host's
 * toolbox does not need it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { binfmt, option, type Fix } from '../core/fix.js';
import {
  emulateHookFile,
  hasHostRoot,
  HOOK_FILES,
  hookFiles,
  type HookCommand,
  type HookKind,
  hookMatch,
  HOST_ROOT_IN_CONTAINER,
  parseBundleConfig,
  parseContainerState,
  type HookMatch,
} from '../core/oci-hook.js';
import { parseRegister } from '../core/register-parse.js';
import { removeFileDurably, writeFileAtomic } from '../sys/atomic-write.js';
import { findDefinition } from '../config/definitions.js';
import { installLoaderFor } from './install-loader.js';
import { withInterpreter } from '../core/loader-directive.js';
import { openInstance } from '../kernel/instance.js';
import { visibleInside } from '../kernel/pid-instance.js';

/** The definition the hook registers. */
export const HOOK_ENTRY = 'host-runtime';

export interface HookInstall {
  hooksDir: string;
  loaderDir: string;
  /**
   * What the runtime runs for each hook: the program (absolute) and its
   * whole argv, argv[0] included. The command line is the CLI's to spell.
   */
  run: HookCommand;
  emulate: HookCommand;
  dryRun: boolean;
}

export interface InstallOutcome {
  files: { kind: HookKind; path: string; json: string }[];
  loader: string;
}

export function installHook(o: HookInstall): InstallOutcome {
  const loaderDir = resolve(o.loaderDir);
  const installed = installLoaderFor(findDefinition(HOOK_ENTRY), { loaderDir, dryRun: o.dryRun });
  const files = [...hookFiles(o.run), emulateHookFile(o.emulate)].map((f) => ({
    kind: f.kind,
    path: join(resolve(o.hooksDir), f.name),
    json: f.json,
  }));
  if (!o.dryRun) for (const f of files) writeFileAtomic(f.path, f.json, 0o644);
  return { files, loader: installed.loader ?? join(loaderDir, HOOK_ENTRY) };
}

/** Removes binfmt's hooks.d files from DIR; returns those that were there. */
export function uninstallHook(hooksDir: string, dryRun: boolean): string[] {
  const paths = Object.values(HOOK_FILES).map((f) => join(resolve(hooksDir), f));
  const present = paths.filter((p) => existsSync(p));
  if (!dryRun) for (const p of present) removeFileDurably(p);
  return present;
}

export type HookAction = 'registered' | 'present' | 'would-register' | 'skipped' | 'failed';

export interface HookOutcome {
  container: string;
  pid: number;
  match: HookMatch | null;
  action: HookAction;
  /** The interpreter path as the container sees it. */
  interpreter: string | null;
  reason: string;
  /** What to do about a failure, as data (src/core/fix.ts): the CLI words it after the reason. */
  fix: Fix | null;
  /** 1 only for a container that asked by annotation and did not get the entry. */
  exitCode: number;
}

/** The hook run: state JSON (stdin) in, one decision out. Throws only for a state that is not one. */
export function runHook(stateText: string, o: { loaderDir: string; dryRun: boolean }): HookOutcome {
  const state = parseContainerState(stateText);
  const base = { container: state.id.slice(0, 12), pid: state.pid, interpreter: null, fix: null };
  let config;
  try {
    config = parseBundleConfig(readFileSync(join(state.bundle, 'config.json'), 'utf8'), state.bundle);
  } catch (e) {
    const match = hookMatch(state.annotations, null);
    const reason = `cannot read ${state.bundle}/config.json: ${(e as Error).message}`;
    return { ...base, match, action: match ? 'failed' : 'skipped', reason, exitCode: match ? 1 : 0 };
  }
  const match = hookMatch(state.annotations, config.args);
  if (!match)
    return {
      ...base,
      match,
      action: 'skipped',
      reason: "neither the annotation run.binfmt.host-runtime=true nor Toolbx's init-container",
      exitCode: 0,
    };
  const failed = (reason: string, fix: Fix | null = null): HookOutcome => ({
    ...base,
    match,
    action: 'failed',
    reason,
    fix,
    exitCode: match === 'annotation' ? 1 : 0,
  });
  if (!hasHostRoot(config)) {
    return failed(
      `no host root at ${HOST_ROOT_IN_CONTAINER} (add -v /:${HOST_ROOT_IN_CONTAINER}:rslave): host-runtime would only run marked programs natively`,
    );
  }
  const loader = join(resolve(o.loaderDir), HOOK_ENTRY);
  try {
    statSync(loader);
  } catch {
    return failed(`the loader ${loader} is not installed`, [
      binfmt('oci-hook', 'install', option('loaderDir', o.loaderDir)),
    ]);
  }
  const interpreter = visibleInside(state.pid, config.root, loader);
  if (!interpreter) return failed(`the loader ${loader} is not visible inside the container`);
  try {
    const action = registerInContainer(
      state.pid,
      config.root,
      withInterpreter(findDefinition(HOOK_ENTRY).text, interpreter),
      o.dryRun,
    );
    return {
      ...base,
      match,
      action,
      interpreter,
      reason: match === 'annotation' ? 'annotation run.binfmt.host-runtime=true' : 'Toolbx container',
      exitCode: 0,
    };
  } catch (e) {
    return { ...failed((e as Error).message), interpreter };
  }
}

function registerInContainer(pid: number, root: string, line: string, dryRun: boolean): HookAction {
  const parsed = parseRegister(line);
  if (!parsed.ok)
    throw new BinfmtError(
      parsed.errno,
      `the ${HOOK_ENTRY} definition does not parse: ${parsed.diagnostics[0]?.message ?? parsed.errno}`,
    );
  const inst = openInstance({ pid, subroot: root, attach: !dryRun });
  try {
    const kernel = inst.kernel;
    if (kernel.has(HOOK_ENTRY)) return 'present';
    if (dryRun) return 'would-register';
    kernel.register(new TextEncoder().encode(line), parsed.entry);
    return 'registered';
  } finally {
    inst.close();
  }
}
