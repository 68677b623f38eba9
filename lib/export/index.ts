// `npm run export`: the fleet of a stack as a folder for people who do not run Pulumi — a docker-compose project
// (one per Docker host) or Kubernetes manifests — rendered from the same run specs the Pulumi targets use. Every key
// file (node keys, signer keystores, passwords) goes to the 0600 secrets: compose secrets, Kubernetes Secrets.
import { stringify } from "yaml";
import { renderChainFile } from "../../render/chain";
import { renderCompose } from "../../render/docker/compose";
import { NODE_UID } from "../../render/docker/container";
import { renderDockerFleet } from "../../render/docker/fleet";
import { renderFleet } from "../../render/fleet";
import { renderKubernetesWorkloads } from "../../render/kubernetes/fleet";
import { kubeContext } from "../../render/kubernetes/meta";
import { kubernetesSites } from "../../render/kubernetes/sites";
import { clientImage, nodeWorkload } from "../../render/nodeWorkload";
import { secretFileBytes } from "../../render/secrets";
import { ConsortiumSpec } from "../../settings/consortium";
import { fleetNodes, FleetKeys, nodeSecrets } from "./fleetKeys";
import { ExportFile, writeExport } from "./write";

export type ExportFormat = "compose" | "k8s";

const K8S_SECRETS_DIR = "secrets";
const K8S_GITIGNORE = { path: `${K8S_SECRETS_DIR}/.gitignore`, content: "*\n!.gitignore\n", secret: false };

/** Renders and writes the export; returns the paths written. `spec.fleet.target` must match the format. */
export interface ExportOptions {
  /** Host port of the first RPC node on each Docker host (compose; default 8545, the next RPC nodes count up). */
  rpcHostPort?: number;
  /** Subnet of the compose network (default 10.213.0.0/24). */
  subnet?: string;
}

export async function exportFleet(spec: ConsortiumSpec, keys: FleetKeys, format: ExportFormat, outDir: string, opts: ExportOptions = {}): Promise<string[]> {
  if (spec.permissions) {
    throw new Error(`consortium ${spec.name}: permissions restrict its RPC nodes, and an export has no policy gateway in front of them. Fix: deploy with the docker or kubernetes target (pulumi up), which places the gateways, or export a stack without consortium:permissions`);
  }
  const { nodes, validators } = fleetNodes(spec, keys);
  const chain = renderChainFile(spec, { validators, extraAlloc: keys.extraAlloc });
  const keysOf = (name: string) => keys.nodes.find((k) => k.name === name)!;
  const files: ExportFile[] = [];

  if (format === "compose") {
    const plan = renderDockerFleet({ spec, chain, nodes, externalPeers: [], ...opts });
    const compose = renderCompose(plan);
    for (const [path, content] of Object.entries(compose.files)) files.push({ path, content, secret: false });
    for (const s of compose.secretFiles) {
      const content = nodeSecrets({ [s.path]: s.source }, keysOf(s.node))[s.path];
      files.push({ path: s.path, content: secretFileBytes(content, s.source), secret: true });
    }
  } else {
    const ctx = kubeContext(spec);
    const runs = renderFleet({ spec, chain, nodes, sites: kubernetesSites(ctx, nodes), externalPeers: [] });
    const objects = renderKubernetesWorkloads(
      ctx,
      runs.map((run, i) => ({
        workload: nodeWorkload({ spec, run, member: nodes[i].member, role: nodes[i].sealer ? "authority" : "rpc", image: clientImage(spec) }),
        secretValues: nodeSecrets(run.secretFiles, keysOf(run.name)),
      })),
    );
    const isSecret = (o: Record<string, unknown>) => o.kind === "Secret";
    files.push({ path: "manifests.yaml", content: objects.filter((o) => !isSecret(o)).map((o) => stringify(o)).join("---\n"), secret: false });
    files.push({ path: `${K8S_SECRETS_DIR}/secrets.yaml`, content: objects.filter(isSecret).map((o) => stringify(o)).join("---\n"), secret: true });
    files.push(K8S_GITIGNORE);
  }
  await writeExport(outDir, files, { uid: NODE_UID, gid: NODE_UID });
  return files.map((f) => f.path);
}
