// The Docker target: workloads as containers on their member's Docker engine (`fleet.hosts`, a provider per remote
// host; the deployer's default engine otherwise), on the consortium's network of that engine. Per workload: a volume
// (its directory), a one-shot prepare container that receives its files (secrets 0600, owned by uid 10001), its init
// steps as one-shot containers, and the long-running container (uid 10001, restart unless-stopped, healthcheck).
// Each step is labelled with the id of the one before, so new files re-run init and replace the workload, and the
// workload container waits until healthy: a chain of placements (dependsOn the previous) rolls one at a time.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { posix } from "node:path";
import { ContainerDescription, DEFAULT_HELPER_IMAGE, dockerFleetSpec, LABELS, networkName, renderContainer } from "../../../render/docker/container";
import { EngineRef } from "../../../render/docker/placement";
import { DockerSite, dockerSites, publishedUrl } from "../../../render/docker/sites";
import { Site, SiteRequest, SitesOptions } from "../../../render/site";
import { CONTAINER_NODE_DIR, workloadPort } from "../../../render/workload";
import { ConsortiumSpec } from "../../../settings/consortium";
import { currentNames, earlierNames, PlaceArgs, Placed, Target } from "../Target";
import { healthcheckArgs, imageAfter, labelList, oneShotArgs, uploads, volumeMounts } from "./containerArgs";
import { engineOptions } from "./engines";

/** Secret file contents by their path in the container (the workload's directory is its volume). */
const inContainer = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([rel, content]) => [posix.join(CONTAINER_NODE_DIR, rel), content]));

export interface DockerTargetArgs {
  /** Validated spec with `fleet.target: docker` (hosts per member, bind addresses, images). */
  spec: ConsortiumSpec;
  /** Subnet of the consortium's network when a group of peers runs on one engine (default 10.213.0.0/24). */
  subnet?: string;
  /** Image of the prepare step; it must provide `busybox chown` (default busybox:1.36.1). */
  helperImage?: string;
  /** The URN its providers and networks had as children before (earlier versions' DockerFleet): kept by aliases. */
  legacyParent?: pulumi.Input<string>;
}

interface Engine {
  res: pulumi.CustomResourceOptions;
  network: docker.Network;
  images: Map<string, docker.RemoteImage>;
}

export class DockerTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "docker" as const;
  readonly restartsInTurn = false;
  readonly runsImages = true;
  readonly namedBefore = currentNames;
  private readonly engines = new Map<string, Engine>();
  /** Each workload's site, planned by `sites` (plain data: placement, publications). */
  private readonly planned = new Map<string, { site: DockerSite; multiHost: boolean; subnet?: string }>();
  private readonly helperImage: string;

  constructor(
    private readonly name: string,
    private readonly args: DockerTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("consortium:target:DockerTarget", name, {}, opts);
    dockerFleetSpec(args.spec);
    this.helperImage = args.helperImage ?? DEFAULT_HELPER_IMAGE;
    this.registerOutputs({});
  }

  sites(_group: string, requests: SiteRequest[], options: SitesOptions): pulumi.Output<Site[]> {
    const planned = dockerSites({ consortium: this.args.spec.name, fleet: dockerFleetSpec(this.args.spec), requests, options, ...(this.args.subnet ? { subnet: this.args.subnet } : {}) });
    const multiHost = planned.engines.length > 1;
    for (const site of planned.sites) {
      const name = requests[planned.sites.indexOf(site)].name;
      if (this.planned.has(name)) throw new Error(`DockerTarget: two workloads are named ${name}`);
      this.planned.set(name, { site, multiHost, ...(planned.subnet ? { subnet: planned.subnet } : {}) });
    }
    return pulumi.output(planned.sites.map(({ bindHost, address }) => ({ bindHost, address })));
  }

  /** Provider, network and pinned images of an engine, declared once. */
  private engine(ref: EngineRef, subnet: string | undefined): Engine {
    const known = this.engines.get(ref.key);
    if (known) return known;
    const aliases = this.args.legacyParent ? [{ parent: this.args.legacyParent }] : undefined;
    const res = engineOptions(this.name, ref, this, aliases);
    const network = new docker.Network(
      `${this.name}-${ref.key}-net`,
      { name: networkName(this.args.spec.name), driver: "bridge", labels: labelList({ [LABELS.consortium]: this.args.spec.name }), ...(subnet ? { ipamConfigs: [{ subnet }] } : {}) },
      { ...res, ...(aliases ? { aliases } : {}) },
    );
    const engine = { res, network, images: new Map<string, docker.RemoteImage>() };
    this.engines.set(ref.key, engine);
    return engine;
  }

  private image(engine: Engine, ref: EngineRef, image: string): docker.RemoteImage {
    const known = engine.images.get(image);
    if (known) return known;
    const key = image.replace(/[^A-Za-z0-9-]+/g, "-");
    const pulled = new docker.RemoteImage(`${this.name}-${ref.key}-${key}-image`, { name: image, keepLocally: true }, engine.res);
    engine.images.set(image, pulled);
    return pulled;
  }

  place(a: PlaceArgs): Placed {
    const planned = this.planned.get(a.shape.name);
    if (!planned) throw new Error(`DockerTarget: ${a.shape.name} has no site: plan its group's sites first`);
    const { site, multiHost } = planned;
    const ref = site.placement.engine;
    const engine = this.engine(ref, planned.subnet);
    const c: pulumi.Output<ContainerDescription> = a.workload.apply((w) => {
      if (w.init.length !== a.shape.inits) throw new Error(`${w.name}: ${w.init.length} init steps rendered, ${a.shape.inits} declared`);
      return renderContainer({ consortium: this.args.spec.name, workload: w, placement: site.placement, published: site.published, helperImage: this.helperImage });
    });
    const res = { ...engine.res, parent: a.parent, deleteBeforeReplace: true };
    const was = (suffix: string) => earlierNames(a, suffix);
    const labels = { [LABELS.consortium]: this.args.spec.name, [LABELS.node]: a.shape.name, [LABELS.member]: a.shape.member };
    // A new reset key (a new chain, new contracts) relabels the volume, which Docker then replaces: fresh data.
    const volume = new docker.Volume(
      `${a.resourceName}-data`,
      {
        name: c.apply((d) => d.volume.volume),
        labels: pulumi.output(a.resetKey ?? "").apply((reset) => labelList({ ...labels, ...(reset ? { [LABELS.chain]: reset } : {}) })),
      },
      { ...res, ...was("-data") },
    );
    const pulled = this.image(engine, ref, a.shape.image);
    const helper = this.image(engine, ref, this.helperImage);
    const prepare = new docker.Container(
      `${a.resourceName}-prepare`,
      {
        ...oneShotArgs(c.prepare),
        image: helper.imageId,
        mounts: volumeMounts(c, volume.name),
        // The whole upload list is a secret: secret files are among them.
        uploads: uploads(c, pulumi.secret(pulumi.output(a.secretValues).apply(inContainer))),
        labels: labelList({ ...labels, [LABELS.role]: "prepare" }),
      },
      { ...res, additionalSecretOutputs: ["uploads"], ...(a.dependsOn ? { dependsOn: a.dependsOn } : {}), ...was("-prepare") },
    );
    const steps: { name: string; id: pulumi.Output<string>; exitCode: pulumi.Output<number> }[] = [{ name: `${a.shape.name} prepare`, id: prepare.id, exitCode: prepare.exitCode }];
    for (let k = 0; k < a.shape.inits; k++) {
      const before = steps[steps.length - 1];
      const suffix = `-init${a.shape.inits > 1 ? `-${k}` : ""}`;
      const init = new docker.Container(
        `${a.resourceName}${suffix}`,
        {
          ...oneShotArgs(c.init.apply((all) => all[k])),
          image: imageAfter(pulled.imageId, [before]),
          mounts: volumeMounts(c, volume.name),
          labels: before.id.apply((after) => labelList({ ...labels, [LABELS.role]: "init", [LABELS.after]: after })),
        },
        { ...res, ...was(suffix) },
      );
      steps.push({ name: `${a.shape.name} init`, id: init.id, exitCode: init.exitCode });
    }
    const last = steps[steps.length - 1];
    const container = new docker.Container(
      a.resourceName,
      {
        name: c.name,
        image: imageAfter(pulled.imageId, steps),
        user: c.user,
        entrypoints: c.entrypoint,
        command: c.command,
        workingDir: c.workingDir,
        envs: c.env.apply((env) => Object.entries(env).map(([k, v]) => `${k}=${v}`)),
        restart: c.restart,
        mounts: volumeMounts(c, volume.name),
        networksAdvanced: [{ name: engine.network.name, ...(site.placement.ipv4Address ? { ipv4Address: site.placement.ipv4Address } : {}) }],
        ports: c.ports.apply((ps) => ps.map((p) => ({ internal: p.internal, external: p.external, ip: p.ip, protocol: p.protocol }))),
        labels: last.id.apply((after) => labelList({ ...labels, [LABELS.role]: "node", [LABELS.after]: after })),
        healthcheck: c.apply((d) => (d.healthcheck ? healthcheckArgs(d.healthcheck) : undefined)) as pulumi.Output<docker.types.input.ContainerHealthcheck>,
        // Healthy before the next placement starts (a fleet rolls one workload at a time).
        wait: c.apply((d) => d.healthcheck !== undefined),
        waitTimeout: 120,
        mustRun: true,
        // Room to flush a database on SIGTERM before a replacement removes the container.
        destroyGraceSeconds: 30,
      },
      { ...res, ...was("") },
    );
    return {
      resource: container,
      // Known once the container runs (and is healthy).
      url: (port, path = "") => container.id.apply(() => publishedUrl(site, port, multiHost, path)),
      // By container name: Docker's DNS on the consortium's network.
      stackUrl: (port, path = "") => pulumi.all([container.name, a.workload]).apply(([name, w]) => `http://${name}:${workloadPort(w, port).port}${path}`),
    };
  }
}
