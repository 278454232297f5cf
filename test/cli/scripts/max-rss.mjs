// Loaded first (node --import) into the CLI by test/cli/path-inputs.test.ts: at
// exit it writes the process's peak resident set (getrusage ru_maxrss, in KiB)
// to the file MAX_RSS_FILE names, so the test can hold each command to a memory bound.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS)));
