// The local Docker engine as the runner drives it: the docker CLI for most verbs, and the Engine API (over the
// local socket) to create containers, because the CLI cannot express every description: `--health-cmd` is
// always CMD-SHELL, which an image without a shell cannot run.
import { execa } from "execa";
import { request } from "node:http";

/** API version every supported daemon speaks (Debian's docker.io 20.10 tops out at 1.41). */
const API = "/v1.41";
const DEFAULT_TIMEOUT_MS = 60_000;

export interface DockerCall {
  input?: Buffer | string;
  timeoutMs?: number;
  /** Return the failed result instead of throwing. */
  reject?: boolean;
}

export async function docker(args: string[], call: DockerCall = {}) {
  return execa("docker", args, {
    ...(call.input !== undefined ? { input: call.input } : {}),
    timeout: call.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    reject: call.reject ?? true,
  });
}

/** `docker <args>` whose stdout is binary (a tar stream). */
export async function dockerBytes(args: string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
  const r = await execa("docker", args, { encoding: "buffer", timeout: timeoutMs });
  return Buffer.from(r.stdout);
}

function socketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (!host) return "/var/run/docker.sock";
  if (host.startsWith("unix://")) return host.slice("unix://".length);
  throw new Error(`the Docker runner drives a local engine only (DOCKER_HOST=${host}); remote hosts go through the Pulumi provider`);
}

/** One Engine API call with a JSON body; resolves to the parsed JSON answer, rejects on a non-2xx status. */
export function engineApi(method: string, path: string, body?: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<unknown> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socketPath(),
        method,
        path: API + path,
        timeout: timeoutMs,
        headers: payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`Docker API ${method} ${path}: ${res.statusCode} ${text.trim()}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`Docker API ${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}
