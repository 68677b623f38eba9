// Container descriptions (render/docker) → @pulumi/docker arguments. The same mapping testkit/docker/createBody.ts
// makes for the Engine API in tests; no protocol knowledge here.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerDescription, OneShotContainer } from "../../../render/docker/container";
import { Healthcheck } from "../../../render/docker/healthcheck";

type Out<T> = pulumi.Output<T>;

export const labelList = (labels: Record<string, string>) => Object.entries(labels).map(([label, value]) => ({ label, value }));

/** The node's volume at its target, without Docker's copy-up (see VolumeMount.noCopy). */
export function volumeMounts(c: Out<ContainerDescription>, volumeName: pulumi.Input<string>): pulumi.Input<docker.types.input.ContainerMount[]> {
  return c.apply((d) => [{ type: "volume", target: d.volume.target, source: volumeName, volumeOptions: { noCopy: d.volume.noCopy } }]);
}

/**
 * Every file of the node as provider uploads, owned by the node user with its mode (0600 for secrets): upload
 * `owner`/`group`/`permissions` need @pulumi/docker 5 (its tar headers carry them; the daemon keeps them).
 * `secretValues` (path → content) must be a secret Output: the whole list then travels and is stored as a secret.
 */
export function uploads(c: Out<Pick<ContainerDescription, "user" | "files" | "secretFiles">>, secretValues: Out<Record<string, string>>): Out<docker.types.input.ContainerUpload[]> {
  return pulumi.all([c, secretValues]).apply(([d, values]) => {
    const [owner, group] = d.user.split(":");
    const upload = (file: string, content: string, mode: number) => ({ file, content, owner, group, permissions: "0" + mode.toString(8) });
    return [...d.files.map((f) => upload(f.path, f.content, f.mode)), ...d.secretFiles.map((f) => upload(f.path, values[f.path], f.mode))];
  });
}

/** Arguments shared by the one-shot containers: run to completion (`attach`), never restarted, no network. */
export function oneShotArgs(s: Out<OneShotContainer>) {
  return {
    name: s.name,
    user: s.user,
    entrypoints: s.entrypoint,
    command: s.command,
    workingDir: s.workingDir,
    networkMode: "none",
    restart: "no",
    attach: true,
    logs: true,
    mustRun: false,
  };
}

export function healthcheckArgs(h: Healthcheck): docker.types.input.ContainerHealthcheck {
  const s = (n: number) => `${n}s`;
  return { tests: h.test, interval: s(h.intervalSeconds), timeout: s(h.timeoutSeconds), retries: h.retries, startPeriod: s(h.startPeriodSeconds) };
}

/** The image input of a container, failing the container's creation if a step it follows exited non-zero. */
export function imageAfter(image: pulumi.Input<string>, steps: { name: string; exitCode: Out<number> }[]): Out<string> {
  return pulumi.all([pulumi.output(image), pulumi.all(steps.map((s) => s.exitCode))]).apply(([img, codes]) => {
    const failed = codes.findIndex((code) => code !== undefined && code !== null && code !== 0);
    if (failed >= 0) throw new Error(`${steps[failed].name} exited with code ${codes[failed]}: see its container logs`);
    return img;
  });
}
