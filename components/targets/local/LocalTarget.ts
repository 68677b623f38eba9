// The local target: workloads as processes on this machine (lib/localProcess.ts), each in its own 0700 directory
// under `workDir` with 0600 secret files and a log file, listening on loopback ports from a block of the per-user
// port registry (lib/ports.ts) — one block per group of workloads, so stacks and groups never collide.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { resolveStoredPath } from "../../../lib/project";
import { ipcSocketPath, localProcess, localUrl } from "../../../render/local/process";
import { localSites, Site, SiteRequest, SitesOptions } from "../../../render/site";
import { earlierNames, PlaceArgs, Placed, Target } from "../Target";
import { LocalNodeProcess, PortBlock } from "./resources";

export interface LocalTargetArgs {
  /** Directory holding one sub-directory per workload: absolute, or relative to the project folder (lib/project.ts). */
  workDir: string;
  /** Root of the per-user port registry (lib/ports.ts). */
  portRegistry: string;
  /** Holder of the port blocks, e.g. "<project>/<stack>"; each group's block is held as `<owner>[/<group>]@<workDir>`. */
  owner: string;
  /** The group whose block keeps the plain name (the fleet's: earlier versions had only it). */
  primaryGroup?: string;
  /**
   * Earlier parents of the port blocks, by group (blocks were children of the fleet, or of the stack: the value
   * `pulumi.rootStackResource`, undefined, which an alias reads as "no parent").
   */
  legacyParents?: Record<string, pulumi.Input<string> | pulumi.Resource | undefined>;
}

export class LocalTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "local" as const;
  readonly restartsInTurn = true;
  readonly runsImages = false;
  private readonly blocks = new Map<string, PortBlock>();
  /** The port block each sited workload takes its ports from. */
  private readonly groupOf = new Map<string, string>();

  constructor(
    private readonly name: string,
    private readonly args: LocalTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("consortium:target:LocalTarget", name, {}, opts);
    this.registerOutputs({});
  }

  /** The group's block of loopback ports, declared once (`<group>-ports`). */
  portBlock(group: string): PortBlock {
    const known = this.blocks.get(group);
    if (known) return known;
    const { workDir } = this.args;
    const owner = group === this.args.primaryGroup ? `${this.args.owner}@${workDir}` : `${this.args.owner}/${group}@${workDir}`;
    const legacy = this.args.legacyParents;
    const aliases = legacy && Object.hasOwn(legacy, group) ? [{ parent: legacy[group] }] : [];
    const block = new PortBlock(`${group}-ports`, { owner, registryRoot: this.args.portRegistry, holderDir: workDir }, { parent: this, aliases });
    this.blocks.set(group, block);
    return block;
  }

  sites(group: string, requests: SiteRequest[], options: SitesOptions): pulumi.Output<Site[]> {
    for (const r of requests) {
      if (this.groupOf.has(r.name)) throw new Error(`LocalTarget ${this.name}: two workloads are named ${r.name}`);
      this.groupOf.set(r.name, group);
      // Readiness checks and validator votes reach a sealer over its socket: the path must fit before anything runs.
      for (const socket of r.sockets ?? []) ipcSocketPath(r.name, resolveStoredPath(this.dir(r.name)), socket);
    }
    return this.portBlock(group).base.apply((base) => localSites(base, requests, options));
  }

  portBlockBase(group: string): pulumi.Output<number> {
    return this.portBlock(group).base;
  }

  private dir(workload: string): string {
    return join(this.args.workDir, workload);
  }

  /** Local processes were named after their workload alone (the fleet's nodes `<node>`, not `<fleet>-<node>`). */
  namedBefore(resourceName: string, workload: string, suffix: string): string {
    return suffix === "" ? workload : resourceName + suffix;
  }

  place(a: PlaceArgs): Placed {
    const group = this.groupOf.get(a.shape.name);
    if (group === undefined) throw new Error(`LocalTarget ${this.name}: ${a.shape.name} has no site: plan its group's sites first`);
    const dir = this.dir(a.shape.name);
    const spec = a.workload.apply((w) => localProcess(w, dir));
    const proc = new LocalNodeProcess(
      a.resourceName,
      {
        name: spec.name,
        dir,
        command: spec.command,
        args: spec.args,
        env: spec.env,
        files: spec.files,
        secretFiles: a.secretValues,
        init: spec.init,
        rpcUrl: spec.rpcUrl,
        readiness: spec.readiness,
        ports: spec.ports,
        resetKey: a.resetKey ?? "",
      },
      { parent: a.parent, dependsOn: [this.portBlock(group), ...(a.dependsOn ?? [])], ...earlierNames(a, "") },
    );
    // Known once the process answers.
    const url = (port: string, path = "") => pulumi.all([proc.rpcUrl, a.workload]).apply(([, w]) => localUrl(w, port, path));
    return { resource: proc, url, stackUrl: url, endpoint: proc.rpcUrl };
  }
}
