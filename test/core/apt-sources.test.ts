import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { codenameOf, mirrorFromAptSources } from '../../src/core/apt-sources.js';

describe('the Debian mirror from apt sources', () => {
  it('takes the first deb line of the release itself, skipping deb-src, options, -security and comments', () => {
    const text = [
      '# deb http://old.example/debian bookworm main',
      'deb-src http://src.example/debian bookworm main',
      'deb http://sec.example/debian-security bookworm-security main',
      'deb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main',
      'deb http://later.example/debian bookworm main',
    ].join('\n');
    expect(mirrorFromAptSources([{ path: '/etc/apt/sources.list', text }], 'bookworm')).toBe('http://m.example/debian');
  });

  it('reads deb822 .sources paragraphs', () => {
    const text = [
      'Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\nComponents: main',
      'Types: deb\nURIs: http://m.example/debian\nSuites: bookworm bookworm-updates\nComponents: main',
    ].join('\n\n');
    expect(mirrorFromAptSources([{ path: '/etc/apt/sources.list.d/debian.sources', text }], 'bookworm')).toBe(
      'http://m.example/debian',
    );
  });

  it('is null when no source names the release', () => {
    expect(
      mirrorFromAptSources([{ path: 'x.list', text: 'deb http://m.example/debian trixie main\n' }], 'bookworm'),
    ).toBeNull();
  });

  it("finds this machine's mirror", () => {
    const codename = codenameOf(readFileSync('/etc/os-release', 'utf8'))!;
    const files = [
      { path: '/etc/apt/sources.list', text: safeRead('/etc/apt/sources.list') },
      ...safeList('/etc/apt/sources.list.d').map((n) => ({ path: n, text: safeRead(n) })),
    ];
    expect(mirrorFromAptSources(files, codename)).toMatch(/^https?:\/\//);
  });

  it('reads VERSION_CODENAME, quoted or not', () => {
    expect(codenameOf('NAME="Debian"\nVERSION_CODENAME=bookworm\n')).toBe('bookworm');
    expect(codenameOf('VERSION_CODENAME="trixie"\n')).toBe('trixie');
    expect(codenameOf('NAME=x\n')).toBeNull();
  });
});

function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
function safeList(d: string): string[] {
  try {
    return readdirSync(d).map((n) => `${d}/${n}`);
  } catch {
    return [];
  }
}
