import { BinfmtError } from '../../core/binfmt-error.js';
import { formatRegister } from '../../core/register-format.js';
import { toHex } from '../../core/entry.js';
import { instanceOf } from '../requests.js';
import { entryJson } from '../entry-json.js';
import { result, type Runner } from '../output.js';
import type { show } from '../syntax/show.js';

export const run: Runner<typeof show> = async (args, opts) => {
  const [name] = args;
  const inst = instanceOf(opts);
  const kernel = inst.kernel;
  let e;
  try {
    if (!kernel.has(name)) throw new BinfmtError('ENOENT', `no binfmt_misc entry '${name}' in ${kernel.label}`, 'name');
    e = kernel.read(name);
  } finally {
    inst.close();
  }
  const lines = [
    `name         ${e.name}`,
    `state        ${e.enabled === false ? 'disabled' : 'enabled'}`,
    `type         ${e.type}`,
    ...(e.type === 'magic'
      ? [
          `offset       ${e.offset}`,
          `magic        ${toHex(e.magic)}`,
          `mask         ${toHex(e.mask) ?? '(none: every bit compared)'}`,
        ]
      : [`extension    .${e.extension}`]),
    `interpreter  ${e.interpreter}`,
    `flags        ${e.flags || '(none)'}`,
    `register     ${formatRegister(e)}`,
  ];
  return result({ ...entryJson(e), register: formatRegister(e) }, lines.join('\n'));
};
