// Each resource class owns its secrets (DESIGN.md, "Security rules"): constructed with plaintext secret inputs, as a
// careless caller would pass them, PocoDeployment, PocoContract and LocalNodeProcess still register them as secrets, and
// list the secret outputs in additionalSecretOutputs themselves. Under pulumi.runtime.setMocks (a test double for the
// engine): the registration request is what the real engine would receive.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PocoContract, PocoDeployment } from "../../components/poco/resources";
import { LocalNodeProcess } from "../../components/targets/local/resources";
import { defaultPocoSettings } from "../../render/poco/defaults";
import { installMocks, isSecret, Registered, settle } from "../support/pulumiMocks";

const DEPLOYER_KEY = "0x" + "ab".repeat(32);
const RPC_URL = "https://home.example/?apikey=SECRET-RPC";
const NODE_KEY = "cd".repeat(32);

let registered: Registered[] = [];
/** `additionalSecretOutputs` of each registration request, by resource name. */
const secretOutputs = new Map<string, string[]>();

beforeAll(() => {
  registered = installMocks();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: any): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, callback);
  };
});
beforeEach(() => {
  registered.length = 0;
  secretOutputs.clear();
});

async function registration(resource: pulumi.CustomResource, name: string): Promise<Registered> {
  await new Promise((r) => resource.urn.apply(r));
  await settle();
  const found = registered.find((r) => r.name === name);
  if (!found) throw new Error(`${name} was not registered`);
  return found;
}

describe("each resource class owns its secrets (plaintext in, secret out)", () => {
  it("PocoDeployment: the deployer key and the RPC URL are secret inputs and listed secret outputs, keeping those a caller adds", async () => {
    const { chainId: _, ...settings } = defaultPocoSettings(31415, "0x" + "11".repeat(20), "0x" + "22".repeat(20));
    const deployment = new PocoDeployment("poco-deployment", { rpcUrl: RPC_URL, chainId: 31415, deployerKey: DEPLOYER_KEY, ...settings }, { additionalSecretOutputs: ["observed"] });
    const r = await registration(deployment, "poco-deployment");
    expect(isSecret(r.inputs.deployerKey)).toBe(true);
    expect(isSecret(r.inputs.rpcUrl)).toBe(true);
    expect((r.inputs.deployerKey as { value: string }).value).toBe(DEPLOYER_KEY);
    expect(secretOutputs.get("poco-deployment")).toEqual(expect.arrayContaining(["deployerKey", "rpcUrl", "observed"]));
    expect(isSecret(r.inputs.token)).toBe(false);
  });

  it("PocoContract: no key at all; the RPC URL a secret input and a listed secret output", async () => {
    const contract = new PocoContract("poco-Diamond", { rpcUrl: RPC_URL, chainId: 31415, contract: "Diamond", address: "0x" + "33".repeat(20) });
    const r = await registration(contract, "poco-Diamond");
    expect(r.inputs.deployerKey).toBeUndefined();
    expect(isSecret(r.inputs.rpcUrl)).toBe(true);
    expect(secretOutputs.get("poco-Diamond")).toEqual(expect.arrayContaining(["rpcUrl"]));
    expect(isSecret(r.inputs.contract)).toBe(false);
  });

  it("LocalNodeProcess: secret files (keys, passwords) are a secret input and a listed secret output", async () => {
    const proc = new LocalNodeProcess("alpha", {
      name: "alpha",
      dir: ".work/mock/alpha",
      command: "/opt/geth",
      args: ["--datadir", "data"],
      env: {},
      files: { "config.toml": "[Eth]\n" },
      secretFiles: { nodekey: NODE_KEY, password: "plaintext-password" },
      init: [],
      rpcUrl: ".work/mock/alpha/data/geth.ipc",
      ports: [30400, 30402],
      resetKey: "genesis",
    });
    const r = await registration(proc, "alpha");
    expect(isSecret(r.inputs.secretFiles)).toBe(true);
    expect((r.inputs.secretFiles as { value: Record<string, string> }).value).toEqual({ nodekey: NODE_KEY, password: "plaintext-password" });
    expect(secretOutputs.get("alpha")).toContain("secretFiles");
    // Nothing secret is left in plaintext among the other inputs.
    const plain = JSON.stringify({ ...r.inputs, secretFiles: undefined });
    expect(plain).not.toContain(NODE_KEY);
    expect(plain).not.toContain("plaintext-password");
  });
});
