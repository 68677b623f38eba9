// pulumi.runtime.setMocks for the program and its components: a test double for the engine that records every
// declared resource and answers with plausible outputs (real secp256k1 keys, so addresses derive as in production).
import * as pulumi from "@pulumi/pulumi";
import { computeAddress, SigningKey } from "ethers";
import { randomBytes } from "node:crypto";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const hex = (n: number) => "0x" + randomBytes(n).toString("hex");

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
      default:
        return { ...inputs, address: computeAddress(key.publicKey), privateKey };
    }
  }
  if (type.endsWith("fleet:PortBlock")) return { ...inputs, base: 30400, size: 100 };
  if (type.endsWith("fleet:LocalNodeProcess")) return { ...inputs, pid: 1, running: true, digests: {} };
  return inputs;
}

/** Installs the mocks; the returned array collects what is declared (clear it between tests). */
export function installMocks(): Registered[] {
  const registered: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: mockOutputs(args.type, args.inputs) };
      },
      call: (args) => args.inputs,
    },
    "consortium-mock",
    "mock",
    false,
  );
  return registered;
}

export const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** What the engine is asked for each resource, beyond its inputs (recorded by wrapping the mock monitor). */
export interface Registration {
  type: string;
  name: string;
  parent: string;
  dependencies: string[];
}

/** Records registration requests (call after installMocks); returns them by `<type>::<name>`. */
export function recordRegistrations(): Map<string, Registration> {
  const requests = new Map<string, Registration>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: any): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    requests.set(`${req.getType()}::${req.getName()}`, { type: req.getType(), name: req.getName(), parent: req.getParent(), dependencies: req.getDependenciesList() });
    return register(req, callback);
  };
  return requests;
}
