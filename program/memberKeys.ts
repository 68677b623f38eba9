// An authority whose keys a member made in the ceremony: this stack runs its node (and its bridge validator's agent)
// from the member's own key directory (the member's stack, on the member's machine). Passwords and the node key
// become Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { FleetAuthority } from "../components/fleet/Fleet";
import { memberBridgeSecrets, memberSecrets } from "../lib/ceremony/member";
import { nodePublicKey } from "../render/keys/nodeKey";
import { AuthoritySpec, ExternalAuthority } from "../settings/consortium";

type MemberAuthority = AuthoritySpec & { external: ExternalAuthority & { keyDir: string } };

/** Reads a member's key directory, or stops the program with the field and the fix. */
function readKeyDir<T>(at: string, dir: string, read: (dir: string) => T): T {
  try {
    return read(dir);
  } catch (err) {
    throw new pulumi.RunError(`${at}.keyDir: cannot read the member's keys in ${dir} (${(err as Error).message}). Fix: point keyDir at the directory \`npm run ceremony -- contribute --out\` wrote.`);
  }
}

/** The keystore's address must be the one the consortium knows: another member's directory would run the wrong key. */
function checkKeystoreAddress(at: string, dir: string, keystore: string, field: string, expected: string): void {
  const address = "0x" + String((JSON.parse(keystore) as { address?: string }).address ?? "");
  if (address.toLowerCase() !== expected.toLowerCase()) {
    throw new pulumi.RunError(`${at}.keyDir: the ${field} keystore in ${dir} is for ${address}, not ${expected}. Fix: use this authority's own key directory.`);
  }
}

export function memberAuthority(a: MemberAuthority, index: number): FleetAuthority {
  const at = `consortium:authorities[${index}].external`;
  const dir = resolve(a.external.keyDir);
  const keys = readKeyDir(at, dir, memberSecrets);
  checkKeystoreAddress(at, dir, keys.keystore, "signer", a.external.address);
  if (nodePublicKey(keys.nodeKey) !== a.external.nodePublicKey) {
    throw new pulumi.RunError(`${at}.keyDir: the node key in ${dir} does not match nodePublicKey. Fix: use this authority's own key directory.`);
  }
  return {
    name: a.name,
    address: a.external.address,
    keystore: keys.keystore,
    password: pulumi.secret(keys.password),
    nodeKey: pulumi.secret(keys.nodeKey),
    nodePublicKey: a.external.nodePublicKey,
    // On the member's host, its node listens where the other members dial it (the local target; render/fleet.ts).
    ...(a.external.endpoint ? { endpoint: a.external.endpoint } : {}),
  };
}

/** The member's bridge validator key from the ceremony (`external.bridgeValidator`, kept in its key directory). */
export function memberBridgeValidator(a: AuthoritySpec, index: number): { address: string; keystore: string; password: pulumi.Output<string> } {
  const at = `consortium:authorities[${index}].external`;
  const { keyDir, bridgeValidator } = a.external!;
  const dir = resolve(keyDir!);
  const keys = readKeyDir(at, dir, memberBridgeSecrets);
  checkKeystoreAddress(at, dir, keys.keystore, "bridge validator", bridgeValidator!);
  return { address: bridgeValidator!, keystore: keys.keystore, password: pulumi.secret(keys.password) };
}
