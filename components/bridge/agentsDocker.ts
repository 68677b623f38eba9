// Bridge agents as Docker containers, each on its member's engine (a provider per remote host, as the fleet's).
// The container receives its files as uploads (keystore and password 0600, owned by the agent user; the whole list
// is a secret), keeps its database on a volume, and is replaced, never doubled, when its configuration changes.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { agentSecretFiles } from "../../render/bridge/agent";
import { AGENT_DIR, bridgeSpec, placeDockerAgents, renderAgentContainer } from "../../render/bridge/agentContainer";
import { healthcheckArgs, labelList, uploads } from "../fleet/docker/containerArgs";
import { engineOptions } from "../fleet/docker/engines";
import type { AgentScope, AgentUnit, DockerAgents } from "./agents";

export function validateDockerAgents(agents: DockerAgents, validators: string[]): void {
  const { consortium } = agents;
  if (consortium.fleet.target !== "docker") throw new Error(`agents target docker, but the fleet's target is ${consortium.fleet.target}`);
  const placed = placeDockerAgents(consortium).map((p) => p.validator);
  if (placed.join() !== validators.join()) throw new Error(`the validators (${validators.join(", ")}) are not the spec's bridge.validators (${placed.join(", ")})`);
}

export function dockerAgents(agents: DockerAgents, units: AgentUnit[], scope: AgentScope): pulumi.Output<string>[] {
  const placements = placeDockerAgents(agents.consortium);
  // Per engine: its provider and the pinned agent image.
  const engines = new Map<string, { res: pulumi.CustomResourceOptions; image: docker.RemoteImage }>();
  for (const { engine } of placements) {
    if (engines.has(engine.key)) continue;
    const res = engineOptions(scope.name, engine, scope.parent);
    const image = new docker.RemoteImage(`${scope.name}-${engine.key}-agent-image`, { name: bridgeSpec(agents.consortium).agent.image, keepLocally: true }, res);
    engines.set(engine.key, { res, image });
  }
  return units.map(({ validator: v, params, secrets }, i) => {
    const placement = placements[i];
    const { res, image } = engines.get(placement.engine.key)!;
    const c = params.apply((p) => renderAgentContainer(agents.consortium, placement, p));
    // Docker replaces a volume whose labels change: new contracts, new database.
    const volume = new docker.Volume(
      `${scope.name}-agent-${v.name}-data`,
      { name: placement.volume, labels: c.apply((d) => labelList(d.volume.labels)) },
      { ...res, deleteBeforeReplace: true },
    );
    // By path in the container, as `uploads` wants them.
    const secretValues = secrets(placement.homeRpcUrl).apply((s) => Object.fromEntries(Object.entries(agentSecretFiles(s)).map(([name, content]) => [`${AGENT_DIR}/${name}`, content])));
    const container = new docker.Container(
      `${scope.name}-agent-${v.name}`,
      {
        name: placement.container,
        image: image.imageId,
        user: c.user,
        restart: c.restart,
        uploads: uploads(c, secretValues),
        mounts: [{ type: "volume", target: c.volume.target, source: volume.name }],
        networksAdvanced: [{ name: c.network }],
        ports: c.ports.apply((ps) => ps.map((p) => ({ internal: p.internal, external: p.external, ip: p.ip, protocol: p.protocol }))),
        labels: c.apply((d) => labelList(d.labels)),
        healthcheck: c.apply((d) => healthcheckArgs(d.healthcheck)),
        // Healthy means both chains answer and the cursors move (catching up counts): a deployment that leaves an
        // agent unable to reach a chain fails here.
        wait: true,
        waitTimeout: 120,
        mustRun: true,
        // Room to finish the current step and close the database on SIGTERM.
        destroyGraceSeconds: 30,
      },
      // Delete first: never two agents signing with one key (and the container name is fixed).
      { ...res, deleteBeforeReplace: true, additionalSecretOutputs: ["uploads"], dependsOn: scope.dependsOn },
    );
    return container.id.apply(() => `http://127.0.0.1:${placement.healthHostPort}/healthz`);
  });
}
