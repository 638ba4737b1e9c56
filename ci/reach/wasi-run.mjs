// Runs a wasm32-wasip1 program under Node.js's built-in WASI (preview1), for
// ci/check-cross:
//
//   node --no-warnings ci/reach/wasi-run.mjs PROGRAM.wasm [NAME=value ...]
//
// The program's environment is exactly the NAME=value arguments, none of
// Node's own; its argv is the file name; stdin, stdout and stderr are this
// process's; no folder is preopened. Exits with the program's exit status. A
// trap (a panic that aborts, `unreachable`) or a module that does not load
// prints one `wasi-run:` line on stderr and exits 134, so that it can never
// pass for a refusal (status 1) or a clean run (0).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

const [program, ...assignments] = process.argv.slice(2);
if (!program) {
  process.stderr.write('usage: node wasi-run.mjs PROGRAM.wasm [NAME=value ...]\n');
  process.exit(2);
}
const env = {};
for (const assignment of assignments) {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    process.stderr.write(`wasi-run: not NAME=value: ${JSON.stringify(assignment)}\n`);
    process.exit(2);
  }
  env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
}
try {
  const wasi = new WASI({ version: 'preview1', args: [basename(program)], env, returnOnExit: true });
  const module = await WebAssembly.compile(await readFile(program));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
} catch (error) {
  process.stderr.write(`wasi-run: ${program} trapped or did not load: ${String(error).split('\n')[0]}\n`);
  process.exitCode = 134;
}
