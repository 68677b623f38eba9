// A node's files as Kubernetes objects: public files in a ConfigMap, secret files in a Secret. Both are only
// mounted into the init container, which copies them into the node directory (initScript.ts).
import { RunSpec } from "../runSpec";
import { fileItems } from "./fileKeys";
import { configMapName, K8sObject, KubeContext, KubeNode, NodeRef, nodeMeta, secretName } from "./meta";

export function renderConfigMap(ctx: KubeContext, node: KubeNode): K8sObject {
  const data: Record<string, string> = {};
  for (const { key, path } of fileItems(Object.keys(node.run.files), node.run.name)) data[key] = node.run.files[path];
  return { apiVersion: "v1", kind: "ConfigMap", metadata: nodeMeta(ctx, node, configMapName(node.run.name)), data };
}

/**
 * The Secret's `data` (base64) from the resolved secret file contents (render/secrets.ts): exactly the run spec's
 * secret files, each under its key. Called by the apply layer inside a Pulumi secret.
 */
export function secretData(run: Pick<RunSpec, "name" | "secretFiles">, values: Record<string, string>): Record<string, string> {
  const paths = Object.keys(run.secretFiles);
  const stray = Object.keys(values).filter((p) => !paths.includes(p));
  if (stray.length > 0) throw new Error(`${run.name}: values for unknown secret files ${stray.join(", ")}`);
  const data: Record<string, string> = {};
  for (const { key, path } of fileItems(paths, run.name)) {
    if (values[path] === undefined) throw new Error(`${run.name}: no value for secret file ${path}`);
    data[key] = Buffer.from(values[path], "utf8").toString("base64");
  }
  return data;
}

export function renderSecret(ctx: KubeContext, node: NodeRef & { run: Pick<RunSpec, "secretFiles"> }, values: Record<string, string>): K8sObject {
  return { apiVersion: "v1", kind: "Secret", metadata: nodeMeta(ctx, node, secretName(node.run.name)), type: "Opaque", data: secretData(node.run, values) };
}
