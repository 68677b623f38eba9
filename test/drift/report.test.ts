// What the drift check reports from a refresh's events: a change of what the stack declared, not the world's own
// bookkeeping (a Kubernetes object's status and write records, a bridge vault's scan position).
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { findingsFrom } from "../../lib/drift/report";

const refreshed = (type: string, name: string, before: Record<string, unknown>, after: Record<string, unknown>): EngineEvent =>
  ({ sequence: 0, timestamp: 0, resOutputsEvent: { metadata: { op: "same", urn: `urn:pulumi:s::p::${type}::${name}`, type, provider: "", old: { outputs: before }, new: { outputs: after } } } }) as unknown as EngineEvent;

describe("drift findings", () => {
  const sts = "kubernetes:apps/v1:StatefulSet";
  const before = { metadata: { name: "alpha", resourceVersion: "10", generation: 1, managedFields: [{ manager: "pulumi" }] }, spec: { replicas: 1 }, status: { readyReplicas: 1 } };

  it("a Kubernetes object whose status and write records moved has not drifted", () => {
    const after = { metadata: { name: "alpha", resourceVersion: "42", generation: 1, managedFields: [{ manager: "pulumi" }, { manager: "kube-controller-manager" }] }, spec: { replicas: 1 }, status: { readyReplicas: 0, observedGeneration: 1 } };
    expect(findingsFrom("state-vs-world", [refreshed(sts, "fleet-alpha-node", before, after)])).toEqual([]);
  });

  it("a Kubernetes object whose spec changed has, named by the changed field only", () => {
    const after = { metadata: { ...before.metadata, resourceVersion: "43", generation: 2 }, spec: { replicas: 0 }, status: { readyReplicas: 0 } };
    expect(findingsFrom("state-vs-world", [refreshed(sts, "fleet-gamma-node", before, after)])).toEqual([
      { phase: "state-vs-world", resource: "fleet-gamma-node", type: sts, op: "same", fields: ["spec.replicas"] },
    ]);
  });

  it("a status field of our own providers' resources is not bookkeeping", () => {
    const type = "pulumi-nodejs:dynamic:Resource";
    expect(findingsFrom("state-vs-world", [refreshed(type, "vault", { status: "live", whitelistBlock: 1 }, { status: "paused", whitelistBlock: 9 })])).toEqual([
      { phase: "state-vs-world", resource: "vault", type, op: "same", fields: ["status"] },
    ]);
  });
});
