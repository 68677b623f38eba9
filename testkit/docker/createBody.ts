// Container descriptions (render/docker) → Docker Engine API `POST /containers/create` bodies: the same mapping
// the Pulumi provider makes from the DockerTarget's arguments.
import { ContainerDescription, LABELS, OneShotContainer, VolumeMount } from "../../render/docker/container";

const NS_PER_S = 1_000_000_000;

const mount = (v: VolumeMount) => ({ Type: "volume", Source: v.volume, Target: v.target, VolumeOptions: { NoCopy: v.noCopy } });

/** A one-shot container (prepare, init): no network, never restarted. */
export function oneShotBody(s: OneShotContainer, volume: VolumeMount, labels: Record<string, string>, role: string) {
  return {
    Image: s.image,
    User: s.user,
    Entrypoint: s.entrypoint,
    Cmd: s.command,
    WorkingDir: s.workingDir,
    Labels: { ...labels, [LABELS.role]: role },
    HostConfig: { Mounts: [mount(volume)], NetworkMode: "none", RestartPolicy: { Name: "no" } },
  };
}

export function nodeBody(c: ContainerDescription) {
  const key = (p: { internal: number; protocol: string }) => `${p.internal}/${p.protocol}`;
  const h = c.healthcheck;
  return {
    Image: c.image,
    User: c.user,
    Entrypoint: c.entrypoint,
    Cmd: c.command,
    WorkingDir: c.workingDir,
    Env: Object.entries(c.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...c.labels, [LABELS.role]: "node" },
    ...(h
      ? {
          Healthcheck: {
            Test: h.test,
            Interval: h.intervalSeconds * NS_PER_S,
            Timeout: h.timeoutSeconds * NS_PER_S,
            Retries: h.retries,
            StartPeriod: h.startPeriodSeconds * NS_PER_S,
          },
        }
      : {}),
    ExposedPorts: Object.fromEntries(c.ports.map((p) => [key(p), {}])),
    HostConfig: {
      Mounts: [mount(c.volume)],
      NetworkMode: c.network.name,
      RestartPolicy: { Name: c.restart },
      PortBindings: Object.fromEntries(c.ports.map((p) => [key(p), [{ HostIp: p.ip, HostPort: String(p.external) }]])),
    },
    NetworkingConfig: {
      EndpointsConfig: { [c.network.name]: c.network.ipv4Address ? { IPAMConfig: { IPv4Address: c.network.ipv4Address } } : {} },
    },
  };
}
