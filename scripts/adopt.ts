// `npm run adopt -- -s <stack>`: moves a stack of the per-folder layout (`consortium-<consortium>/<stack>`) into the
// root project with its keys, contracts and nodes (lib/cli/legacy.ts), then previews it there and prints what the
// next `up` would change — nothing, for a stack the deployer brought up in that layout. Changes nothing in the world.
import { stackArg } from "../lib/cli/args";
import { PROJECT_DIR, projectName } from "../lib/cli/env";
import { adoptLegacyStack } from "../lib/cli/legacy";
import { legacyStacks } from "../lib/cli/legacyStacks";
import { openStack } from "../lib/cli/workspace";

async function main(): Promise<void> {
  const name = stackArg(process.argv.slice(2));
  const legacy = legacyStacks();
  if (!name) throw new Error(`which stack? npm run adopt -- -s <stack> (per-folder layout stacks: ${legacy.map((l) => `${l.project}/${l.stack}`).join(", ") || "none"})`);
  const matches = legacy.filter((l) => l.stack === name);
  if (matches.length === 0) throw new Error(`the backend holds no per-folder layout stack named ${name} (consortium-<consortium>/${name}): nothing to adopt`);
  if (matches.length > 1) throw new Error(`${matches.map((l) => `${l.project}/${l.stack}`).join(" and ")} share the name ${name}: one stack name per consortium; tear one down (npm run down -- -s ${name}) or rename it in its own folder`);
  const config = await adoptLegacyStack(matches[0]);
  console.log(`[adopt] ${matches[0].project}/${name} is now ${projectName()}/${name}, configured by ${config}.`);
  const preview = await openStack({ stack: name, projectDir: PROJECT_DIR });
  const { changeSummary } = await preview.preview({ color: "never" });
  const changes = Object.entries(changeSummary ?? {}).filter(([op, n]) => op !== "same" && n > 0);
  console.log(
    changes.length === 0
      ? `[adopt] preview: no changes; \`npm run pulumi -- up -s ${name}\` finds every resource where it was.`
      : `[adopt] preview: ${changes.map(([op, n]) => `${n} to ${op}`).join(", ")} — review with \`npm run pulumi -- preview --diff -s ${name}\` before \`up\`.`,
  );
}

main().catch((err: Error) => {
  console.error(`[adopt] ${err.message}`);
  process.exit(1);
});
