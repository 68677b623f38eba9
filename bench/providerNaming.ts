// Run by bench/commands.ts in a process of its own, as our language host starts (the SDK's unused packages deferred):
// gives every dynamic provider of the project to the engine the way a program does — `named` as our resources do
// (components/projectResource.ts providerSource), `serialised` as `pulumi.dynamic.Resource` did (the SDK's
// serializeFunction of each provider, once per provider object) — and leaves.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ProjectProvider, providerSource } from "../components/projectResource";
import { isProjectProvider, providerModules } from "../testkit/providerModules";

const DIST = join(__dirname, "..");

/** Every provider reference the build's components declare. */
function references(): ProjectProvider[] {
  return providerModules(join(DIST, "components"), ".js").flatMap((path) => Object.values(require(path) as Record<string, unknown>).filter(isProjectProvider));
}

async function main(how: string): Promise<void> {
  const refs = references();
  if (refs.length === 0) throw new Error(`no provider references under ${DIST}/components`);
  if (how === "named") {
    for (const ref of refs) providerSource(ref);
  } else if (how === "serialised") {
    for (const ref of refs) {
      const provider = (require(join(DIST, `${ref.module}.js`)) as Record<string, unknown>)[ref.name];
      await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    }
  } else {
    throw new Error(`usage: providerNaming.js named|serialised (got ${how})`);
  }
}

main(process.argv[2] ?? "").catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
