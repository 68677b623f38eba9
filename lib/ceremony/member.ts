// On a member's machine: generate the signer key (encrypted keystore + password) and a separate node key, keep
// them in the member directory (0700, secret files 0600), and write the public contribution beside them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { keystoreFileName, KeystoreV3 } from "../../render/keys/keystore";
import { encryptKeystore } from "../keygen";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { randomPassword, randomPrivateKey } from "../keygen";
import { Contribution, contributionFileName, parseEndpoint, signContribution } from "./contribution";
import { Ceremony } from "./params";

export const MEMBER_FILES = { keystoreDir: "keystore", password: "password", nodeKey: "nodekey" } as const;

export interface ContributeOptions {
  ceremony: Ceremony;
  authority: string;
  endpoint: string;
  /** Member directory (created 0700); must not hold keys already. */
  dir: string;
  /** scrypt N of the keystore (default 2^18). */
  scryptN?: number;
  log?: (line: string) => void;
}

export interface ContributeResult {
  contribution: Contribution;
  contributionFile: string;
  keystoreFile: string;
}

async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600, flag: "wx" });
  await chmod(path, 0o600);
}

export async function contribute(o: ContributeOptions): Promise<ContributeResult> {
  const log = o.log ?? (() => {});
  const expected = o.ceremony.parameters.authorities.find((a) => a.name === o.authority);
  if (!expected) {
    throw new Error(`authority "${o.authority}" is not expected by this ceremony (expected: ${o.ceremony.parameters.authorities.map((a) => a.name).join(", ")})`);
  }
  if (!parseEndpoint(o.endpoint)) throw new Error(`endpoint ${JSON.stringify(o.endpoint)} is not host:port with a port from 1 to 65535 (where other members reach your node)`);
  if (existsSync(join(o.dir, MEMBER_FILES.nodeKey)) || existsSync(join(o.dir, MEMBER_FILES.password))) {
    throw new Error(`${o.dir} already holds keys; use a fresh directory (existing keys are never overwritten)`);
  }
  await mkdir(join(o.dir, MEMBER_FILES.keystoreDir), { recursive: true, mode: 0o700 });
  await chmod(o.dir, 0o700);
  await chmod(join(o.dir, MEMBER_FILES.keystoreDir), 0o700);

  const signerKey = randomPrivateKey();
  const nodeKey = randomPrivateKey();
  const password = randomPassword();
  const scryptN = o.scryptN ?? 2 ** 18;
  log(`encrypting the signer keystore (scrypt N=${scryptN}) …`);
  const keystore: KeystoreV3 = await encryptKeystore(signerKey, password, { scrypt: { n: scryptN, r: 8, p: 1 } });
  const keystoreFile = join(o.dir, MEMBER_FILES.keystoreDir, keystoreFileName(keystore, new Date()));
  await writeSecret(keystoreFile, JSON.stringify(keystore));
  await writeSecret(join(o.dir, MEMBER_FILES.password), password);
  await writeSecret(join(o.dir, MEMBER_FILES.nodeKey), nodeKey.replace(/^0x/, ""));

  const contribution = await signContribution(
    { ceremonyHash: o.ceremony.ceremonyHash, authority: expected.name, member: expected.member, endpoint: o.endpoint },
    signerKey,
    nodeKey,
  );
  const contributionFile = join(o.dir, contributionFileName(expected.name));
  await writeFile(contributionFile, JSON.stringify(contribution, null, 2) + "\n", { mode: 0o644, flag: "wx" });
  log(`signer ${contribution.address}, node ${contribution.nodePublicKey.slice(0, 16)}…`);
  return { contribution, contributionFile, keystoreFile };
}

/** The public identity of the keys in a member directory: keystore address and node public key. */
export function memberIdentity(dir: string): { address: string; nodePublicKey: string } {
  const ksDir = join(dir, MEMBER_FILES.keystoreDir);
  const files = existsSync(ksDir) ? readdirSync(ksDir).filter((f) => f.startsWith("UTC--")) : [];
  if (files.length !== 1) throw new Error(`${ksDir}: expected exactly one keystore, found ${files.length}`);
  const keystore = JSON.parse(readFileSync(join(ksDir, files[0]), "utf8")) as KeystoreV3;
  const nodeKey = readFileSync(join(dir, MEMBER_FILES.nodeKey), "utf8").trim();
  return { address: "0x" + keystore.address, nodePublicKey: nodePublicKey(nodeKey) };
}

/** The member directory's key material, for starting its own node (never printed). */
export function memberSecrets(dir: string): { keystore: string; password: string; nodeKey: string } {
  const ksDir = join(dir, MEMBER_FILES.keystoreDir);
  const [file] = readdirSync(ksDir).filter((f) => f.startsWith("UTC--"));
  return {
    keystore: readFileSync(join(ksDir, file), "utf8"),
    password: readFileSync(join(dir, MEMBER_FILES.password), "utf8"),
    nodeKey: readFileSync(join(dir, MEMBER_FILES.nodeKey), "utf8").trim(),
  };
}
