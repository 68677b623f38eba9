// Bridge agents as local processes: `node dist/agent/main.js --config agent.json`, each in its own directory.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { agentSecretFiles, renderLocalAgent } from "../../render/bridge/agent";
import { LocalNodeProcess } from "../fleet/local/resources";
import type { AgentScope, AgentUnit, BridgeValidator, LocalAgents } from "./agents";

export function validateLocalAgents(agents: LocalAgents, validators: BridgeValidator[]): void {
  if (!agents.workDir.startsWith("/")) throw new Error("agents.workDir must be absolute");
  const homeless = validators.filter((v) => v.endpoints.home === undefined).map((v) => v.name);
  if (homeless.length) throw new Error(`local agents need each validator's home endpoint (its member's RPC node): none for ${homeless.join(", ")}`);
}

export function localAgents(agents: LocalAgents, units: AgentUnit[], scope: AgentScope): pulumi.Output<string>[] {
  const healthPorts = pulumi.output(agents.healthPorts);
  return units.map(({ validator: v, params: agent, secrets }, i) => {
    const run = pulumi.all([agent, healthPorts]).apply(([p, ports]) => renderLocalAgent({ ...p, healthPort: ports[i] }, agents.node, agents.agentMain));
    const proc = new LocalNodeProcess(
      `${scope.name}-agent-${v.name}`,
      {
        name: run.name,
        dir: join(agents.workDir, `bridge-agent-${v.name}`),
        command: run.command,
        args: run.args,
        env: {},
        files: run.files,
        secretFiles: secrets().apply(agentSecretFiles),
        init: [],
        rpcUrl: run.healthUrl,
        readiness: "http",
        ports: run.ports,
        // A new database only with new contracts: the agent's cursors belong to these deployments.
        resetKey: agent.apply((p) => `${p.foreign.vault}/${p.home.gateway}`),
      },
      { parent: scope.parent, dependsOn: scope.dependsOn },
    );
    return proc.rpcUrl;
  });
}
