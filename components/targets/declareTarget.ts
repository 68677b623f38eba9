// The stack's one target, from the spec's `fleet.target`: every workload of the stack (nodes, bridge agents, …) is
// placed through it. The only switch on the target kind outside components/targets/.
import * as pulumi from "@pulumi/pulumi";
import { ConsortiumSpec, TargetKind } from "../../settings/consortium";
import { DockerTarget } from "./docker/DockerTarget";
import { KubernetesTarget } from "./kubernetes/KubernetesTarget";
import { LocalTarget, LocalTargetArgs } from "./local/LocalTarget";
import { Target } from "./Target";

/** Earlier versions had one fleet class per target, which held what the target holds now (its network, namespace, port block). */
export const LEGACY_FLEET_TYPES: Record<TargetKind, string> = {
  local: "consortium:fleet:NodeFleet",
  docker: "consortium:fleet:DockerFleet",
  kubernetes: "consortium:fleet:KubernetesFleet",
};

/** The URN a resource named `fleet` of the earlier fleet class had: the target's resources keep their state by aliases to it. */
export const legacyFleetUrn = (kind: TargetKind, name = "fleet") => pulumi.createUrn(name, LEGACY_FLEET_TYPES[kind]);

export interface TargetSettings {
  /** Local processes: where they live and which ports they take. */
  local: Omit<LocalTargetArgs, "legacyParents" | "primaryGroup">;
}

/**
 * Declares the target named `name` ("fleet": its resources keep the names the fleet's had). `opts` go to the target's
 * component: a Kubernetes provider there (`providers`, program/cluster.ts) is used by every object the Kubernetes
 * target makes, the ones it places under other parents included.
 */
export function declareTarget(name: string, spec: ConsortiumSpec, settings: () => TargetSettings, opts?: pulumi.ComponentResourceOptions): Target {
  const legacyParent = legacyFleetUrn(spec.fleet.target);
  switch (spec.fleet.target) {
    case "local":
      // The fleet's port block was the fleet's child, the bridge's a child of the stack.
      return new LocalTarget(name, { ...settings().local, primaryGroup: "fleet", legacyParents: { fleet: legacyParent, bridge: pulumi.rootStackResource } }, opts);
    case "docker":
      return new DockerTarget(name, { spec, legacyParent }, opts);
    case "kubernetes":
      return new KubernetesTarget(name, { spec, legacyParent }, opts);
  }
}
