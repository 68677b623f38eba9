// The bridge agents on the fleet's target: local processes, Docker containers or Kubernetes workloads. One agent
// per validator; the targets differ in where the agent runs and how it reaches the home chain.
import * as pulumi from "@pulumi/pulumi";
import type { AgentSecrets } from "../../render/bridge/agent";
import type { ContainerAgentParams } from "../../render/bridge/agentContainer";
import type { ConsortiumSpec } from "../../settings/consortium";
import { dockerAgents, validateDockerAgents } from "./agentsDocker";
import { kubernetesAgents, validateKubernetesAgents } from "./agentsKubernetes";
import { localAgents, validateLocalAgents } from "./agentsLocal";

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
  /**
   * Secret: the nodes this validator's agent reads the chains through, run by its own member. `home` absent: the
   * member's own RPC node as the target places it (Docker, Kubernetes).
   */
  endpoints: { home?: pulumi.Input<string>; foreign: pulumi.Input<string> };
}

/** Agents as local processes (the `local` fleet target); each validator's `endpoints.home` is required. */
export interface LocalAgents {
  target: "local";
  /** Node.js executable. */
  node: string;
  /** Absolute path of the compiled agent entry (dist/agent/main.js). */
  agentMain: string;
  /** Absolute directory holding one sub-directory per agent. */
  workDir: string;
  /** One free loopback port per validator, for its health and metrics server. */
  healthPorts: pulumi.Input<number[]>;
}

/**
 * Agents as containers of `bridge.agent.image`, each on its member's Docker host (`fleet.hosts`), on the fleet's
 * network; by default they read the home chain through their member's RPC node (render/bridge/agentContainer.ts).
 */
export interface DockerAgents {
  target: "docker";
  /** Validated consortium spec with `fleet.target: docker` and bridge settings. */
  consortium: ConsortiumSpec;
}

/** Agents as one-replica StatefulSets in the fleet's namespace (the bridge's kubernetes provider, else the ambient kubeconfig). */
export interface KubernetesAgents {
  target: "kubernetes";
  /** Validated consortium spec with `fleet.target: kubernetes` and bridge settings. */
  consortium: ConsortiumSpec;
}

export type AgentTarget = LocalAgents | DockerAgents | KubernetesAgents;

/** One validator's agent, as every target needs it. */
export interface AgentUnit {
  validator: BridgeValidator;
  /** Its public configuration. */
  params: pulumi.Output<ContainerAgentParams>;
  /** Secret: its keystore, password and endpoints; `targetHome` is the target's default home endpoint. */
  secrets(targetHome?: pulumi.Input<string>): pulumi.Output<AgentSecrets>;
}

/** Where the agents' resources go: parented to the bridge, after its contracts (and dev funding). */
export interface AgentScope {
  name: string;
  parent: pulumi.Resource;
  dependsOn: pulumi.Resource[];
}

/** Problems of the agents' arguments that plain data reveals (thrown before any child exists). */
export function validateAgents(agents: AgentTarget, bridgeValidators: BridgeValidator[]): void {
  const validators = bridgeValidators.map((v) => v.name);
  switch (agents.target) {
    case "local":
      return validateLocalAgents(agents, bridgeValidators);
    case "docker":
      return validateDockerAgents(agents, validators);
    case "kubernetes":
      return validateKubernetesAgents(agents, validators);
  }
}

/** Declares one agent per unit; returns each agent's health URL by validator name. */
export function declareAgents(agents: AgentTarget, units: AgentUnit[], scope: AgentScope): pulumi.Output<Record<string, string>> {
  const urls = (() => {
    switch (agents.target) {
      case "local":
        return localAgents(agents, units, scope);
      case "docker":
        return dockerAgents(agents, units, scope);
      case "kubernetes":
        return kubernetesAgents(agents, units, scope);
    }
  })();
  return pulumi.all(urls).apply((u) => Object.fromEntries(units.map((unit, i) => [unit.validator.name, u[i]])));
}
