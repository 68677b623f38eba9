// An authority whose keys a member made in the ceremony: this stack runs its node from the member's own key
// directory (the member's stack, on the member's machine). The password and node key become Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { FleetAuthority } from "../components/fleet/Fleet";
import { memberSecrets } from "../lib/ceremony/member";
import { nodePublicKey } from "../render/keys/nodeKey";
import { AuthoritySpec, ExternalAuthority } from "../settings/consortium";

export function memberAuthority(a: AuthoritySpec & { external: ExternalAuthority & { keyDir: string } }, index: number): FleetAuthority {
  const at = `consortium:authorities[${index}].external`;
  const dir = resolve(a.external.keyDir);
  let keys: ReturnType<typeof memberSecrets>;
  try {
    keys = memberSecrets(dir);
  } catch (err) {
    throw new pulumi.RunError(`${at}.keyDir: cannot read the member's keys in ${dir} (${(err as Error).message}). Fix: point keyDir at the directory \`npm run ceremony -- contribute --out\` wrote.`);
  }
  const keystoreAddress = "0x" + String((JSON.parse(keys.keystore) as { address?: string }).address ?? "");
  if (keystoreAddress.toLowerCase() !== a.external.address.toLowerCase()) {
    throw new pulumi.RunError(`${at}.keyDir: the keystore in ${dir} is for ${keystoreAddress}, not ${a.external.address}. Fix: use this authority's own key directory.`);
  }
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
