// Fills a run spec's secret files from the key material (in the apply layer, inside a Pulumi secret).
import { RunSpec } from "./runSpec";

export interface SecretValues {
  /** devp2p node private key, 0x-hex or bare hex. */
  nodeKey: string;
  /** Keystore password, for sealers that sign with a keystore. */
  password?: string;
}

export function resolveSecretFiles(secretFiles: RunSpec["secretFiles"], values: SecretValues): Record<string, string> {
  const bare = values.nodeKey.replace(/^0x/, "");
  const out: Record<string, string> = {};
  for (const [path, source] of Object.entries(secretFiles)) {
    if (source === "password" && values.password === undefined) throw new Error(`secret file ${path} needs a keystore password`);
    out[path] = source === "nodeKey" ? bare : source === "nodeKey0x" ? `0x${bare}` : values.password!;
  }
  return out;
}
