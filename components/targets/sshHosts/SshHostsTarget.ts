// The SSH-hosts target: workloads as containers on bare-metal hosts reached over SSH (a worker pool's `target.hosts`),
// each host made ready for Kata task containers first. Per host a setup resource (checks, Kata, daemon.json: see
// lib/sshHosts/setup.ts); per workload a container resource with its 0600 secret files (lib/sshHosts/container.ts).
// A group whose workloads dial each other gets a private network on its host; the others join the target's network.
import * as pulumi from "@pulumi/pulumi";
import { HostSite, renderHostWorkload } from "../../../render/sshHosts/container";
import { ANY_INTERFACE, Site, SiteRequest, SitesOptions } from "../../../render/site";
import { workloadPort } from "../../../render/workload";
import type { SshHostSpec, SshTargetSpec } from "../../../settings/workerPool";
import { connectionOf, hostInputs } from "../../../lib/sshHosts/setup";
import { currentNames, earlierNames, PlaceArgs, Placed, Target } from "../Target";
import { SshHostContainer, SshHostSetup } from "./resources";

export interface SshHostsTargetArgs {
  /** Who owns the workloads (a pool's name): labels their containers and names the groups' networks. */
  owner: string;
  /** The validated hosts and their Kata settings. */
  spec: SshTargetSpec;
  /** The type and parent a host's setup had before (earlier versions' worker-host resource): kept by an alias. */
  legacySetup?: { type: string; parent: pulumi.Resource };
}

export class SshHostsTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "ssh" as const;
  readonly restartsInTurn = false;
  readonly runsImages = true;
  readonly namedBefore = currentNames;
  private readonly setups = new Map<string, SshHostSetup>();
  private readonly planned = new Map<string, { host: SshHostSpec; network: string }>();

  constructor(
    name: string,
    private readonly args: SshHostsTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("consortium:target:SshHostsTarget", name, {}, opts);
    for (const host of args.spec.hosts) {
      const legacy = args.legacySetup ? { aliases: [{ type: args.legacySetup.type, parent: args.legacySetup.parent }] } : {};
      this.setups.set(host.name, new SshHostSetup(`${name}-${host.name}`, hostInputs(args.owner, args.spec, host), { parent: this, ...legacy }));
    }
    this.registerOutputs({});
  }

  sites(group: string, requests: SiteRequest[], options: SitesOptions): pulumi.Output<Site[]> {
    const network = options.peers ? `${this.args.owner}-${group}` : this.args.spec.network;
    for (const r of requests) {
      const host = this.args.spec.hosts.find((h) => h.name === r.host);
      if (!host) throw new Error(`SshHostsTarget: workload ${r.name} names no host of the target (${r.host ?? "none"}; hosts: ${this.args.spec.hosts.map((h) => h.name).join(", ")})`);
      if (this.planned.has(r.name)) throw new Error(`SshHostsTarget: two workloads are named ${r.name}`);
      this.planned.set(r.name, { host, network });
    }
    // Docker's DNS on the group's network: containers are named after their workloads.
    return pulumi.output(requests.map((r) => ({ bindHost: ANY_INTERFACE, address: r.name })));
  }

  place(a: PlaceArgs): Placed {
    const planned = this.planned.get(a.shape.name);
    if (!planned) throw new Error(`SshHostsTarget: ${a.shape.name} has no site: plan its group's sites first`);
    if (a.resetKey !== undefined) throw new Error(`SshHostsTarget: ${a.shape.name} asks for a reset key, which this target does not honour (its directories are the operator's)`);
    if (a.shape.inits > 0) throw new Error(`SshHostsTarget: ${a.shape.name} has init steps, which this target does not run`);
    const { host, network } = planned;
    const site: HostSite = { owner: this.args.owner, baseDir: host.baseDir, secretsDir: host.secretsDir, network, publishOn: this.args.spec.coreBind };
    const rendered = a.workload.apply((w) => renderHostWorkload(w, site));
    const files = pulumi.all([rendered, pulumi.output(a.secretValues)]).apply(([r, values]) =>
      r.secretFiles.map((f) => {
        if (values[f.path] === undefined) throw new Error(`${a.shape.name}: no value for secret file ${f.path}`);
        return { path: f.hostPath, content: values[f.path] };
      }),
    );
    const container = new SshHostContainer(
      a.resourceName,
      // The description holds no secret (secrets are files): kept readable in state and diffs.
      { connection: connectionOf(host), container: pulumi.unsecret(rendered.apply((r) => r.container)), files },
      { parent: a.parent, dependsOn: [this.setups.get(host.name)!, ...(a.dependsOn ?? [])], ...earlierNames(a, "") },
    );
    // Published on the target's bind address at the host (clients' ports only).
    const published = pulumi.output(this.args.spec.coreBind === ANY_INTERFACE ? host.address : this.args.spec.coreBind);
    return {
      resource: container,
      url: (port, path = "") => pulumi.all([a.workload, published, container.id]).apply(([w, at]) => `http://${at}:${workloadPort(w, port).port}${path}`),
      stackUrl: (port, path = "") => a.workload.apply((w) => `http://${w.name}:${workloadPort(w, port).port}${path}`),
    };
  }
}
