// Every rendered Kubernetes object is checked offline against the Kubernetes schemas (no cluster exists here):
// kubernetes-models' OpenAPI validators and its TypeScript interfaces (unknown fields). A cluster is never contacted.
import { describe, expect, it } from "vitest";
import { renderKubernetesWorkloads } from "../../render/kubernetes/fleet";
import { K8sObject } from "../../render/kubernetes/meta";
import { fixtureFleet, kubeSpec } from "./fixture";
import { schemaErrors, typeErrors } from "./schema";

const objects = (spec = kubeSpec()) => {
  const f = fixtureFleet(spec);
  return renderKubernetesWorkloads(f.ctx, f.nodes);
};
const statefulSet = () => structuredClone(objects().find((o) => o.kind === "StatefulSet")!) as K8sObject & { spec: Record<string, any> };

describe("rendered objects against the Kubernetes schemas", () => {
  it("are all valid: 3 authorities + RPC node, with and without a storage class", () => {
    for (const spec of [kubeSpec(), kubeSpec({ storageClass: undefined, rpcNode: false })]) {
      const all = objects(spec);
      expect(all.flatMap(schemaErrors)).toEqual([]);
    }
  });

  it("have no unknown or mistyped field", () => {
    expect(typeErrors(objects())).toEqual([]);
  }, 60_000);

  it("the validator rejects a broken object (replicas: \"one\", a bad port protocol, a missing selector)", () => {
    const bad = statefulSet();
    bad.spec.replicas = "one";
    expect(schemaErrors(bad).join()).toMatch(/spec\/replicas must be integer/);
    const badPort = statefulSet();
    badPort.spec.template.spec.containers[0].ports[0].protocol = "TPC";
    expect(schemaErrors(badPort).join()).toMatch(/protocol must be equal to one of the allowed values/);
    const noSelector = statefulSet();
    delete noSelector.spec.selector;
    expect(schemaErrors(noSelector).join()).toMatch(/must have required property selector/);
    expect(schemaErrors({ apiVersion: "v1", kind: "Nonsense", metadata: { name: "x" } })).toEqual(["no schema for v1 Nonsense"]);
  });

  it("the type check rejects a misspelt field that the OpenAPI schema lets through", () => {
    const typo = statefulSet();
    typo.spec.template.spec.containers[0].readinesProbe = typo.spec.template.spec.containers[0].readinessProbe;
    expect(schemaErrors(typo)).toEqual([]);
    expect(typeErrors([typo]).join()).toMatch(/readinesProbe.*does not exist in type 'IContainer'/);
  }, 60_000);
});
