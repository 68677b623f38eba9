// `npm run drift -- -s <stack> [--json]`: fails (exit 1) when code, state and the world disagree; prints a short
// report, or JSON for machines. Read-only: it never changes the stack or the world.
import { checkDrift } from "../lib/drift/check";
import { formatReport } from "../lib/drift/report";
import { hasFlag, stackArg } from "../lib/cli/args";
import { DEV_STACK, projectDirFor } from "../lib/cli/env";
import { openCliStack } from "../lib/cli/cliStack";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const json = hasFlag(argv, "--json");
  const stack = await openCliStack({ stack: name, projectDir: projectDirFor(name) }, { create: false });
  const findings = await checkDrift(stack);
  console.log(json ? JSON.stringify({ stack: name, drift: findings.length > 0, findings }, null, 2) : formatReport(name, findings));
  return findings.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[drift] ${err.message}`);
    process.exit(2);
  },
);
