/**
 * Help that leads somewhere for an installed user: man pages, not paths in
 * the source tree; `register --help` names the definitions binfmt ships.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT } from '../helpers/sandbox.js';
import { COMMANDS } from '../../src/cli/commands.js';

const paths = COMMANDS.flatMap((c) => (c.subcommands ? c.subcommands.map((s) => [c.name, s.name]) : [[c.name]]));

describe('--help', () => {
  it('points at man pages, never at docs/', () => {
    for (const p of [[], ...paths]) {
      const r = cli([...p, '--help']);
      expect(r.status, p.join(' ')).toBe(0);
      expect(r.stdout, p.join(' ')).not.toContain('docs/');
    }
    expect(cli(['list', '--help']).stdout).toContain('print the result as JSON (its shape: man binfmt-list)');
    expect(cli(['loader', 'stamp', '--help']).stdout).toMatch(/its shape: man\s+binfmt-loader-cli/);
  });

  it('register --help lists the shipped definitions', () => {
    const shipped = readdirSync(join(ROOT, 'binfmt')).map((f) => f.replace(/\.conf$/, ''));
    const help = cli(['register', '--help']).stdout;
    const listed = help.slice(help.indexOf('Shipped definitions')).split('\n');
    for (const name of shipped)
      expect(
        listed.some((l) => l.startsWith(`  ${name}  `)),
        name,
      ).toBe(true);
    expect(help).toContain('slulb         run SLUL programs, by extension .slulb\n');
    expect(help).toContain('See man binfmt-register.');
  });
});
