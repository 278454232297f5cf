import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { entryJson, entryLine } from '../entry-json.js';
import { result, type Runner } from '../output.js';

export const run: Runner = async (_args, opts) => {
  const kernel = new BinfmtMisc(opts.mount);
  const entries = kernel.list();
  const text = entries.length ? entries.map(entryLine).join('\n') : `(no entries in ${kernel.mount})`;
  return result(entries.map(entryJson), text);
};
