// Dynamic provider reserving a block of loopback ports for one stack (implementation in lib/ports.ts).
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../../lib/project";
import { projectProvider } from "../../projectResource";

const IMPL = "lib/ports";

export interface PortBlockInputs {
  /** Who holds the block, e.g. "consortium/dev@.work/dev" (project, stack and work dir as stored). */
  owner: string;
  /** Registry root (per-user cache directory). */
  registryRoot: string;
  /**
   * The fleet's work dir, relative to the project folder unless configured absolute: a claim whose directory no longer
   * exists can be reclaimed by other stacks.
   */
  holderDir: string;
}
export interface PortBlockState extends PortBlockInputs {
  base: number;
  size: number;
}

export const portBlockProvider: pulumi.dynamic.ResourceProvider<PortBlockInputs, PortBlockState> = {
  async create(inputs: PortBlockInputs) {
    const impl = projectModule(IMPL);
    const base: number = await impl.reservePortBlock(inputs.registryRoot, inputs.owner, inputs.holderDir);
    return { id: `${inputs.owner}@${base}`, outs: { ...inputs, base, size: impl.PORT_BLOCK_SIZE } };
  },
  async diff(_id: string, olds: PortBlockState, news: PortBlockInputs) {
    // A new owner name (the stack's project renamed, lib/cli/legacy.ts) keeps the block: an update, not a replacement.
    const replaces = olds.registryRoot !== news.registryRoot ? ["registryRoot"] : [];
    const changes = replaces.length > 0 || olds.owner !== news.owner;
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, olds: PortBlockState, news: PortBlockInputs) {
    if (olds.owner !== news.owner) await projectModule(IMPL).relabelPortBlock(olds.registryRoot, olds.base, olds.owner, news.owner);
    return { outs: { ...news, base: olds.base, size: olds.size } };
  },
  async read(id: string, props?: PortBlockState) {
    return { id, ...(props ? { props } : {}) };
  },
  async delete(_id: string, props: PortBlockState) {
    await projectModule(IMPL).releasePortBlock(props.registryRoot, props.base, props.owner);
  },
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const portBlockProviderRef = projectProvider(__filename, { portBlockProvider });
