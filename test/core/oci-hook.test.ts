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
  it("matches the annotation, or Toolbx's init-container entry point", () => {
    expect(hookMatch({ 'run.binfmt.host-runtime': 'true' }, ['/bin/sh'])).toBe('annotation');
    expect(hookMatch({ 'run.binfmt.host-runtime': 'false' }, ['/bin/sh'])).toBeNull();
    expect(hookMatch({}, config({}).args)).toBe('toolbox');
    expect(hookMatch({}, ['toolbox', 'list'])).toBeNull();
    expect(hookMatch({}, ['/usr/bin/toolbox', 'init-container'])).toBe('toolbox');
    expect(hookMatch({}, [])).toBeNull();
  });
  it('sees the host root only as a bind mount of / at /run/host', () => {
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host', source: '/', type: 'bind' }] }))).toBe(true);
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host/', source: '/' }] }))).toBe(true);
    expect(hasHostRoot(config({ mounts: [{ destination: '/run/host', source: '/home' }] }))).toBe(false);
    expect(hasHostRoot(config({}))).toBe(false);
  });
});

describe('the emulation hook', () => {
  it('one file for every container, the same stage', () => {
    const f = emulateHookFile({ path: '/usr/bin/node', args: ['node', '/b.cjs', 'oci-hook', 'emulate'] });
    expect([f.kind, f.name]).toEqual(['emulate', 'binfmt-emulate.json']);
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
