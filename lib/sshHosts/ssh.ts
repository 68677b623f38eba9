// Commands on a bare-metal host over SSH (ssh2). The host's key is pinned: a connection presenting any other key
// is refused before authentication. Every failure names the host.
import { readFile } from "node:fs/promises";
import { Client, ConnectConfig } from "ssh2";
import { shq } from "../../render/sshHosts/hostScripts";
import type { SshHostSpec } from "../../settings/workerPool";

/** How to reach a host, as the pool spec gives it (`name` is used in every error). */
export type SshConnection = Pick<SshHostSpec, "name" | "address" | "port" | "user" | "sshKeyPath" | "hostKey">;

/** A failure on one host: the message starts with the host's name and address. */
export class HostError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(`host ${host}: ${message}`);
    this.name = "HostError";
  }
}

// Host key algorithms a pinned key type may be presented under (RSA keys sign with SHA-2 variants).
const ALGORITHMS: Record<string, string[]> = { "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] };

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class HostSession {
  private constructor(
    readonly target: SshConnection,
    private readonly client: Client,
  ) {}

  static async open(target: SshConnection, timeoutMs = 15_000): Promise<HostSession> {
    const where = `${target.user}@${target.address}:${target.port}`;
    const [type, blob] = target.hostKey.trim().split(/\s+/);
    const pinned = Buffer.from(blob ?? "", "base64");
    let presented: Buffer | undefined;
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: timeoutMs,
      algorithms: { serverHostKey: (ALGORITHMS[type] ?? [type]) as never },
      hostVerifier: (key: Buffer) => {
        presented = key;
        return key.equals(pinned);
      },
    };
    try {
      if (target.sshKeyPath) config.privateKey = await readFile(target.sshKeyPath);
      else if (process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
      else throw new Error("no sshKeyPath and no SSH agent (SSH_AUTH_SOCK)");
    } catch (e) {
      throw new HostError(target.name, `cannot read the SSH key: ${(e as Error).message}. Fix: set sshKeyPath to a readable private key, or start an SSH agent`);
    }
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once("ready", resolve);
      client.once("error", (e: Error) => {
        const mismatch = presented && !presented.equals(pinned);
        reject(
          new HostError(
            target.name,
            mismatch
              ? `${where} presented a host key other than the pinned ${type} key: refusing to connect. Fix: check the host's key out of band and update hostKey`
              : `cannot connect over SSH to ${where}: ${e.message}`,
          ),
        );
      });
      client.connect(config);
    });
    return new HostSession(target, client);
  }

  /** Runs a script with `sh` (through `sudo -n` for a non-root user), optionally feeding stdin. */
  exec(script: string, stdin?: Buffer | string): Promise<ExecResult> {
    const sh = `sh -c ${shq(script)}`;
    const command = this.target.user === "root" ? sh : `sudo -n ${sh}`;
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new HostError(this.target.name, `cannot run a command: ${err.message}`));
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        stream.on("data", (d: Buffer) => out.push(d));
        stream.stderr.on("data", (d: Buffer) => errs.push(d));
        stream.on("close", (code: number | null) =>
          resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errs).toString() }),
        );
        stream.end(stdin ?? "");
      });
    });
  }

  /** Like exec, but a non-zero exit is a HostError saying what was being done. */
  async run(what: string, script: string, stdin?: Buffer | string): Promise<string> {
    const r = await this.exec(script, stdin);
    if (r.code !== 0) throw new HostError(this.target.name, `${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
    return r.stdout;
  }

  close(): void {
    this.client.end();
  }
}

/** Opens a session, runs `fn`, and always closes the session. */
export async function withHost<T>(target: SshConnection, fn: (s: HostSession) => Promise<T>): Promise<T> {
  const session = await HostSession.open(target);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
