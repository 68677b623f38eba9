// Resource options per Docker engine: a provider for a member's remote host, the deployer's default engine
// otherwise.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { EngineRef } from "../../../render/docker/placement";

/** Options for resources on `engine`, parented to `parent`; the provider (if any) is named `<name>-<engine key>`. */
export function engineOptions(name: string, engine: EngineRef, parent: pulumi.Resource, aliases?: pulumi.Alias[]): pulumi.CustomResourceOptions {
  const provider = engine.url ? new docker.Provider(`${name}-${engine.key}`, { host: engine.url }, { parent, ...(aliases ? { aliases } : {}) }) : undefined;
  return { parent, ...(provider ? { provider } : {}) };
}
