// Rolling changes on the Docker target: each node's first step depends on the node before it, so the engine
// replaces one node at a time (that the engine orders dependsOn-chained deleteBeforeReplace replacements this
// way is shown with the real engine in test/integration/rolling.test.ts). On the local target, which restarts in
// turn by itself, only the sealers stay chained: started at once, each seals a block 1 of its own and the chain
// never moves (components/fleet/Fleet.ts). Under pulumi.runtime.setMocks.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { installMocks, recordRegistrations, Registration, value } from "../support/pulumiMocks";

let requests: Map<string, Registration>;
beforeAll(() => {
  installMocks();
  requests = recordRegistrations();
});
const settle = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

const config = (target: string) =>
  pulumi.runtime.setAllConfig({
    "consortium:name": "acme",
    "consortium:chainId": "31421",
    "consortium:authorities": JSON.stringify(["alpha", "beta", "gamma"].map((name, i) => ({ name, member: `org-${i}` }))),
    "consortium:fleet": JSON.stringify({ target }),
  });

describe("DockerFleet rolling order", () => {
  it("chains every node after the previous one: prepare(n+1) depends on node n", async () => {
    config("docker");
    const out = await consortium();
    await value(out.rpcUrl as pulumi.Output<string>);
    await settle();
    const container = (name: string) => requests.get(`docker:index/container:Container::${name}`)!;
    const urnOf = (name: string) => [...requests.values()].find((r) => r.name === name);
    expect(urnOf("fleet-alpha")).toBeDefined();
    // The members' RPC nodes follow the authorities in the same chain.
    const order = ["alpha", "beta", "gamma", "rpc-org-0", "rpc-org-1", "rpc-org-2"];
    expect(container("fleet-alpha-prepare").dependencies.some((d) => /::fleet-rpc-org-\d$/.test(d))).toBe(false);
    for (let i = 1; i < order.length; i++) {
      const deps = container(`fleet-${order[i]}-prepare`).dependencies;
      expect(deps.filter((d) => /Container::fleet-[a-z0-9-]+$/.test(d) && !/-(prepare|init)$/.test(d)), order[i]).toEqual([expect.stringMatching(new RegExp(`::fleet-${order[i - 1]}$`))]);
    }
  });
});

describe("local fleet start order", () => {
  it("starts each sealer after the one before it, and the RPC nodes without waiting for each other", async () => {
    requests.clear();
    config("local");
    const out = await consortium();
    await value(out.rpcUrl as pulumi.Output<string>);
    await settle();
    const processDeps = (name: string) => {
      const r = requests.get(`pulumi-nodejs:dynamic/fleet:LocalNodeProcess::fleet-${name}`);
      expect(r, name).toBeDefined();
      return r!.dependencies.filter((d) => d.includes("fleet:LocalNodeProcess::"));
    };
    expect(processDeps("alpha")).toEqual([]);
    expect(processDeps("beta")).toEqual([expect.stringMatching(/::fleet-alpha$/)]);
    expect(processDeps("gamma")).toEqual([expect.stringMatching(/::fleet-beta$/)]);
    for (const rpc of ["rpc-org-0", "rpc-org-1", "rpc-org-2"]) expect(processDeps(rpc), rpc).toEqual([]);
  });
});
