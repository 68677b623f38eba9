// The bridge agents: one per validator, a workload (render/bridge/agent.ts) placed by the fleet's target beside its
// member's nodes — a local process, a container on the member's Docker host, a StatefulSet in the namespace.
import * as pulumi from "@pulumi/pulumi";
import { AgentParams, AgentProgram, agentName, AgentSecrets, agentResetKey, agentSecretFiles, agentWorkload, LOCAL_PORTS_PER_AGENT } from "../../render/bridge/agent";
import type { SitesOptions } from "../../render/site";
import type { Target } from "../targets/Target";

/** A bridge validator: its key is an encrypted keystore; the password and the endpoints are secrets. */
export interface BridgeValidator {
  /** Authority name; names the agent. */
  name: string;
  /** The member organisation that runs this validator (and the nodes its agent reads through). */
  member: string;
  address: pulumi.Input<string>;
  /** Encrypted v3 keystore (JSON text). */
  keystore: pulumi.Input<string>;
  /** Secret: the keystore password. */
  password: pulumi.Input<string>;
  /** Secret: the nodes this validator's agent reads the chains through, run by its own member. `home` absent: the member's own RPC node. */
  endpoints: { home?: pulumi.Input<string>; foreign: pulumi.Input<string> };
}

/** Where and how the agents run. */
export interface AgentPlacement {
  /** The fleet's target. */
  target: Target;
  /** `bridge.agent.image` (container targets). */
  image: string;
  /** Node.js and the agent's entry: this machine's for local processes, the image's in containers (IMAGE_AGENT_PROGRAM). */
  program: AgentProgram;
  /** Each member's RPC node as the stack's workloads reach it (Fleet.memberStackRpcUrls): a validator's default home endpoint. */
  memberHomeUrls: pulumi.Input<Record<string, string>>;
}

/** One validator's agent. */
export interface AgentUnit {
  validator: BridgeValidator;
  /** Its public configuration, once the contracts exist. */
  params: pulumi.Output<AgentParams>;
}

/** Where the agents' resources go: parented to the bridge, after its contracts (and dev funding). */
export interface AgentScope {
  name: string;
  parent: pulumi.Resource;
  dependsOn: pulumi.Resource[];
}

/** First loopback host port of the agents' health servers on each Docker engine; the block offset of the first on local processes. */
const AGENT_HEALTH_HOST_PORT = 8645;
const AGENT_BLOCK_OFFSET = 10;
/** Health and metrics only: on the host's loopback (Docker). */
export const AGENT_SITES: SitesOptions = {
  peers: false,
  portsEach: LOCAL_PORTS_PER_AGENT,
  firstPort: AGENT_BLOCK_OFFSET,
  publish: { firstHostPorts: { health: AGENT_HEALTH_HOST_PORT }, on: "loopback" },
};

/** The agent's secret files: its key, and the endpoints of its own member's nodes. */
function agentSecrets(v: BridgeValidator, memberHomeUrls: pulumi.Input<Record<string, string>>): pulumi.Output<Record<string, string>> {
  return pulumi.secret(
    pulumi.all([v.keystore, v.password, v.endpoints.home ?? "", pulumi.output(memberHomeUrls), v.endpoints.foreign]).apply(([keystore, password, own, urls, foreignRpcUrl]) => {
      const homeRpcUrl = own || urls[v.member];
      if (!homeRpcUrl) throw new Error(`bridge validator ${v.name}: its member ${v.member} runs no RPC node here; set consortium:bridgeEndpoints.${v.name}.home (a secret)`);
      const secrets: AgentSecrets = { keystore, password, homeRpcUrl, foreignRpcUrl };
      return agentSecretFiles(secrets);
    }),
  );
}

/** The agents' health URLs by validator name: as the deployer reaches them, and as the stack's workloads do. */
export interface AgentHealthUrls {
  health: pulumi.Output<Record<string, string>>;
  healthInStack: pulumi.Output<Record<string, string>>;
}

/** Declares one agent per unit; returns where each agent's health answers. */
export function declareAgents(placement: AgentPlacement, units: AgentUnit[], scope: AgentScope): AgentHealthUrls {
  const { target } = placement;
  const sites = target.sites(
    "bridge",
    units.map((u) => ({ name: agentName(u.validator.name), member: u.validator.member, serves: ["health"] })),
    AGENT_SITES,
  );
  const placed = units.map(({ validator: v, params }, i) =>
    target.place({
      resourceName: `${scope.name}-agent-${v.name}`,
      shape: { name: agentName(v.name), member: v.member, image: placement.image, inits: 0 },
      workload: pulumi.all([params, sites]).apply(([p, s]) => agentWorkload({ params: p, member: v.member, image: placement.image, site: s[i], program: placement.program })),
      secretValues: agentSecrets(v, placement.memberHomeUrls),
      // A new database only with new contracts.
      resetKey: params.apply(agentResetKey),
      parent: scope.parent,
      dependsOn: scope.dependsOn,
    }),
  );
  const byValidator = (urls: pulumi.Output<string>[]) => pulumi.all(urls).apply((u) => Object.fromEntries(units.map((unit, i) => [unit.validator.name, u[i]])));
  return {
    health: byValidator(placed.map((p) => p.url("health", "/healthz"))),
    healthInStack: byValidator(placed.map((p) => p.stackUrl("health", "/healthz"))),
  };
}
