// lib/cli/outputsCache.ts: commands that only read a stack's outputs start no engine while a cached copy is the
// current checkpoint's; any new checkpoint makes it stale; secrets never reach the file.
import { mkdtemp, mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { projectName } from "../../lib/cli/env";
import { cachedOutputs, cacheOutputs, outputsCacheFile } from "../../lib/cli/outputsCache";

const STACK = `cache-test-${process.pid}`;
const OUTPUTS = {
  rpcUrl: { value: "http://127.0.0.1:30510", secret: false },
  bridge: { value: { home: { gateway: "0x01" } }, secret: false },
  devAccount: { value: { address: "0xa02D99Aa7465eCCF944a657d9eCBBc9e4800Ad8C", privateKey: "0x" + "ab".repeat(32) }, secret: true },
  foreignRpcUrl: { value: "https://mainnet.example/v3/an-api-key", secret: true },
};

describe("cached stack outputs (lib/cli/outputsCache.ts)", () => {
  let backend: string;
  let checkpoint: string;

  beforeEach(async () => {
    backend = await mkdtemp(join(tmpdir(), "backend-"));
    vi.stubEnv("PULUMI_BACKEND_URL", `file://${backend}`);
    checkpoint = join(backend, ".pulumi", "stacks", projectName(), `${STACK}.json`);
    await mkdir(dirname(checkpoint), { recursive: true });
    await writeFile(checkpoint, "{}\n");
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(backend, { recursive: true, force: true });
    await rm(dirname(outputsCacheFile(STACK)), { recursive: true, force: true });
  });

  it("serves the public outputs of the checkpoint they were taken from, and never a secret", async () => {
    expect(await cachedOutputs(STACK)).toBeUndefined();
    await cacheOutputs(STACK, OUTPUTS);
    expect(await cachedOutputs(STACK)).toEqual({
      rpcUrl: OUTPUTS.rpcUrl,
      bridge: OUTPUTS.bridge,
      devAccount: { value: { address: OUTPUTS.devAccount.value.address } },
    });
    const file = await readFile(outputsCacheFile(STACK), "utf8");
    expect(file).not.toContain("ab".repeat(32));
    expect(file).not.toContain("an-api-key");
  });

  it("is stale once the stack has a new checkpoint (an up, refresh or destroy by any tool)", async () => {
    await cacheOutputs(STACK, OUTPUTS);
    await utimes(checkpoint, new Date(), new Date(Date.now() + 5000));
    expect(await cachedOutputs(STACK)).toBeUndefined();
    await rm(checkpoint);
    expect(await cachedOutputs(STACK)).toBeUndefined();
  });

  it("is never used with a backend other than a file backend", async () => {
    await cacheOutputs(STACK, OUTPUTS);
    vi.stubEnv("PULUMI_BACKEND_URL", "https://api.pulumi.example");
    expect(await cachedOutputs(STACK)).toBeUndefined();
  });
});
