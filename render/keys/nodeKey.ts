// devp2p identities: node key → node public key (enode id) → enode URL.
import { SigningKey } from "ethers";

/** The 64-byte uncompressed public key (without the 0x04 prefix) of a devp2p node key, lower-case hex, no 0x. */
export function nodePublicKey(nodeKey: string): string {
  const key = nodeKey.startsWith("0x") ? nodeKey : "0x" + nodeKey;
  return SigningKey.computePublicKey(key, false).slice(4);
}

export function enodeUrl(publicKey: string, host: string, port: number): string {
  if (!/^[0-9a-f]{128}$/.test(publicKey)) throw new Error(`enodeUrl: ${publicKey} is not a 64-byte public key`);
  return `enode://${publicKey}@${host}:${port}`;
}

/** geth's `nodekey` file: the private key as 64 hex digits without 0x and without newline. */
export function nodeKeyFile(nodeKey: string): string {
  return nodeKey.replace(/^0x/, "");
}
