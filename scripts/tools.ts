// `npm run tools`: resolve or build the pinned toolchain (also run first by `npm start` and `npm test`).
import { ensureTools } from "../lib/toolchain/resolve";

ensureTools().then(
  (t) => console.log(`[tools] ready (pulumi root ${t.pulumiRoot})`),
  (err: Error) => {
    console.error(`[tools] ${err.message}`);
    process.exit(1);
  },
);
