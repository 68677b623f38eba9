#!/usr/bin/env node
// `consortium <command> [arguments]` (package.json "bin"): the one entry point of the commands, which every
// `npm run <command>` also runs. It installs missing npm dependencies, brings dist/ up to date (a few milliseconds when
// nothing changed: scripts/build.mjs), then runs the command's compiled module in this same process — no second npm
// or build step per command. Plain JS: it runs before anything is compiled.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await import("../scripts/ensure-deps.mjs");
const { build } = await import("../scripts/build.mjs");
try {
  const pruned = await build();
  if (pruned.length) console.error(`[build] removed ${pruned.length} compiled file(s) whose source is gone`);
} catch (e) {
  console.error(e?.message ?? e);
  console.error("[build] failed: fix the error above (npm run build shows the same)");
  process.exit(1);
}

const require = createRequire(import.meta.url);
const { COMMANDS, overview, commandHelp } = require(join(root, "dist", "lib", "cli", "commands.js"));
const [name, ...args] = process.argv.slice(2);
const isHelp = (a) => a === "--help" || a === "-h";

if (name === undefined || isHelp(name)) {
  console.log(overview());
  process.exit(0);
}
if (name === "help") {
  const topic = args[0];
  console.log(topic && Object.hasOwn(COMMANDS, topic) ? commandHelp(topic) : overview());
  process.exit(topic && !Object.hasOwn(COMMANDS, topic) ? 2 : 0);
}
if (!Object.hasOwn(COMMANDS, name)) {
  console.error(`consortium: unknown command "${name}"\n\n${overview()}`);
  process.exit(2);
}
const command = COMMANDS[name];
if (!command.passthrough && args.some(isHelp)) {
  console.log(commandHelp(name));
  process.exit(0);
}
// The command's module reads its arguments from process.argv.slice(2), as when run on its own.
const module = join(root, "dist", command.module);
process.argv = [process.argv[0], module, ...args];
require(module);
