// A bridge agent in a container. Docker and Kubernetes share the layout: the project's agent image
// (templates/bridge-agent/Dockerfile) reads /agent/agent.json, its keystore and password sit beside it, its SQLite
// database lives on a volume at /data (it survives a new container), and its health server listens on 0.0.0.0.
// On Docker the agent runs on its member's engine, on the fleet's network, its health port published on loopback
// only. Pure: no Docker, no Pulumi.
import { createHash } from "node:crypto";
import type { BridgeSpec } from "../../settings/bridge";
import type { ConsortiumSpec, DockerFleetSpec } from "../../settings/consortium";
import { CONTAINER_RPC_PORT } from "../containerFleet";
import { ContainerFile, containerName, ContainerSecretFile, dockerFleetSpec, FILE_MODE, LABELS, networkName, NODE_USER, PublishedPort, SECRET_FILE_MODE } from "../docker/container";
import { Healthcheck } from "../docker/healthcheck";
import { assignEngines, EngineRef } from "../docker/placement";
import { rpcNodeName } from "../runSpec";
import { AGENT_FILES, AGENT_SECRET_FILES, AgentLayout, AgentParams, renderAgentConfig } from "./agent";

export const AGENT_DIR = "/agent";
export const AGENT_DATA_DIR = "/data";
export const AGENT_HEALTH_PORT = 8080;
/** Paths inside the container; the image's ENTRYPOINT reads `files.config`. */
export const CONTAINER_AGENT_LAYOUT: AgentLayout = {
  files: {
    config: `${AGENT_DIR}/${AGENT_FILES.config}`,
    keystore: `${AGENT_DIR}/${AGENT_FILES.keystore}`,
    password: `${AGENT_DIR}/${AGENT_FILES.password}`,
    homeRpcUrl: `${AGENT_DIR}/${AGENT_FILES.homeRpcUrl}`,
    foreignRpcUrl: `${AGENT_DIR}/${AGENT_FILES.foreignRpcUrl}`,
    db: `${AGENT_DATA_DIR}/${AGENT_FILES.db}`,
  },
  // Reachable through the published port (Docker) or the Service (Kubernetes); it serves health and metrics only.
  healthHost: "0.0.0.0",
};
/** First loopback host port of the agents' health servers on Docker: one per validator, in `bridge.validators` order. */
export const AGENT_HEALTH_HOST_PORT = 8645;

/** An agent's parameters in a container, where the health port is fixed. */
export type ContainerAgentParams = Omit<AgentParams, "healthPort">;

export const agentName = (validator: string) => `bridge-agent-${validator}`;

export function renderContainerAgentConfig(p: ContainerAgentParams): string {
  return JSON.stringify(renderAgentConfig({ ...p, healthPort: AGENT_HEALTH_PORT }, CONTAINER_AGENT_LAYOUT), null, 2) + "\n";
}

/**
 * Digest of the contracts an agent serves. Its database is bound to them (cursors, events, outbox): new contracts
 * get a new database, as the local target's `resetKey` does.
 */
export const contractsDigest = (p: ContainerAgentParams) => createHash("sha256").update(`${p.foreign.vault}/${p.home.gateway}`).digest("hex");

/** On an agent's volume: the contracts its database belongs to (a change replaces the volume). */
export const CONTRACTS_LABEL = "consortium.bridge-contracts";

export function bridgeSpec(spec: ConsortiumSpec): BridgeSpec {
  if (!spec.bridge) throw new Error(`consortium ${spec.name}: no bridge settings`);
  return spec.bridge;
}

/** The image has node but no curl: Node's fetch asks /healthz (200 once both chains answer and the cursors move). */
export const AGENT_HEALTHCHECK: Healthcheck = {
  test: ["CMD", "node", "-e", `fetch("http://127.0.0.1:${AGENT_HEALTH_PORT}/healthz").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
  intervalSeconds: 10,
  timeoutSeconds: 5,
  retries: 3,
  startPeriodSeconds: 60,
};

export interface DockerAgentPlacement {
  validator: string;
  member: string;
  engine: EngineRef;
  /** `<consortium>-bridge-agent-<validator>`, and its database volume. */
  container: string;
  volume: string;
  /** The fleet's network on that engine. */
  network: string;
  healthHostPort: number;
  /** Its member's RPC node as this agent reaches it (absent without RPC nodes). */
  homeRpcUrl?: string;
}

/**
 * Where each validator's agent runs: on its member's engine, beside that member's nodes, reading the home chain through
 * its member's own RPC node by container name on the fleet's network (Docker's DNS) — never another member's node.
 * Without RPC nodes (`fleet.rpcNode: false`) the home endpoint comes from `consortium:bridgeEndpoints` instead.
 */
export function placeDockerAgents(spec: ConsortiumSpec): DockerAgentPlacement[] {
  const fleet: DockerFleetSpec = dockerFleetSpec(spec);
  const bridge = bridgeSpec(spec);
  const memberOf = (authority: string) => {
    const a = spec.authorities.find((x) => x.name === authority);
    if (!a) throw new Error(`bridge validator ${authority} is not an authority of ${spec.name}`);
    return a.member;
  };
  const members = bridge.validators.map(memberOf);
  const { engineOf } = assignEngines(fleet, members.map((member) => ({ member })));
  return bridge.validators.map((validator, i) => {
    const container = containerName(spec.name, agentName(validator));
    return {
      validator,
      member: members[i],
      engine: engineOf[i],
      container,
      volume: `${container}-data`,
      network: networkName(spec.name),
      healthHostPort: AGENT_HEALTH_HOST_PORT + i,
      ...(fleet.rpcNode ? { homeRpcUrl: `http://${containerName(spec.name, rpcNodeName(members[i]))}:${CONTAINER_RPC_PORT}` } : {}),
    };
  });
}

export interface AgentContainerDescription {
  name: string;
  image: string;
  user: string;
  restart: "unless-stopped";
  healthcheck: Healthcheck;
  network: string;
  /** The health port, on the host's loopback only. */
  ports: PublishedPort[];
  /**
   * The database volume. Mounted with Docker's copy-up: a new volume takes the owner of the image's /data (the agent
   * user), so unlike the fleet's nodes no prepare step is needed.
   */
  volume: { volume: string; target: string; labels: Record<string, string> };
  files: ContainerFile[];
  secretFiles: ContainerSecretFile[];
  labels: Record<string, string>;
}

/** The agent's container. */
export function renderAgentContainer(spec: ConsortiumSpec, placement: DockerAgentPlacement, p: ContainerAgentParams): AgentContainerDescription {
  const { files } = CONTAINER_AGENT_LAYOUT;
  const labels = { [LABELS.consortium]: spec.name, [LABELS.member]: placement.member, [LABELS.role]: "bridge-agent" };
  return {
    name: placement.container,
    image: bridgeSpec(spec).agent.image,
    user: NODE_USER,
    restart: "unless-stopped",
    healthcheck: AGENT_HEALTHCHECK,
    network: placement.network,
    ports: [{ internal: AGENT_HEALTH_PORT, external: placement.healthHostPort, ip: "127.0.0.1", protocol: "tcp" }],
    volume: { volume: placement.volume, target: AGENT_DATA_DIR, labels: { ...labels, [CONTRACTS_LABEL]: contractsDigest(p) } },
    files: [{ path: files.config, content: renderContainerAgentConfig(p), mode: FILE_MODE }],
    secretFiles: Object.entries(AGENT_SECRET_FILES).map(([name, source]) => ({ path: `${AGENT_DIR}/${name}`, source, mode: SECRET_FILE_MODE })),
    labels,
  };
}
