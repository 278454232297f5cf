/**
 * Transcripts in docs/*.md: a ```console block whose first line is
 * `# sandbox` (run in a fresh private binfmt_misc), `# host` (no kernel
 * changes) or `# podman` (as the ordinary test user, with rootless podman;
 * kernel changes only inside containers) holds `$ command` lines, each followed by its expected output
 * (stdout and stderr together), and `[exit N]` when the exit status is not 0.
 * `binfmt` in a command is the installed package's (see transcripts.test.ts).
 */
export interface Step {
  command: string;
  expected: string;
}

export type Mode = 'sandbox' | 'host' | 'podman';
const MODES: Record<string, Mode> = { '# sandbox': 'sandbox', '# host': 'host', '# podman': 'podman' };

export interface Transcript {
  file: string;
  line: number;
  /** Index among this page's transcripts. */
  index: number;
  mode: Mode;
  steps: Step[];
}

export function transcriptsOf(file: string, markdown: string): Transcript[] {
  const out: Transcript[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```console') continue;
    const mode = MODES[lines[i + 1]?.trim() ?? ''];
    if (!mode) continue;
    const t: Transcript = { file, line: i + 1, index: out.length, mode, steps: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j] !== '```'; j++) {
      const l = lines[j]!;
      if (l.startsWith('$ ')) t.steps.push({ command: l.slice(2), expected: '' });
      else if (t.steps.length) t.steps[t.steps.length - 1]!.expected += l + '\n';
    }
    out.push(t);
    i = j;
  }
  return out;
}

const MARK = '@@binfmt-transcript@@';

/**
 * One bash script that runs every step in DIR and fences each step's output.
 * `binfmt` is whatever PATH finds first (the installed package's bin);
 * `prelude` lines (a mode's own setup) run before it changes to DIR.
 */
export function scriptOf(t: Transcript, where: { bin: string; dir: string }, prelude: string[] = []): string {
  const parts = [`export PATH=${where.bin}:$PATH`, ...prelude, `cd ${where.dir}`];
  t.steps.forEach((s, i) => parts.push(`echo "${MARK} ${i}"`, `{ ${s.command}\n} 2>&1`, `echo "${MARK} exit $?"`));
  return parts.join('\n') + '\n';
}

/** The output each step produced, in the transcript's own notation. */
export function actualOf(output: string): string[] {
  const steps: string[] = [];
  let cur: string[] | null = null;
  for (const l of output.split('\n')) {
    if (l.startsWith(`${MARK} exit `)) {
      const code = Number(l.slice(`${MARK} exit `.length));
      if (cur) steps.push(cur.join('\n') + (cur.length ? '\n' : '') + (code ? `[exit ${code}]\n` : ''));
      cur = null;
    } else if (l.startsWith(MARK)) {
      cur = [];
    } else if (cur) {
      cur.push(l);
    }
  }
  return steps;
}
