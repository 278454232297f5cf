/**
 * The OCI hook that registers host-runtime in a container's own binfmt_misc
 * (pure: strings in, values out). Three pieces:
 * - the hooks.d files (schema 1.0.0, read by podman and other runtimes that
 *   use containers/common's hooks package): one per condition, because a
 *   file's `when` conditions must all match;
 * - reading the container state the runtime gives the hook on stdin, and the
 *   bundle's config.json;
 * - the decision: which containers get the entry, and where the loader is
 *   seen from inside the container.
 */
import { BinfmtError } from './binfmt-error.js';

/** The annotation a container asks for host-runtime with (`podman run --annotation run.binfmt.host-runtime=true`). */
export const HOST_RUNTIME_ANNOTATION = 'run.binfmt.host-runtime';

/**
 * Toolbx's entry point is `toolbox --log-level debug init-container …`
 * (containers/toolbox src/cmd/create.go); `when.commands` matches
 * process.args[0] only, so the hook checks for init-container itself.
 */
export const TOOLBOX_COMMAND_PATTERN = '^(.*/)?toolbox$';
export const TOOLBOX_INIT_ARG = 'init-container';

/**
 * createRuntime: after the container's mount namespace is set up (its root
 * file system and mounts, /run/host included, are mounted) and before
 * pivot_root and the entry point (OCI runtime-spec, config.md "createRuntime").
 */
export const HOOK_STAGE = 'createRuntime';

/** Where the host's root is inside a Toolbx container (`--volume /:/run/host:rslave`). */
export const HOST_ROOT_IN_CONTAINER = '/run/host';

/**
 * The annotation that overrides the emulation hook's choice: an architecture
 * name (that emulator, whatever the entry point is), `auto` (the entry
 * point's architecture, as without it) or `off` (nothing).
 */
export const EMULATE_ANNOTATION = 'run.binfmt.emulate';

export const HOOK_FILES = {
  annotation: 'binfmt-host-runtime-annotation.json',
  toolbox: 'binfmt-host-runtime-toolbox.json',
  emulate: 'binfmt-emulate.json',
} as const;

/** Which of binfmt's hooks.d files. */
export type HookKind = keyof typeof HOOK_FILES;

export interface HookCommand {
  /** Absolute path of the program the runtime executes (node). */
  path: string;
  /** Its whole argv, argv[0] included. */
  args: string[];
}

export interface HookFile {
  kind: HookKind;
  name: string;
  json: string;
}

/** The hooks.d files for one hook command: one per matching condition. */
export function hookFiles(cmd: HookCommand): HookFile[] {
  const hook = { path: cmd.path, args: cmd.args };
  const annotations = { [`^${HOST_RUNTIME_ANNOTATION.replaceAll('.', '\\.')}$`]: '^true$' };
  const files: [HookKind, Record<string, unknown>][] = [
    ['annotation', { annotations }],
    ['toolbox', { commands: [TOOLBOX_COMMAND_PATTERN] }],
  ];
  return files.map(([kind, when]) => ({
    kind,
    name: HOOK_FILES[kind],
    json: JSON.stringify({ version: '1.0.0', hook, when, stages: [HOOK_STAGE] }, null, 2) + '\n',
  }));
}

/**
 * The emulation hook's file: every container (hooks.d cannot match an
 * entry point's architecture), the same stage, `oci-hook emulate`.
 */
export function emulateHookFile(cmd: HookCommand): HookFile {
  const hook = { path: cmd.path, args: cmd.args };
  const json = { version: '1.0.0', hook, when: { always: true }, stages: [HOOK_STAGE] };
  return { kind: 'emulate', name: HOOK_FILES.emulate, json: JSON.stringify(json, null, 2) + '\n' };
}

export type EmulateRequest = { mode: 'auto' | 'off'; asked: boolean } | { mode: 'arch'; arch: string; asked: true };

/** What the annotation asks for; `asked` when the container named it at all. */
export function emulateRequest(annotations: Record<string, string>): EmulateRequest {
  const v = annotations[EMULATE_ANNOTATION]?.trim();
  if (v === undefined) return { mode: 'auto', asked: false };
  if (v === 'auto' || v === 'off') return { mode: v, asked: true };
  return { mode: 'arch', arch: v, asked: true };
}

/** What the hook needs of the runtime's state (OCI runtime-spec, runtime.md "State"). */
export interface ContainerState {
  id: string;
  pid: number;
  bundle: string;
  annotations: Record<string, string>;
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BinfmtError('EINVAL', `${what}: not JSON (${(e as Error).message})`, what);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new BinfmtError('EINVAL', `${what}: not a JSON object`, what);
  return v as Record<string, unknown>;
}

/** Reads the state JSON; names the field that is missing or wrong. */
export function parseContainerState(text: string): ContainerState {
  const o = parseJsonObject(text, 'container state');
  const bad = (field: string, want: string): never => {
    throw new BinfmtError('EINVAL', `container state: "${field}" must be ${want}`, field);
  };
  if (typeof o.id !== 'string' || o.id === '') bad('id', 'a non-empty string');
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0)
    bad('pid', "a positive integer (the container's first process)");
  if (typeof o.bundle !== 'string' || !o.bundle.startsWith('/')) bad('bundle', 'an absolute path');
  const annotations: Record<string, string> = {};
  if (o.annotations !== undefined) {
    if (typeof o.annotations !== 'object' || o.annotations === null || Array.isArray(o.annotations))
      bad('annotations', 'an object');
    for (const [k, v] of Object.entries(o.annotations as Record<string, unknown>)) {
      if (typeof v !== 'string') bad(`annotations.${k}`, 'a string');
      annotations[k] = v as string;
    }
  }
  return { id: o.id as string, pid: o.pid as number, bundle: o.bundle as string, annotations };
}

/** What the hook needs of the bundle's config.json (OCI runtime-spec, config.md). */
export interface BundleConfig {
  /** The container's root file system, absolute (config root.path is relative to the bundle when not). */
  root: string;
  args: string[];
  /** process.env (NAME=VALUE) and process.cwd: where args[0] is looked up. */
  env: string[];
  cwd: string;
  mounts: { destination: string; source: string }[];
}

export function parseBundleConfig(text: string, bundle: string): BundleConfig {
  const o = parseJsonObject(text, 'config.json');
  const root = (o.root as { path?: unknown } | undefined)?.path;
  if (typeof root !== 'string' || root === '')
    throw new BinfmtError('EINVAL', 'config.json: "root.path" must be a path', 'root.path');
  const proc = o.process as { args?: unknown; env?: unknown; cwd?: unknown } | undefined;
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string') : [];
  const args = strings(proc?.args);
  const env = strings(proc?.env);
  const cwd = typeof proc?.cwd === 'string' && proc.cwd.startsWith('/') ? proc.cwd : '/';
  const mounts = (Array.isArray(o.mounts) ? o.mounts : [])
    .filter(
      (m): m is { destination: string; source: string } =>
        typeof m?.destination === 'string' && typeof m?.source === 'string',
    )
    .map((m) => ({ destination: m.destination, source: m.source }));
  const abs = root.startsWith('/') ? root : `${bundle.replace(/\/+$/, '')}/${root}`;
  return { root: abs, args, env, cwd, mounts };
}

export type HookMatch = 'annotation' | 'toolbox';

/** Why this container gets host-runtime, or null: the annotation first, then Toolbx's entry point. */
export function hookMatch(annotations: Record<string, string>, args: readonly string[] | null): HookMatch | null {
  if (annotations[HOST_RUNTIME_ANNOTATION] === 'true') return 'annotation';
  if (args && args.length > 0 && new RegExp(TOOLBOX_COMMAND_PATTERN).test(args[0]!) && args.includes(TOOLBOX_INIT_ARG))
    return 'toolbox';
  return null;
}

/** Whether the container gets the host's root at /run/host (a bind mount of "/" there). */
export function hasHostRoot(config: BundleConfig): boolean {
  const norm = (p: string): string => p.replace(/\/+$/, '') || '/';
  return config.mounts.some((m) => norm(m.destination) === HOST_ROOT_IN_CONTAINER && norm(m.source) === '/');
}
