// testkit/docker/tar.ts checked against GNU tar (an independent reader and writer of the format the daemon takes),
// and testkit/docker/createBody.ts's Engine API mapping (the real daemon takes it in test/docker/gethFleet.test.ts).
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeBody, oneShotBody } from "../../testkit/docker/createBody";
import { readTar, tarArchive } from "../../testkit/docker/tar";
import { ContainerDescription } from "../../render/docker/container";

const LONG = `node/data/keystore/${"d".repeat(40)}/UTC--1970-01-01T00-00-00.000Z--${"a".repeat(40)}`;

describe("tarArchive / readTar", () => {
  it("writes archives GNU tar lists with the given owner, mode and long (prefix-split) names", async () => {
    const archive = tarArchive([
      { name: "node", content: "", mode: 0o700, uid: 10001, gid: 10001, type: "directory" },
      { name: "node/nodekey", content: "ab".repeat(32), mode: 0o600, uid: 10001, gid: 10001 },
      { name: LONG, content: "{}", mode: 0o644, uid: 10001, gid: 10002 },
    ]);
    expect(archive.length % 512).toBe(0);
    const { stdout } = await execa("tar", ["--numeric-owner", "-tvf", "-"], { input: archive });
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^drwx------ 10001\/10001 +0 .* node\/?$/);
    expect(lines[1]).toMatch(/^-rw------- 10001\/10001 +64 .* node\/nodekey$/);
    expect(lines[2]).toMatch(new RegExp(`^-rw-r--r-- 10001/10002 +2 .* ${LONG}$`));
    expect(readTar(archive).map((i) => [i.name, i.mode, i.uid, i.type, i.content.toString()])).toEqual([
      ["node", 0o700, 10001, "5", ""],
      ["node/nodekey", 0o600, 10001, "0", "ab".repeat(32)],
      [LONG, 0o644, 10001, "0", "{}"],
    ]);
  });

  it("reads archives written by GNU tar", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tar-test-"));
    try {
      writeFileSync(join(dir, "password"), "secret", { mode: 0o600 });
      const { stdout } = await execa("tar", ["-C", dir, "--owner=10001", "--group=10001", "--numeric-owner", "-cf", "-", "password"], { encoding: "buffer" });
      expect(readTar(Buffer.from(stdout)).map((i) => [i.name, i.mode & 0o777, i.uid, i.content.toString()])).toEqual([["password", 0o600, 10001, "secret"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Engine API bodies", () => {
  const c = {
    node: "rpc",
    name: "acme-rpc",
    image: "img:1",
    entrypoint: ["geth"],
    command: ["--http"],
    workingDir: "/node",
    user: "10001:10001",
    env: { A: "1" },
    restart: "unless-stopped",
    healthcheck: { test: ["CMD", "geth", "attach"], intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30 },
    network: { name: "acme-net", ipv4Address: "10.213.0.13" },
    ports: [{ internal: 8545, external: 18545, ip: "127.0.0.1", protocol: "tcp" }],
    volume: { volume: "acme-rpc-data", target: "/node", noCopy: true },
    labels: { "consortium.name": "acme" },
  } as unknown as ContainerDescription;

  it("maps a node container: exec-form healthcheck in ns, loopback port binding, static IP, nocopy volume", () => {
    expect(nodeBody(c)).toEqual({
      Image: "img:1",
      User: "10001:10001",
      Entrypoint: ["geth"],
      Cmd: ["--http"],
      WorkingDir: "/node",
      Env: ["A=1"],
      Labels: { "consortium.name": "acme", "consortium.role": "node" },
      Healthcheck: { Test: ["CMD", "geth", "attach"], Interval: 10e9, Timeout: 5e9, Retries: 3, StartPeriod: 30e9 },
      ExposedPorts: { "8545/tcp": {} },
      HostConfig: {
        Mounts: [{ Type: "volume", Source: "acme-rpc-data", Target: "/node", VolumeOptions: { NoCopy: true } }],
        NetworkMode: "acme-net",
        RestartPolicy: { Name: "unless-stopped" },
        PortBindings: { "8545/tcp": [{ HostIp: "127.0.0.1", HostPort: "18545" }] },
      },
      NetworkingConfig: { EndpointsConfig: { "acme-net": { IPAMConfig: { IPv4Address: "10.213.0.13" } } } },
    });
  });

  it("maps a one-shot container without network or restart", () => {
    const body = oneShotBody({ name: "x", image: "h:1", user: "0:0", entrypoint: ["busybox"], command: ["chown"], workingDir: "/" }, c.volume, c.labels, "prepare");
    expect(body.HostConfig).toEqual({ Mounts: [{ Type: "volume", Source: "acme-rpc-data", Target: "/node", VolumeOptions: { NoCopy: true } }], NetworkMode: "none", RestartPolicy: { Name: "no" } });
    expect(body.Labels).toEqual({ "consortium.name": "acme", "consortium.role": "prepare" });
  });
});
