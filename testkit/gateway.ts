// The policy gateway (gateway/main.ts) as a process of this machine in front of a test chain's RPC node, with its
// policy and keys files; the policy file can be rewritten while it runs, as `pulumi up` does.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PermissionsSpec } from "../settings/permissions";
import { ProgramProcess, startProgram } from "./program";

export interface GatewayProcess extends ProgramProcess {
  /** Writes a new policy file (any JSON: a bad one is the gateway's to refuse). */
  setPolicy(policy: unknown): Promise<void>;
}

export async function startGatewayProcess(upstream: string, policy: PermissionsSpec, keys: Record<string, string>): Promise<GatewayProcess> {
  const p = await startProgram({
    name: "gateway",
    config: "gateway.json",
    files: {
      "gateway.json": JSON.stringify({ listen: { host: "127.0.0.1", port: 0 }, upstream, policyFile: "policy.json", keysFile: "keys.json" }),
      "policy.json": JSON.stringify(policy),
      "keys.json": JSON.stringify(keys),
    },
    secret: ["keys.json"],
  });
  return { ...p, setPolicy: (next) => writeFile(join(p.dir, "policy.json"), JSON.stringify(next)) };
}
