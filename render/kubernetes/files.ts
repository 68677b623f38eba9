// A workload's files as Kubernetes objects: public files in a ConfigMap, secret files in a Secret. Both are only
// mounted into the init container, which copies them into the workload's directory (initScript.ts).
import { Workload } from "../workload";
import { fileItems } from "./fileKeys";
import { configMapName, K8sObject, KubeContext, secretName, workloadMeta, workloadRef, WorkloadRef } from "./meta";

export function renderConfigMap(ctx: KubeContext, w: Workload): K8sObject {
  const data: Record<string, string> = {};
  for (const { key, path } of fileItems(Object.keys(w.files), w.name)) data[key] = w.files[path];
  return { apiVersion: "v1", kind: "ConfigMap", metadata: workloadMeta(ctx, workloadRef(w), configMapName(w.name)), data };
}

/**
 * The Secret's `data` (base64) from the resolved secret file contents (render/secrets.ts): exactly the workload's
 * secret files, each under its key. Called by the apply layer inside a Pulumi secret.
 */
export function secretData(w: Pick<Workload, "name" | "secretFiles">, values: Record<string, string>): Record<string, string> {
  const paths = Object.keys(w.secretFiles);
  const stray = Object.keys(values).filter((p) => !paths.includes(p));
  if (stray.length > 0) throw new Error(`${w.name}: values for unknown secret files ${stray.join(", ")}`);
  const data: Record<string, string> = {};
  for (const { key, path } of fileItems(paths, w.name)) {
    if (values[path] === undefined) throw new Error(`${w.name}: no value for secret file ${path}`);
    data[key] = Buffer.from(values[path], "utf8").toString("base64");
  }
  return data;
}

export function renderSecret(ctx: KubeContext, ref: WorkloadRef, w: Pick<Workload, "name" | "secretFiles">, values: Record<string, string>): K8sObject {
  return { apiVersion: "v1", kind: "Secret", metadata: workloadMeta(ctx, ref, secretName(w.name)), type: "Opaque", data: secretData(w, values) };
}
