// node wasm-call.mjs <module.wasm> <export>...: instantiates a module that
// imports nothing (wasm32-unknown-unknown) and prints `name=value` for each
// exported function called with no arguments.
import { readFileSync } from "node:fs";

const [file, ...names] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
for (const name of names) {
  const f = instance.exports[name];
  if (typeof f !== "function") {
    console.error(`wasm-call: ${file} exports no function ${name}`);
    process.exit(2);
  }
  console.log(`${name}=${f()}`);
}
