// The example consortium of the docs (docs/examples/acme: three members, one Docker host each, bridge to mainnet,
// PoCo) is valid configuration and previews under pulumi.runtime.setMocks (a test double for the engine: the Docker
// provider plugin cannot be installed here): one node and one bridge agent per member host, PoCo declared, every
// contract role handed to the configured multisigs, and the deployer key never in plaintext.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { parseConsortiumSpec } from "../../settings/parse";
import { readConsortiumConfig, readSecretSettings } from "../../program/config";
import { installMocks, Registered, runProgram, SECRET_SIG, setConsortiumConfig } from "../support/pulumiMocks";

const EXAMPLE = join(__dirname, "..", "..", "docs", "examples", "acme", "Pulumi.prod.yaml");
const DEPLOYER_KEY = "0x" + "7d".repeat(32);
/** What the example's header tells each member to set as a secret. */
const BRIDGE_ENDPOINTS = { alpha: { foreign: "https://eth.org-a.example/KEY-A" }, beta: { foreign: "https://eth.org-b.example/KEY-B" }, gamma: { foreign: "https://eth.org-c.example/KEY-C" } };

/** The example's `consortium:` settings, without the namespace. */
function exampleConfig(): Record<string, unknown> {
  const config = parse(readFileSync(EXAMPLE, "utf8")).config as Record<string, unknown>;
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^consortium:/, ""), v]));
}

describe("example consortium docs/examples/acme (mocks)", () => {
  let registered: Registered[];
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    registered = installMocks();
    setConsortiumConfig(exampleConfig(), { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS) });
    outputs = await runProgram(consortium);
  });

  it("is valid configuration, without the secret deployer key among the spec's settings", () => {
    const spec = parseConsortiumSpec(readConsortiumConfig(), readSecretSettings());
    expect(spec.fleet.target).toBe("docker");
    expect(spec.bridge?.threshold).toBe(2);
    expect(spec.poco?.admin).toBe("0x3333333333333333333333333333333333333333");
    expect(JSON.stringify(spec, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(DEPLOYER_KEY.slice(2));
  });

  it("runs each member's node and bridge agent on that member's Docker host", () => {
    const containers = registered.filter((r) => r.type === "docker:index/container:Container").map((r) => r.name);
    for (const name of ["alpha", "beta", "gamma"]) {
      expect(containers.some((c) => c.includes(name) && !c.includes("agent"))).toBe(true);
      expect(containers.some((c) => c.includes("agent") && c.includes(name))).toBe(true);
    }
    const providers = registered.filter((r) => r.type === "pulumi:providers:docker").map((r) => r.inputs.host);
    for (const org of ["org-a", "org-b", "org-c"]) expect(providers).toContain(`ssh://deploy@node.${org}.example`);
  });

  it("deploys the bridge and PoCo with every role handed to the configured multisigs", () => {
    const contracts = registered.filter((r) => r.type.endsWith("bridge:BridgeContract"));
    expect(contracts.map((c) => c.inputs.kind).sort()).toEqual(["foreignVault", "homeGateway", "validatorSet", "validatorSet"]);
    const vault = contracts.find((c) => c.inputs.kind === "foreignVault")!;
    expect(vault.inputs.roles).toEqual({
      owner: ["0x3333333333333333333333333333333333333333"],
      pauser: ["0x4444444444444444444444444444444444444444"],
      limitsManager: ["0x6666666666666666666666666666666666666666"],
      whitelistManager: ["0x5555555555555555555555555555555555555555"],
    });
    // The vault locks the configured mainnet RLC: no dev token is deployed.
    const [deployment] = registered.filter((r) => r.type.endsWith("bridge:BridgeDeployment"));
    expect(deployment.inputs.foreignToken).toBe("0x607F4C5BB672230e8672085532f7e901544a7375");
    expect(registered.some((r) => r.type === "consortium:poco:PocoStack")).toBe(true);
    expect(outputs.chainJson).toBeDefined();
  });

  it("never carries the deployer key or an endpoint's key in plaintext", () => {
    for (const r of registered) {
      const plain = JSON.stringify(r.inputs, (_k, v) => (v && typeof v === "object" && SECRET_SIG in v ? "[secret]" : v));
      expect(plain).not.toContain(DEPLOYER_KEY.slice(2));
      expect(plain).not.toMatch(/KEY-[ABC]/);
    }
  });
});
