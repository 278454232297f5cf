/**
 * Options are typed where commander parses them (src/cli/syntax): the
 * runners get numbers, checked directories and lists, not strings to check
 * by hand, and a command's required options are required by commander.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandSpec } from '../../src/cli/commands.js';
import { emulate } from '../../src/cli/syntax/emulate.js';
import { list } from '../../src/cli/syntax/list.js';
import { reorder } from '../../src/cli/syntax/reconcile.js';
import { thrown } from '../helpers/thrown.js';

function parse(cmd: ReturnType<typeof list>, argv: string[]): ReturnType<typeof list> {
  cmd.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.action(() => undefined);
  cmd.parse(argv, { from: 'user' });
  return cmd;
}

describe('typed options', () => {
  it('--pid is a number, checked where it is parsed', () => {
    expect(parse(list(), ['--pid', '42']).opts().pid).toBe(42);
    expect(thrown(() => parse(list(), ['--pid', '4x2']))).toMatchObject({
      code: 'EUSAGE',
      message: '--pid 4x2: not a process id',
    });
  });

  it('defaults come from the layer that owns them', () => {
    const o = emulate()
      .exitOverride()
      .action(() => undefined)
      .parse(['aarch64'], { from: 'user' })
      .opts();
    expect(o).toMatchObject({ stateDir: '/run/binfmt', configRoot: '/' });
    expect(o.emulatorDir).toBeUndefined();
  });

  it('a repeatable directory option is a list of checked, absolute directories', () => {
    const o = emulate()
      .exitOverride()
      .action(() => undefined)
      .parse(['--emulator-dir', '.', '--emulator-dir', '/'], { from: 'user' })
      .opts();
    expect(o.emulatorDir).toEqual([process.cwd(), '/']);
    expect(
      thrown(() =>
        emulate()
          .exitOverride()
          .action(() => undefined)
          .parse(['--emulator-dir', '/nonexistent-dir'], { from: 'user' }),
      ),
    ).toMatchObject({ code: 'ENOENT', field: '--emulator-dir' });
  });

  it('a required option is required by commander', () => {
    const cmd = reorder()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .action(() => undefined);
    expect(() => cmd.parse(['a'], { from: 'user' })).toThrowError("required option '--before <other>' not specified");
  });

  it("every command's syntax has the name the table gives it", () => {
    const names = (specs: CommandSpec[]): [string, string][] =>
      specs.flatMap((s) => [[s.name, s.syntax().name()] as [string, string], ...names(s.subcommands ?? [])]);
    for (const [name, built] of names(COMMANDS)) expect(built).toBe(name);
  });
});
