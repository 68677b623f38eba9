// On a member's machine: generate the signer key and the bridge validator key (each an encrypted keystore + its own
// password) and a separate node key, keep them in the member directory (0700, secret files 0600), and write the
// public contribution beside them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { keystoreFileName, KeystoreV3 } from "../../render/keys/keystore";
import { encryptKeystore } from "../keygen";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { randomPassword, randomPrivateKey } from "../keygen";
import { parseEndpoint } from "../../settings/fields";
import { Contribution, contributionFileName, signContribution } from "./contribution";
import { Ceremony } from "./params";

export const MEMBER_FILES = {
  keystoreDir: "keystore",
  password: "password",
  nodeKey: "nodekey",
  bridgeKeystoreDir: "bridge-keystore",
  bridgePassword: "bridge-password",
} as const;

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

/** Encrypts `key` with a fresh password into a v3 keystore in `ksDir` (0700) and the password to `passwordFile`; returns the keystore's path. */
async function writeKeystore(ksDir: string, passwordFile: string, key: string, scryptN: number): Promise<string> {
  await mkdir(ksDir, { recursive: true, mode: 0o700 });
  await chmod(ksDir, 0o700);
  const password = randomPassword();
  const keystore = await encryptKeystore(key, password, { scrypt: { n: scryptN, r: 8, p: 1 } });
  const file = join(ksDir, keystoreFileName(keystore, new Date()));
  await writeSecret(file, JSON.stringify(keystore));
  await writeSecret(passwordFile, password);
  return file;
}

export async function contribute(o: ContributeOptions): Promise<ContributeResult> {
  const log = o.log ?? (() => {});
  const expected = o.ceremony.parameters.authorities.find((a) => a.name === o.authority);
  if (!expected) {
    throw new Error(`authority "${o.authority}" is not expected by this ceremony (expected: ${o.ceremony.parameters.authorities.map((a) => a.name).join(", ")})`);
  }
  if (!parseEndpoint(o.endpoint)) throw new Error(`endpoint ${JSON.stringify(o.endpoint)} is not host:port with a port from 1 to 65535 (where other members reach your node)`);
  if ([MEMBER_FILES.nodeKey, MEMBER_FILES.password, MEMBER_FILES.bridgePassword].some((f) => existsSync(join(o.dir, f)))) {
    throw new Error(`${o.dir} already holds keys; use a fresh directory (existing keys are never overwritten)`);
  }
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  await chmod(o.dir, 0o700);

  const signerKey = randomPrivateKey();
  const nodeKey = randomPrivateKey();
  const bridgeKey = randomPrivateKey();
  const scryptN = o.scryptN ?? 2 ** 18;
  log(`encrypting the signer and bridge validator keystores (scrypt N=${scryptN}) …`);
  const keystoreFile = await writeKeystore(join(o.dir, MEMBER_FILES.keystoreDir), join(o.dir, MEMBER_FILES.password), signerKey, scryptN);
  await writeKeystore(join(o.dir, MEMBER_FILES.bridgeKeystoreDir), join(o.dir, MEMBER_FILES.bridgePassword), bridgeKey, scryptN);
  await writeSecret(join(o.dir, MEMBER_FILES.nodeKey), nodeKey.replace(/^0x/, ""));

  const contribution = await signContribution(
    { ceremonyHash: o.ceremony.ceremonyHash, authority: expected.name, member: expected.member, endpoint: o.endpoint },
    signerKey,
    nodeKey,
    bridgeKey,
  );
  const contributionFile = join(o.dir, contributionFileName(expected.name));
  await writeFile(contributionFile, JSON.stringify(contribution, null, 2) + "\n", { mode: 0o644, flag: "wx" });
  log(`signer ${contribution.address}, bridge validator ${contribution.bridgeValidator}, node ${contribution.nodePublicKey.slice(0, 16)}…`);
  return { contribution, contributionFile, keystoreFile };
}

/** The `UTC--…` keystore files in a keystore directory (none if it does not exist). */
function keystoreFiles(ksDir: string): string[] {
  return existsSync(ksDir) ? readdirSync(ksDir).filter((f) => f.startsWith("UTC--")).map((f) => join(ksDir, f)) : [];
}

/** The public identity of the keys in a member directory: keystore address, node public key, bridge validator (if any). */
export function memberIdentity(dir: string): { address: string; nodePublicKey: string; bridgeValidator?: string } {
  const keystoreAddress = (ksDir: string) => {
    const files = keystoreFiles(ksDir);
    if (files.length !== 1) throw new Error(`${ksDir}: expected exactly one keystore, found ${files.length}`);
    return "0x" + (JSON.parse(readFileSync(files[0], "utf8")) as KeystoreV3).address;
  };
  const nodeKey = readFileSync(join(dir, MEMBER_FILES.nodeKey), "utf8").trim();
  const bridgeDir = join(dir, MEMBER_FILES.bridgeKeystoreDir);
  return {
    address: keystoreAddress(join(dir, MEMBER_FILES.keystoreDir)),
    nodePublicKey: nodePublicKey(nodeKey),
    ...(existsSync(bridgeDir) ? { bridgeValidator: keystoreAddress(bridgeDir) } : {}),
  };
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

/** The member directory's bridge validator key material, for running its bridge agent (never printed). */
export function memberBridgeSecrets(dir: string): { keystore: string; password: string } {
  const ksDir = join(dir, MEMBER_FILES.bridgeKeystoreDir);
  const passwordFile = join(dir, MEMBER_FILES.bridgePassword);
  const files = keystoreFiles(ksDir);
  if (files.length === 0 || !existsSync(passwordFile)) {
    throw new Error(
      `${dir} holds no bridge validator key (${MEMBER_FILES.bridgeKeystoreDir}/UTC--… or ${MEMBER_FILES.bridgePassword} is missing; ` +
        "`npm run ceremony -- contribute` makes one only since bridge validator keys joined the ceremony). " +
        "Fix: restore the files from the member's backup, or contribute again into a fresh directory and have the contributions assembled again",
    );
  }
  if (files.length > 1) throw new Error(`${ksDir}: expected exactly one bridge validator keystore, found ${files.length}`);
  return { keystore: readFileSync(files[0], "utf8"), password: readFileSync(passwordFile, "utf8") };
}
