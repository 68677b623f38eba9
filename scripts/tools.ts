// `npm run tools [-- --kubernetes]`: resolve or build the pinned toolchain (also run first by `npm start`, and with
// --kubernetes by `npm test`: the Kubernetes provider plugin and the test cluster's programs).
import { ensureTools } from "../lib/toolchain/resolve";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--kubernetes");
if (unknown.length > 0) {
  console.error(`[tools] unknown argument ${unknown[0]}: the only one is --kubernetes`);
  process.exit(2);
}

ensureTools(args.includes("--kubernetes") ? { kubernetes: "cluster" } : {}).then(
  (t) => console.log(`[tools] ready (pulumi root ${t.pulumiRoot})`),
  (err: Error) => {
    console.error(`[tools] ${err.message}`);
    process.exit(1);
  },
);
