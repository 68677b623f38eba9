// A member's contribution: only public parts, with two possession proofs (signer key and node key) bound to the
// ceremony, the authority, both public keys and the endpoint.
import { computeAddress, getAddress, hashMessage, SigningKey, verifyMessage, Wallet } from "ethers";
import { isRecord } from "../../settings/fields";
import { nodePublicKey as publicKeyOf } from "../../render/keys/nodeKey";

export interface Contribution {
  version: 1;
  ceremonyHash: string;
  authority: string;
  member: string;
  /** Checksummed signer address. */
  address: string;
  /** devp2p node public key: 128 hex digits, no 0x. */
  nodePublicKey: string;
  /** `host:port` where the member's node accepts peers. */
  endpoint: string;
  /** EIP-191 signature of `possessionMessage` by the signer key. */
  signerSignature: string;
  /** EIP-191 signature of `possessionMessage` by the node key. */
  nodeSignature: string;
}

export type ContributionClaims = Pick<Contribution, "ceremonyHash" | "authority" | "member" | "address" | "nodePublicKey" | "endpoint">;

export const contributionFileName = (authority: string) => `contribution-${authority}.json`;

/** The text both keys sign: everything a contribution claims, so no part can be swapped. */
export function possessionMessage(c: ContributionClaims): string {
  return [
    "consortium-deployer key ceremony contribution",
    `ceremony: ${c.ceremonyHash}`,
    `authority: ${c.authority}`,
    `member: ${c.member}`,
    `address: ${c.address}`,
    `nodePublicKey: ${c.nodePublicKey}`,
    `endpoint: ${c.endpoint}`,
  ].join("\n");
}

const ENDPOINT = /^[A-Za-z0-9.-]+:(\d{1,5})$/;

/** host and port of a `host:port` endpoint, or undefined if it is not one. */
export function parseEndpoint(endpoint: string): { host: string; port: number } | undefined {
  const m = ENDPOINT.exec(endpoint);
  const port = m ? Number(m[1]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) return undefined;
  return { host: endpoint.slice(0, endpoint.lastIndexOf(":")), port };
}

/** Signs the claims with both private keys (they never leave this function's caller). */
export async function signContribution(
  claims: Omit<ContributionClaims, "address" | "nodePublicKey">,
  signerKey: string,
  nodeKey: string,
): Promise<Contribution> {
  if (!parseEndpoint(claims.endpoint)) throw new Error(`endpoint ${JSON.stringify(claims.endpoint)} is not host:port with a port from 1 to 65535`);
  if (signerKey.replace(/^0x/, "").toLowerCase() === nodeKey.replace(/^0x/, "").toLowerCase()) throw new Error("the signer key must not be the node key");
  const full: ContributionClaims = { ...claims, address: computeAddress(signerKey), nodePublicKey: publicKeyOf(nodeKey) };
  const message = possessionMessage(full);
  return {
    version: 1,
    ...full,
    signerSignature: await new Wallet(signerKey).signMessage(message),
    nodeSignature: await new Wallet(nodeKey).signMessage(message),
  };
}

/**
 * Problems with one contribution on its own (shape, ceremony hash, both signatures); empty if it is sound.
 * Returns the typed contribution when the shape is right.
 */
export function checkContribution(doc: unknown, ceremonyHash: string): { contribution?: Contribution; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(doc)) return { problems: ["is not a JSON object"] };
  for (const key of ["ceremonyHash", "authority", "member", "address", "nodePublicKey", "endpoint", "signerSignature", "nodeSignature"]) {
    if (typeof doc[key] !== "string") problems.push(`field "${key}" is missing or not a string`);
  }
  if (doc.version !== 1) problems.push(`version ${JSON.stringify(doc.version)} is not 1`);
  const known = ["version", "ceremonyHash", "authority", "member", "address", "nodePublicKey", "endpoint", "signerSignature", "nodeSignature"];
  for (const key of Object.keys(doc)) if (!known.includes(key)) problems.push(`unexpected field "${key}" (a contribution carries public parts only)`);
  if (problems.length > 0) return { problems };
  const c = doc as unknown as Contribution;
  if (c.ceremonyHash !== ceremonyHash) problems.push(`ceremonyHash ${c.ceremonyHash} is not this ceremony's ${ceremonyHash} (made for another ceremony file?)`);
  let address: string | undefined;
  try {
    address = getAddress(c.address);
  } catch {
    problems.push(`address ${c.address} is not a valid address`);
  }
  if (!/^[0-9a-f]{128}$/.test(c.nodePublicKey)) problems.push("nodePublicKey is not 128 lower-case hex digits");
  if (!parseEndpoint(c.endpoint)) problems.push(`endpoint ${JSON.stringify(c.endpoint)} is not host:port with a port from 1 to 65535`);
  if (problems.length > 0) return { problems };
  const message = possessionMessage(c);
  try {
    const recovered = verifyMessage(message, c.signerSignature);
    if (recovered !== address) problems.push(`signerSignature was made by ${recovered}, not by the claimed signer ${address}`);
  } catch (e) {
    problems.push(`signerSignature is not a valid signature (${(e as Error).message})`);
  }
  try {
    const recovered = SigningKey.recoverPublicKey(hashMessage(message), c.nodeSignature).slice(4);
    if (recovered !== c.nodePublicKey) problems.push("nodeSignature was not made by the claimed node key");
  } catch (e) {
    problems.push(`nodeSignature is not a valid signature (${(e as Error).message})`);
  }
  if (address && computeAddress("0x04" + c.nodePublicKey) === address) problems.push("the signer key is the node key; use two separate keys");
  return { contribution: c, problems };
}
