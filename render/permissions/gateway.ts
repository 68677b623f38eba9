// The policy gateway as a workload (render/workload.ts): one in front of each member's RPC node when the stack's
// permissions restrict something (gateway/ enforces them). Its files: its configuration, the policy (public: addresses
// only) and, when reads need a key, the API keys as a secret file. A policy change is a new policy file.
import type { GatewayConfig } from "../../gateway/config";
import type { PermissionsSpec } from "../../settings/permissions";
import type { Site } from "../site";
import { nodeHttpService, Workload } from "../workload";

export const GATEWAY_GROUP = "gateways";
export const GATEWAY_CONFIG_FILE = "gateway.json";
export const GATEWAY_POLICY_FILE = "policy.json";
/** The API keys' secret file (holder → key). */
export const GATEWAY_KEYS_FILE = "api-keys.json";
/** Its port in a container (the RPC port clients know); a local process takes the first of its site's ports. */
export const GATEWAY_PORT = 8545;
export const LOCAL_PORTS_PER_GATEWAY = 1;
/** The gateway in front of `member`'s RPC node. */
export const gatewayName = (member: string): string => `gateway-${member}`;

/** Node.js and the gateway's compiled entry. */
export interface GatewayProgram {
  node: string;
  main: string;
}
/** templates/gateway/Dockerfile: the package is installed at /app, Node.js is on the PATH. */
export const IMAGE_GATEWAY_PROGRAM: GatewayProgram = { node: "node", main: "/app/dist/gateway/main.js" };

export interface GatewayInput {
  member: string;
  /** The member's RPC node as the stack's workloads reach it: what it guards. */
  upstream: string;
  /** The policy it enforces: the stack's, with the stack's own accounts added. */
  policy: PermissionsSpec;
  site: Site;
  program: GatewayProgram;
  /** `permissions.gatewayImage` in a container; empty for a local process. */
  image: string;
}

/** The policy file's content: the three levels only (the owner is the on-chain policy's, nothing the gateway uses). */
export const gatewayPolicyText = (p: PermissionsSpec): string => JSON.stringify({ read: p.read, transact: p.transact, deploy: p.deploy }, null, 2) + "\n";

export function gatewayWorkload(g: GatewayInput): Workload {
  const port = g.site.portBase ?? GATEWAY_PORT;
  const keys = g.policy.read === "keys";
  const config: GatewayConfig = {
    listen: { host: g.site.bindHost, port },
    upstream: g.upstream,
    policyFile: GATEWAY_POLICY_FILE,
    ...(keys ? { keysFile: GATEWAY_KEYS_FILE } : {}),
  };
  return {
    name: gatewayName(g.member),
    member: g.member,
    role: "rpc-gateway",
    group: GATEWAY_GROUP,
    image: g.image,
    command: g.program.node,
    args: [g.program.main, "--config", GATEWAY_CONFIG_FILE],
    env: {},
    files: { [GATEWAY_CONFIG_FILE]: JSON.stringify(config, null, 2) + "\n", [GATEWAY_POLICY_FILE]: gatewayPolicyText(g.policy) },
    secretFiles: keys ? { [GATEWAY_KEYS_FILE]: "apiKeys" } : {},
    init: [],
    ...nodeHttpService({
      // The member's JSON-RPC endpoint as clients know it.
      port: { name: "rpc", port, reach: "clients" },
      startSeconds: 20,
      resources: { cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
      storage: "10Mi",
    }),
  };
}
