// Sites on Kubernetes (render/site.ts): every workload listens on all interfaces of its pod, and the stack's others
// dial it at its Service's DNS name (service.ts explains why a ClusterIP Service).
import { ANY_INTERFACE, Site, SiteRequest } from "../site";
import { KubeContext, serviceDns } from "./meta";

export function kubernetesSites(ctx: KubeContext, requests: readonly SiteRequest[]): Site[] {
  return requests.map((r) => ({ bindHost: ANY_INTERFACE, address: serviceDns(r.name, ctx.namespace) }));
}

/** A workload's port as the stack's others (and clients in the cluster) reach it. */
export const serviceUrl = (ctx: KubeContext, workload: string, port: number, path = "") => `http://${serviceDns(workload, ctx.namespace)}:${port}${path}`;
