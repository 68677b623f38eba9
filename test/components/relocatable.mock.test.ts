// Nothing the program declares names the checkout it runs from (lib/project.ts): the dev stack's own configuration
// (stacks/Pulumi.dev.yaml: local fleet, bridge with its agents and foreign dev chain, PoCo) under
// pulumi.runtime.setMocks, a test double for the engine that records every resource with its inputs, the text that
// finds each dynamic provider (`__provider`, components/projectResource.ts) included. The real engine does the same
// across two clones in test/integration/relocation.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { PACKAGE_PATH_PREFIX } from "../../lib/project";
import { installMocks, Registered, runProgram, setConsortiumConfig } from "../support/pulumiMocks";

const CHECKOUT = join(__dirname, "..", "..");
const devConfig = (): Record<string, unknown> => {
  const raw = (parse(readFileSync(join(CHECKOUT, "stacks", "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^consortium:/, ""), v]));
};

let registered: Registered[] = [];
beforeAll(() => {
  registered = installMocks();
});
beforeEach(() => {
  registered.length = 0;
});

const dynamic = () => registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
const ofType = (suffix: string) => registered.filter((r) => r.type.endsWith(suffix));

describe("the state names no checkout (dev stack configuration, mocks)", () => {
  it("declares no input, provider text or output holding the checkout's path", async () => {
    expect(process.cwd()).toBe(CHECKOUT); // the program's working directory: the project folder
    setConsortiumConfig(devConfig());
    const out = await runProgram(consortium);
    // Every kind of dynamic resource of a dev stack is there: keys, port blocks, processes, contracts, PoCo.
    const kinds = new Set(dynamic().map((r) => r.type.replace("pulumi-nodejs:dynamic/", "")));
    for (const kind of ["keys:GeneratedKey", "fleet:PortBlock", "fleet:LocalNodeProcess", "bridge:BridgeContract", "bridge:BridgeDeployment", "bridge:DevFunding", "poco:PocoContract", "poco:PocoDeployment"]) {
      expect(kinds, kind).toContain(kind);
    }
    for (const r of dynamic()) {
      const provider = r.inputs.__provider as string;
      // The provider is found at run time from the working directory, in the build, by a path relative to the project.
      expect(provider, r.name).toContain("projectRoot()");
      expect(provider, r.name).toMatch(/"dist\/components\/[\w/]+\.js"/);
      expect(provider, r.name).not.toContain(CHECKOUT);
      expect(provider, r.name).not.toMatch(/__dirname/);
    }
    expect(JSON.stringify(registered.map((r) => r.inputs))).not.toContain(CHECKOUT);
    expect(JSON.stringify(out)).not.toContain(CHECKOUT);
  });

  it("keeps the default work dir relative to the project folder, and the agents' code a package path", async () => {
    setConsortiumConfig(devConfig());
    const out = await runProgram(consortium);
    expect(out.workDir).toBe(".work/mock");
    const dirs = ofType("fleet:LocalNodeProcess").map((r) => r.inputs.dir as string);
    expect(dirs.length).toBeGreaterThan(6);
    for (const d of dirs) expect(d).toMatch(/^\.work\/mock\/[a-z0-9-]+$/);
    for (const block of ofType("fleet:PortBlock")) expect(block.inputs.holderDir).toBe(".work/mock");
    const alpha = (out.nodes as { name: string; ipcPath?: string }[]).find((n) => n.name === "alpha")!;
    expect(alpha.ipcPath).toBe(".work/mock/alpha/data/geth.ipc");
    const agents = ofType("fleet:LocalNodeProcess").filter((r) => r.name.includes("-agent-"));
    expect(agents).toHaveLength(3);
    for (const a of agents) expect((a.inputs.args as string[])[0]).toBe(`${PACKAGE_PATH_PREFIX}dist/agent/main.js`);
  });

  it("keeps an operator's absolute work dir as given", async () => {
    const config = devConfig();
    setConsortiumConfig({ ...config, fleet: { ...(config.fleet as object), workDir: "/var/lib/consortium/dev" } });
    const out = await runProgram(consortium);
    expect(out.workDir).toBe("/var/lib/consortium/dev");
    for (const r of ofType("fleet:LocalNodeProcess")) expect(r.inputs.dir).toMatch(/^\/var\/lib\/consortium\/dev\//);
  });
});
