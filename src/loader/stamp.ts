/**
 * `binfmt loader stamp`: writes a configured copy of the built loader. One
 * copy = one self-contained interpreter file for one registration. The uses
 * of the loader (register host-runtime, slulb, exec) build on stampLoader().
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option, plainText } from '../core/fix.js';
import type { LoaderPolicy } from '../core/loader-directive.js';
import { checkLdso } from '../elf/ldso-check.js';
import { writeFileAtomic } from '../sys/atomic-write.js';
import { UNSET_CONFIG, type LoaderConfig } from './config-area.js';
import { inspectImage, readFileOrThrow } from './inspect.js';
import { locateLoader } from './locate.js';
import { stampedImage } from './stamp-image.js';

export interface StampOptions extends LoaderPolicy {
  /** Where to write the copy. */
  out: string;
  /** Whether ld.so takes --argv0; detected from the ld.so file when not given. */
  argv0?: boolean;
  /**
   * The flags of the binfmt_misc entry the copy serves (letters of POCF).
   * With P the copy reads argv[0] from argv[2] even where AT_FLAGS does not
   * say P (Linux before 5.12); such a copy must then serve only P entries.
   */
  entryFlags?: string;
  /** The loader to copy (default: the built one). */
  loader?: string;
  dryRun?: boolean;
}

export interface StampResult {
  out: string;
  loader: string;
  size: number;
  config: LoaderConfig;
  written: boolean;
  warnings: string[];
}

/** `p`, given as the option logically named `name`, unless it is relative. */
function absolute(p: string, name: string): string {
  if (!isAbsolute(p))
    throw new BinfmtError(
      'EINVAL',
      [option(name), `: ${p}: must be an absolute path (the loader runs in any directory)`],
      option(name),
    );
  return p;
}

function planConfig(o: StampOptions, warnings: string[]): { config: LoaderConfig; embed: Uint8Array | null } {
  if (!o.out) throw new BinfmtError('EUSAGE', ['stamp: ', option('out', 'FILE'), ' is required'], option('out'));
  const chosen = [o.ld !== undefined, o.embedLd !== undefined, o.ldFromProgram === true].filter(Boolean).length;
  if (chosen !== 1)
    throw new BinfmtError(
      'EUSAGE',
      [
        'stamp: give exactly one of ',
        option('ld', 'PATH'),
        ', ',
        option('embedLd', 'PATH'),
        ', ',
        option('ldFromProgram'),
      ],
      option('ld'),
    );
  if (o.root !== undefined && !o.ldFromProgram)
    throw new BinfmtError(
      'EUSAGE',
      ['stamp: ', option('root'), ' only goes with ', option('ldFromProgram')],
      option('root'),
    );
  const config: LoaderConfig = {
    ...UNSET_CONFIG,
    inhibitCache: o.inhibitCache === true,
    libraryPath: o.libraryPath ?? '',
  };
  if (o.libraryPath !== undefined && o.libraryPath.split(':').some((d) => !isAbsolute(d))) {
    throw new BinfmtError(
      'EINVAL',
      [option('libraryPath'), `: ${o.libraryPath}: every directory must be absolute`],
      option('libraryPath'),
    );
  }
  let embed: Uint8Array | null = null;
  if (o.ld !== undefined) {
    config.policy = 'fixed';
    config.ldPath = absolute(o.ld, 'ld');
    if (existsSync(o.ld)) config.argv0 = checkLdso(readFileOrThrow(o.ld, option('ld')), o.ld).argv0;
    else {
      warnings.push(plainText([option('ld'), `: ${o.ld} does not exist here; it must exist where the programs run`]));
      config.argv0 = true;
    }
  } else if (o.embedLd !== undefined) {
    config.policy = 'embedded';
    embed = readFileOrThrow(o.embedLd, option('embedLd'));
    config.argv0 = checkLdso(embed, o.embedLd).argv0;
    config.ldPath = resolve(o.embedLd);
  } else {
    config.policy = 'from-program';
    config.argv0 = true;
    if (o.root !== undefined) {
      config.root = absolute(o.root, 'root');
    }
  }
  if (o.argv0 !== undefined) config.argv0 = o.argv0;
  if (o.entryFlags !== undefined) {
    if (!/^[POCF]*$/.test(o.entryFlags)) {
      throw new BinfmtError(
        'EINVAL',
        [option('entryFlags'), `: ${JSON.stringify(o.entryFlags)}: only the flag letters P, O, C, F`],
        option('entryFlags'),
      );
    }
    // C implies O in the kernel; only P changes what the loader reads.
    config.entryP = o.entryFlags.includes('P');
  }
  return { config, embed };
}

export function stampLoader(o: StampOptions): StampResult {
  const warnings: string[] = [];
  const loader = o.loader ?? locateLoader();
  const { config, embed } = planConfig(o, warnings);
  const image = stampedImage(readFileOrThrow(loader, 'loader'), config, embed, o.embedLd);
  const out = resolve(o.out);
  if (!o.dryRun) {
    if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
      throw new BinfmtError('ENOENT', [option('out'), `: ${dirname(out)}: no such directory`], option('out'));
    }
    // A new inode (written beside, renamed over): a copy registered with F keeps running the old one.
    writeFileAtomic(out, image, 0o755);
  }
  return { out, loader, size: image.length, config: inspectImage(image, out), written: !o.dryRun, warnings };
}
