// The bridge agents on the fleet's target: local processes, Docker containers or Kubernetes workloads. One agent
// per validator; the targets differ in where the agent runs and how it reaches the home chain.
import * as pulumi from "@pulumi/pulumi";
import type { ContainerAgentParams } from "../../render/bridge/agentContainer";
import type { ConsortiumSpec } from "../../spec/consortium";
import { dockerAgents, validateDockerAgents } from "./agentsDocker";
import { kubernetesAgents, validateKubernetesAgents } from "./agentsKubernetes";
import { localAgents, validateLocalAgents } from "./agentsLocal";

/** A bridge validator: its key is an encrypted keystore; the password is a secret. */
export interface BridgeValidator {
  /** Authority name; names the agent. */
  name: string;
  address: pulumi.Input<string>;
  /** Encrypted v3 keystore (JSON text). */
  keystore: pulumi.Input<string>;
  /** Secret: the keystore password. */
  password: pulumi.Input<string>;
}

/** Agents as local processes (the `local` fleet target); they reach the home chain at the bridge's `home.rpcUrl`. */
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
 * network; they reach the home chain at the fleet's RPC node (render/bridge/agentContainer.ts `placeDockerAgents`).
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
  /** The home chain as pods reach it: the fleet's RPC Service. */
  homeRpcUrl: pulumi.Input<string>;
}

export type AgentTarget = LocalAgents | DockerAgents | KubernetesAgents;

/** One validator's agent, as every target needs it. */
export interface AgentUnit {
  validator: BridgeValidator;
  /** Its configuration, given the home endpoint it dials (default: the bridge's `home.rpcUrl`). */
  params(homeRpcUrl?: pulumi.Input<string>): pulumi.Output<ContainerAgentParams>;
}

/** Where the agents' resources go: parented to the bridge, after its contracts (and dev funding). */
export interface AgentScope {
  name: string;
  parent: pulumi.Resource;
  dependsOn: pulumi.Resource[];
}

/** Problems of the agents' arguments that plain data reveals (thrown before any child exists). */
export function validateAgents(agents: AgentTarget, validators: string[]): void {
  switch (agents.target) {
    case "local":
      return validateLocalAgents(agents);
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
