// The Docker engine the bootstrap provides (Debian docker.io, dockerd started on demand) runs an image built
// locally from the pinned geth binary: no registry is involved.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, ensureDocker, importBinaryImage } from "../../testkit/dockerd";
import { ensureTools } from "../../lib/toolchain/resolve";

describe("Docker engine from the bootstrap", () => {
  let engine: DockerEngine;
  const tag = `consortium-test/geth:${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    engine = await ensureDocker(() => {});
  }, 300_000);

  afterAll(async () => {
    await execa("docker", ["rmi", "-f", tag], { reject: false });
    await engine?.stop();
  });

  it("runs geth from an image imported from the local binary, as a non-root user", async () => {
    const { geth } = await ensureTools({ build: false, log: () => {} });
    await importBinaryImage(geth, tag, () => {});
    const run = await execa("docker", ["run", "--rm", "--network", "none", tag, "version"]);
    expect(run.stdout).toContain("Version: 1.13.15-stable");
    const user = await execa("docker", ["image", "inspect", "--format", "{{.Config.User}}", tag]);
    expect(user.stdout.trim()).toBe("10001");
  });
});
