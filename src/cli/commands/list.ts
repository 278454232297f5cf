import { instanceOf } from '../requests.js';
import { entryJson, entryLines } from '../entry-json.js';
import { result, type Runner } from '../output.js';
import type { list } from '../syntax/list.js';

export const run: Runner<typeof list> = async (_args, opts) => {
  const inst = instanceOf(opts);
  const kernel = inst.kernel;
  let entries;
  try {
    entries = kernel.list();
  } finally {
    inst.close();
  }
  const text = entries.length ? entryLines(entries).join('\n') : `(no entries in ${kernel.label})`;
  return result(entries.map(entryJson), text);
};
