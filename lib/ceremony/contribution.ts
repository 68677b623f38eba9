// A member's contribution: only public parts, with possession proofs (signer key, node key and bridge validator key)
// bound to the ceremony, the authority, the public keys and the endpoint.
import { computeAddress, getAddress, hashMessage, isAddress, SigningKey, verifyMessage, Wallet } from "ethers";
import { isRecord, parseEndpoint } from "../../settings/fields";
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
  /** Checksummed address of the member's bridge validator key (absent in contributions made before bridge keys). */
  bridgeValidator?: string;
  /** EIP-191 signature of `possessionMessage` by the bridge validator key (with `bridgeValidator`). */
  bridgeSignature?: string;
}

export type ContributionClaims = Pick<Contribution, "ceremonyHash" | "authority" | "member" | "address" | "nodePublicKey" | "endpoint" | "bridgeValidator">;

export const contributionFileName = (authority: string) => `contribution-${authority}.json`;

/** The text every key signs: everything a contribution claims, so no part can be swapped. */
export function possessionMessage(c: ContributionClaims): string {
  return [
    "consortium-deployer key ceremony contribution",
    `ceremony: ${c.ceremonyHash}`,
    `authority: ${c.authority}`,
    `member: ${c.member}`,
    `address: ${c.address}`,
    `nodePublicKey: ${c.nodePublicKey}`,
    `endpoint: ${c.endpoint}`,
    // Only when claimed, so contributions made before bridge keys keep their message.
    ...(c.bridgeValidator === undefined ? [] : [`bridgeValidator: ${c.bridgeValidator}`]),
  ].join("\n");
}

/** Signs the claims with the private keys (they never leave this function's caller); `bridgeKey` adds the bridge validator. */
export async function signContribution(
  claims: Omit<ContributionClaims, "address" | "nodePublicKey" | "bridgeValidator">,
  signerKey: string,
  nodeKey: string,
  bridgeKey?: string,
): Promise<Contribution> {
  if (!parseEndpoint(claims.endpoint)) throw new Error(`endpoint ${JSON.stringify(claims.endpoint)} is not host:port with a port from 1 to 65535`);
  if (signerKey.replace(/^0x/, "").toLowerCase() === nodeKey.replace(/^0x/, "").toLowerCase()) throw new Error("the signer key must not be the node key");
  const full: ContributionClaims = {
    ...claims,
    address: computeAddress(signerKey),
    nodePublicKey: publicKeyOf(nodeKey),
    ...(bridgeKey === undefined ? {} : { bridgeValidator: computeAddress(bridgeKey) }),
  };
  const message = possessionMessage(full);
  return {
    version: 1,
    ...full,
    signerSignature: await new Wallet(signerKey).signMessage(message),
    nodeSignature: await new Wallet(nodeKey).signMessage(message),
    ...(bridgeKey === undefined ? {} : { bridgeSignature: await new Wallet(bridgeKey).signMessage(message) }),
  };
}

/** Problems if `signature` of `message` is not by the key of the `claimed` address (`field` and `whose` name them). */
function signatureProblems(message: string, signature: string, claimed: string, field: string, whose: string): string[] {
  try {
    const recovered = verifyMessage(message, signature);
    return recovered === claimed ? [] : [`${field} was made by ${recovered}, not by the claimed ${whose} ${claimed}`];
  } catch (e) {
    return [`${field} is not a valid signature (${(e as Error).message})`];
  }
}

/** Problems with the bridge validator claim (proven by its own key, which is neither the signer nor the node key). */
function bridgeProblems(c: Contribution, message: string, signer: string): string[] {
  if (c.bridgeValidator === undefined || c.bridgeSignature === undefined) return [];
  const bridge = getAddress(c.bridgeValidator);
  const problems = signatureProblems(message, c.bridgeSignature, bridge, "bridgeSignature", "bridge validator");
  if (bridge === signer) problems.push("the bridge validator key is the signer key; use a separate key");
  if (bridge === computeAddress("0x04" + c.nodePublicKey)) problems.push("the bridge validator key is the node key; use a separate key");
  return problems;
}

/**
 * Problems with one contribution on its own (shape, ceremony hash, every signature); empty if it is sound.
 * Returns the typed contribution when the shape is right.
 */
export function checkContribution(doc: unknown, ceremonyHash: string): { contribution?: Contribution; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(doc)) return { problems: ["is not a JSON object"] };
  for (const key of ["ceremonyHash", "authority", "member", "address", "nodePublicKey", "endpoint", "signerSignature", "nodeSignature"]) {
    if (typeof doc[key] !== "string") problems.push(`field "${key}" is missing or not a string`);
  }
  // Optional, but as a pair: the bridge validator's address is only believed with its possession proof.
  if (doc.bridgeValidator !== undefined || doc.bridgeSignature !== undefined) {
    for (const key of ["bridgeValidator", "bridgeSignature"]) {
      if (typeof doc[key] !== "string") problems.push(`field "${key}" is missing or not a string (bridgeValidator and bridgeSignature come together)`);
    }
  }
  if (doc.version !== 1) problems.push(`version ${JSON.stringify(doc.version)} is not 1`);
  const known = ["version", "ceremonyHash", "authority", "member", "address", "nodePublicKey", "endpoint", "signerSignature", "nodeSignature", "bridgeValidator", "bridgeSignature"];
  for (const key of Object.keys(doc)) if (!known.includes(key)) problems.push(`unexpected field "${key}" (a contribution carries public parts only)`);
  if (problems.length > 0) return { problems };
  const c = doc as unknown as Contribution;
  if (c.ceremonyHash !== ceremonyHash) problems.push(`ceremonyHash ${c.ceremonyHash} is not this ceremony's ${ceremonyHash} (made for another ceremony file?)`);
  let address = "";
  try {
    address = getAddress(c.address);
  } catch {
    problems.push(`address ${c.address} is not a valid address`);
  }
  if (c.bridgeValidator !== undefined && !isAddress(c.bridgeValidator)) problems.push(`bridgeValidator ${c.bridgeValidator} is not a valid address`);
  if (!/^[0-9a-f]{128}$/.test(c.nodePublicKey)) problems.push("nodePublicKey is not 128 lower-case hex digits");
  if (!parseEndpoint(c.endpoint)) problems.push(`endpoint ${JSON.stringify(c.endpoint)} is not host:port with a port from 1 to 65535`);
  if (problems.length > 0) return { problems };
  const message = possessionMessage(c);
  problems.push(...signatureProblems(message, c.signerSignature, address, "signerSignature", "signer"));
  try {
    const recovered = SigningKey.recoverPublicKey(hashMessage(message), c.nodeSignature).slice(4);
    if (recovered !== c.nodePublicKey) problems.push("nodeSignature was not made by the claimed node key");
  } catch (e) {
    problems.push(`nodeSignature is not a valid signature (${(e as Error).message})`);
  }
  if (computeAddress("0x04" + c.nodePublicKey) === address) problems.push("the signer key is the node key; use two separate keys");
  problems.push(...bridgeProblems(c, message, address));
  return { contribution: c, problems };
}
