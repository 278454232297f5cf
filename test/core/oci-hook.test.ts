/**
 * The OCI hook's pure parts: the hooks.d files, reading the state and
 * config.json the runtime hands over, and which containers match.
 */
import { describe, expect, it } from 'vitest';
import {
  emulateHookFile,
  emulateRequest,
  hasHostRoot,
  hookFiles,
  hookMatch,
  parseBundleConfig,
  parseContainerState,
  TOOLBOX_COMMAND_PATTERN,
} from '../../src/core/oci-hook.js';
import { thrown } from '../helpers/thrown.js';

const state = (o: Record<string, unknown>) =>
  JSON.stringify({ ociVersion: '1.0.2', id: 'abc', status: 'creating', pid: 42, bundle: '/b', ...o });

describe('hooks.d files', () => {
  const files = hookFiles({
    path: '/usr/bin/node',
    args: ['node', '/opt/binfmt.cjs', 'oci-hook', 'run', '--loader-dir', '/l'],
  });
  it('one file per condition, schema 1.0.0, createRuntime, the same hook', () => {
    expect(files.map((f) => [f.kind, f.name])).toEqual([
      ['annotation', 'binfmt-host-runtime-annotation.json'],
      ['toolbox', 'binfmt-host-runtime-toolbox.json'],
    ]);
    const [a, t] = files.map((f) => JSON.parse(f.json));
    for (const j of [a, t]) {
      expect(j.version).toBe('1.0.0');
      expect(j.stages).toEqual(['createRuntime']);
      expect(j.hook).toEqual({
        path: '/usr/bin/node',
        args: ['node', '/opt/binfmt.cjs', 'oci-hook', 'run', '--loader-dir', '/l'],
      });
    }
    // conditions in one file are ANDed by the hooks package: hence two files
    expect(a.when).toEqual({ annotations: { '^run\\.binfmt\\.host-runtime$': '^true$' } });
    expect(t.when).toEqual({ commands: ['^(.*/)?toolbox$'] });
  });
  it('the command pattern matches toolbox by name or path, nothing else', () => {
    const re = new RegExp(TOOLBOX_COMMAND_PATTERN);
    expect(['toolbox', '/usr/bin/toolbox'].every((c) => re.test(c))).toBe(true);
    expect(['toolbox2', 'mytoolbox', '/bin/sh'].some((c) => re.test(c))).toBe(false);
  });
});

describe('container state', () => {
  it('reads id, pid, bundle and annotations', () => {
    expect(parseContainerState(state({ annotations: { a: 'b' } }))).toEqual({
      id: 'abc',
      pid: 42,
      bundle: '/b',
      annotations: { a: 'b' },
    });
    expect(parseContainerState(state({})).annotations).toEqual({});
  });
  it.each([
    ['{', 'container state: not JSON'],
    ['[]', 'container state: not a JSON object'],
    [state({ pid: 0 }), '"pid" must be a positive integer'],
    [state({ pid: '42' }), '"pid" must be a positive integer'],
    [state({ id: '' }), '"id" must be a non-empty string'],
    [state({ bundle: 'rel' }), '"bundle" must be an absolute path'],
    [state({ annotations: { x: 1 } }), '"annotations.x" must be a string'],
  ])('refuses %s, naming the field', (text, msg) => {
    expect(() => parseContainerState(text)).toThrow(msg);
  });
  it.each([
    ['not JSON', '{', 'container state', 'container state: not JSON'],
    ['JSON null', 'null', 'container state', 'container state: not a JSON object'],
    ['a JSON string', '"x"', 'container state', 'container state: not a JSON object'],
    ['a JSON array', '[{}]', 'container state', 'container state: not a JSON object'],
    ['no id', state({ id: undefined }), 'id', 'container state: "id" must be a non-empty string'],
    ['a numeric id', state({ id: 7 }), 'id', 'container state: "id" must be a non-empty string'],
    ['no pid', state({ pid: undefined }), 'pid', 'container state: "pid" must be a positive integer'],
    ['a fractional pid', state({ pid: 1.5 }), 'pid', 'container state: "pid" must be a positive integer'],
    ['a negative pid', state({ pid: -3 }), 'pid', 'container state: "pid" must be a positive integer'],
    ['no bundle', state({ bundle: undefined }), 'bundle', 'container state: "bundle" must be an absolute path'],
    ['a numeric bundle', state({ bundle: 7 }), 'bundle', 'container state: "bundle" must be an absolute path'],
    [
      'annotations null',
      state({ annotations: null }),
      'annotations',
      'container state: "annotations" must be an object',
    ],
    [
      'annotations a list',
      state({ annotations: ['a'] }),
      'annotations',
      'container state: "annotations" must be an object',
    ],
    [
      'annotations a string',
      state({ annotations: 'a' }),
      'annotations',
      'container state: "annotations" must be an object',
    ],
  ])('refuses %s: EINVAL, the field, and what it must be', (_what, text, field, message) => {
    expect(thrown(() => parseContainerState(text))).toMatchObject({ code: 'EINVAL', field });
    expect(thrown(() => parseContainerState(text)).message.startsWith(message)).toBe(true);
  });
  it('reads the smallest valid pid', () => {
    expect(parseContainerState(state({ pid: 1 })).pid).toBe(1);
  });
});

describe('config.json and the decision', () => {
  const config = (o: Record<string, unknown>) =>
    parseBundleConfig(
      JSON.stringify({
        root: { path: 'rootfs' },
        process: { args: ['toolbox', '--log-level', 'debug', 'init-container'] },
        ...o,
      }),
      '/b/',
    );
  it('makes root.path absolute against the bundle', () => {
    expect(config({}).root).toBe('/b/rootfs');
    expect(config({ root: { path: '/r' } }).root).toBe('/r');
    expect(() => config({ root: {} })).toThrow('"root.path" must be a path');
  });
  it.each([
    ['not JSON', '{', 'config.json', 'config.json: not JSON'],
    ['a JSON array', '[]', 'config.json', 'config.json: not a JSON object'],
    ['no root', '{}', 'root.path', 'config.json: "root.path" must be a path'],
    ['an empty root.path', '{"root":{"path":""}}', 'root.path', 'config.json: "root.path" must be a path'],
    ['a numeric root.path', '{"root":{"path":7}}', 'root.path', 'config.json: "root.path" must be a path'],
  ])('refuses a config.json with %s: EINVAL, the field', (_what, text, field, message) => {
    expect(thrown(() => parseBundleConfig(text, '/b'))).toMatchObject({ code: 'EINVAL', field });
    expect(thrown(() => parseBundleConfig(text, '/b')).message.startsWith(message)).toBe(true);
  });
  it('reads a config.json with no process and odd mounts: nothing to run, the mounts that name both ends', () => {
    const c = parseBundleConfig(
      JSON.stringify({
        root: { path: 'rootfs' },
        mounts: [
          null,
          { destination: '/d' },
          { source: '/s' },
          { destination: '/run/host', source: '/', type: 'bind' },
        ],
      }),
      '/b//',
    );
    expect(c).toEqual({
      root: '/b/rootfs',
      args: [],
      env: [],
      cwd: '/',
      mounts: [{ destination: '/run/host', source: '/' }],
    });
    expect(parseBundleConfig('{"root":{"path":"/r"},"mounts":{"destination":"/run/host"}}', '/b').mounts).toEqual([]);
  });
  it("matches the annotation, or Toolbx's init-container entry point", () => {
    expect(hookMatch({ 'run.binfmt.host-runtime': 'true' }, ['/bin/sh'])).toBe('annotation');
    expect(hookMatch({ 'run.binfmt.host-runtime': 'false' }, ['/bin/sh'])).toBeNull();
    expect(hookMatch({}, config({}).args)).toBe('toolbox');
    expect(hookMatch({}, ['toolbox', 'list'])).toBeNull();
    expect(hookMatch({}, ['/usr/bin/toolbox', 'init-container'])).toBe('toolbox');
    expect(hookMatch({}, [])).toBeNull();
    expect(hookMatch({}, null)).toBeNull();
    expect(hookMatch({}, ['/bin/sh', 'toolbox', 'init-container'])).toBeNull();
    expect(hookMatch({}, ['init-container'])).toBeNull();
  });
  it('sees the host root only as a bind mount of / at /run/host', () => {
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host', source: '/', type: 'bind' }] }))).toBe(true);
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host/', source: '/' }] }))).toBe(true);
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host', source: '/home' }] }))).toBe(false);
    expect(hasHostRoot(config({}))).toBe(false);
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host//', source: '//' }] }))).toBe(true);
    expect(hasHostRoot(config({ mounts: [{ destination: '/mnt', source: '/' }] }))).toBe(false);
  });
});

describe('the emulation hook', () => {
  it('one file for every container, the same stage', () => {
    const f = emulateHookFile({ path: '/usr/bin/node', args: ['node', '/b.cjs', 'oci-hook', 'emulate'] });
    expect([f.kind, f.name]).toEqual(['emulate', 'binfmt-emulate.json']);
    expect(f.json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(f.json)).toEqual({
      version: '1.0.0',
      hook: { path: '/usr/bin/node', args: ['node', '/b.cjs', 'oci-hook', 'emulate'] },
      when: { always: true },
      stages: ['createRuntime'],
    });
  });
  it('reads the annotation: an architecture, auto, off, or nothing asked', () => {
    expect(emulateRequest({})).toEqual({ mode: 'auto', asked: false });
    expect(emulateRequest({ 'run.binfmt.emulate': 'auto' })).toEqual({ mode: 'auto', asked: true });
    expect(emulateRequest({ 'run.binfmt.emulate': 'off' })).toEqual({ mode: 'off', asked: true });
    expect(emulateRequest({ 'run.binfmt.emulate': ' arm64 ' })).toEqual({ mode: 'arch', arch: 'arm64', asked: true });
  });
  it("takes the entry point's environment and working directory from config.json", () => {
    const c = parseBundleConfig(
      JSON.stringify({ root: { path: '/r' }, process: { args: ['uname'], env: ['PATH=/bin', 7], cwd: '/w' } }),
      '/b',
    );
    expect([c.env, c.cwd]).toEqual([['PATH=/bin'], '/w']);
    const d = parseBundleConfig(JSON.stringify({ root: { path: '/r' }, process: { cwd: 'rel' } }), '/b');
    expect([d.env, d.cwd]).toEqual([[], '/']);
  });
});
