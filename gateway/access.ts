// Who is calling: the API key a request presents, checked against the stack's keys (a secret file) without revealing
// through timing which key, or how much of one, matched.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

export class ApiKeys {
  private readonly digests: { name: string; digest: Buffer }[];

  /** By holder name (what logs say), the keys. */
  constructor(keys: Record<string, string>) {
    this.digests = Object.entries(keys).map(([name, key]) => ({ name, digest: digest(key) }));
  }

  /** The name of the key presented, or undefined: every key is compared, each in constant time over its digest. */
  holder(presented: string | undefined): string | undefined {
    if (!presented) return undefined;
    const d = digest(presented);
    let found: string | undefined;
    for (const k of this.digests) if (timingSafeEqual(k.digest, d)) found = k.name;
    return found;
  }
}

/** The key a request presents: `Authorization: Bearer <key>`, or the URL path `/<key>` (wallets cannot set headers). */
export function presentedKey(authorization: string | undefined, path: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (bearer) return bearer;
  const segment = decodeURIComponent(path.split("?")[0].replace(/^\/+|\/+$/g, ""));
  return segment.length > 0 ? segment : undefined;
}
