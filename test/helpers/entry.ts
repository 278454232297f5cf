/** Entries for table tests, written as the register strings they come from. */
import type { Entry } from '../../src/core/entry.js';
import { parseRegister } from '../../src/core/register-parse.js';

/**
 * The entry `line` registers, or a failed test naming the first diagnostic.
 * `enabled` as a read-back has it; left out, the entry has none (as registered).
 */
export function entry(line: string, enabled?: boolean): Entry {
  const r = parseRegister(line);
  if (!r.ok) throw new Error(`${line}: ${r.diagnostics[0]?.message ?? 'refused'}`);
  return enabled === undefined ? r.entry : { ...r.entry, enabled };
}
