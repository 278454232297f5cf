// The CLI proper, bundled as dist/cli/program.cjs (commander, the command
// table and main): the `binfmt` launcher (src/cli/bin.ts) requires it.
import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
