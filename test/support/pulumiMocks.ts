// pulumi.runtime.setMocks for the program and its components: a test double for the engine that records every
// declared resource and answers with plausible outputs (real secp256k1 keys, so addresses derive as in production).
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { computeAddress, SigningKey } from "ethers";
import { createHash, randomBytes } from "node:crypto";
import { CONTRACTS } from "../../lib/poco/plan";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const hex = (n: number) => "0x" + randomBytes(n).toString("hex");
const randomAddress = () => computeAddress(new SigningKey(hex(32)).publicKey);
/** The image id the mocked Docker provider gives an image reference. */
export const imageId = (name: string) => "sha256:" + createHash("sha256").update(name).digest("hex");

function mockOutputs(type: string, inputs: Record<string, any>): Record<string, any> {
  if (type.endsWith("keys:GeneratedKey")) {
    const privateKey = hex(32);
    const key = new SigningKey(privateKey);
    switch (inputs.kind) {
      case "signer": {
        const address = computeAddress(key.publicKey);
        return { ...inputs, address, keystore: JSON.stringify({ version: 3, address: address.slice(2).toLowerCase() }), password: "mock-password-" + hex(8) };
      }
      case "node":
        return { ...inputs, publicKey: key.publicKey.slice(4), privateKey };
      case "apiKey":
        return { ...inputs, token: "mock-api-key-" + hex(16) };
      default:
        return { ...inputs, address: computeAddress(key.publicKey), privateKey };
    }
  }
  if (type.endsWith("fleet:PortBlock")) return { ...inputs, base: 30400, size: 100 };
  if (type.endsWith("fleet:LocalNodeProcess")) return { ...inputs, pid: 1, running: true, digests: {} };
  if (type === "docker:index/remoteImage:RemoteImage") return { ...inputs, imageId: imageId(inputs.name) };
  if (type.endsWith("bridge:BridgeContract")) return { ...inputs, deployBlock: inputs.deployBlock ?? 7, codeHash: hex(32), createdToken: inputs.kind === "homeGateway" ? randomAddress() : undefined };
  // The provider keeps its inputs without the funder's key.
  if (type.endsWith("bridge:DevFunding")) return { rpcUrl: inputs.rpcUrl, chainId: inputs.chainId, to: inputs.to, minimumWei: inputs.minimumWei };
  // PoCo's and the registration's providers never return the deployer's key; a host's wallet files stay inputs only.
  const { deployerKey: _key, files: _files, ...kept } = inputs;
  if (type.endsWith("bridge:BridgeDeployment")) {
    const contracts = Object.fromEntries(["foreignToken", "foreignSet", "vault", "homeSet", "gateway", "homeToken"].map((c) => [c, randomAddress()]));
    if (inputs.foreignToken) contracts.foreignToken = inputs.foreignToken;
    return { ...kept, contracts, deployBlocks: { foreignSet: 7, vault: 7, homeSet: 7, gateway: 7 }, boundGateway: contracts.gateway, missing: [] };
  }
  if (type.endsWith("poco:PocoContract")) return { ...kept, codeHash: hex(32) };
  if (type.endsWith("poco:PocoDeployment")) return { ...kept, contracts: Object.fromEntries(CONTRACTS.map((c) => [c, randomAddress()])), observed: {}, problems: [] };
  if (type.endsWith("workerpool:WorkerpoolRegistration")) return { ...kept, address: randomAddress(), registered: true, ownerOnChain: inputs.owner };
  if (type.endsWith("workerpool:SshWorkerHost")) return { ...kept, fileDigests: {}, kataSha256: hex(32).slice(2), daemonJsonDigest: hex(32).slice(2), observed: { containers: {} } };
  return inputs;
}

/** Installs the mocks (as for `pulumi preview` when `preview`); the returned array collects what is declared (clear it between tests). */
export function installMocks(preview = false): Registered[] {
  // The local target's program names the geth binary: a fixed path, not a build this machine may not have (put back
  // after the file by test/support/strictSetup.ts).
  vi.stubEnv("CONSORTIUM_GETH", "/opt/geth");
  const registered: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        // PoCo's deployment is identified by the Diamond, as its real provider does.
        const state = mockOutputs(args.type, args.inputs);
        const id = args.type.endsWith("poco:PocoDeployment") ? state.contracts.Diamond : `${args.name}-id`;
        return { id, state };
      },
      call: (args) => args.inputs,
    },
    "consortium-mock",
    "mock",
    preview,
  );
  return registered;
}

export const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** Whether a mocked input is a secret (the engine receives it wrapped). */
export const isSecret = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && SECRET_SIG in v;
/** Inputs with every secret replaced by a placeholder: what is visible in plaintext. */
export const visible = (v: unknown): unknown =>
  isSecret(v) ? "[secret]" : Array.isArray(v) ? v.map(visible) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visible(x)])) : v;
/** The SDK's own wait for outstanding resource registrations (internal, but the only way to observe them all). */
export const settle = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

/** What the engine is asked for each resource, beyond its inputs (recorded by wrapping the mock monitor). */
export interface Registration {
  type: string;
  name: string;
  parent: string;
  provider: string;
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  dependencies: string[];
  /** The resource's aliases as the engine gets them: URNs, or name/type specs (as `<type>::<name>`). */
  aliases: string[];
}

function aliasesOf(req: any): string[] {
  const specs = (req.getAliasesList?.() ?? []).map((a: any) => a.getSpec?.()).filter(Boolean);
  return [...(req.getAliasurnsList?.() ?? []), ...specs.map((s: any) => `${s.getType()}::${s.getName()}`)];
}

/** Records registration requests (call after installMocks); returns them by `<type>::<name>`. */
export function recordRegistrations(): Map<string, Registration> {
  const requests = new Map<string, Registration>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: any): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    requests.set(`${req.getType()}::${req.getName()}`, {
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent(),
      provider: req.getProvider(),
      retainOnDelete: req.hasRetainondelete() && req.getRetainondelete(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      dependencies: req.getDependenciesList(),
      aliases: aliasesOf(req),
    });
    return register(req, callback);
  };
  return requests;
}

/** Sets the `consortium:` configuration as the engine passes it to a program; `secrets` become secret config. */
export function setConsortiumConfig(raw: Record<string, unknown>, secrets: Record<string, string> = {}): void {
  const key = (k: string) => `consortium:${k}`;
  const config = Object.fromEntries(Object.entries({ ...raw, ...secrets }).map(([k, v]) => [key(k), typeof v === "string" ? v : JSON.stringify(v)]));
  pulumi.runtime.setAllConfig(config, Object.keys(secrets).map(key));
}

/** The one resource of `type` named `name` among those registered, or an error listing that type's names. */
export function registeredOne(registered: readonly Registered[], type: string, name: string): Registered {
  const r = registered.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} named ${name}; have ${registered.filter((x) => x.type === type).map((x) => x.name).join(", ")}`);
  return r;
}

/** Runs a program, resolves its outputs, then waits until every resource it declared is registered. */
export async function runProgram(program: () => Promise<Record<string, unknown>>): Promise<Record<string, any>> {
  const outputs = await program();
  const resolved: Record<string, any> = {};
  for (const [k, v] of Object.entries(outputs)) resolved[k] = pulumi.Output.isInstance(v) ? await value(v) : v;
  await settle();
  return resolved;
}
