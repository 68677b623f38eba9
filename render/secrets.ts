// Fills a run spec's secret files from the key material (in the apply layer, inside a Pulumi secret).
import { RunSpec, SecretSource } from "./runSpec";

export interface SecretValues {
  /** devp2p node private key, 0x-hex or bare hex. */
  nodeKey: string;
  /** Keystore password, for sealers that sign with a keystore. */
  password?: string;
  /** The encrypted v3 keystore (JSON text) of that signer: a 0600 file like the password. */
  keystore?: string;
}

/** Secret file contents by path: text, except `nodeKeyRaw` files, which are base64 (see secretFileBytes). */
export function resolveSecretFiles(secretFiles: RunSpec["secretFiles"], values: SecretValues): Record<string, string> {
  const bare = values.nodeKey.replace(/^0x/, "");
  const out: Record<string, string> = {};
  for (const [path, source] of Object.entries(secretFiles)) {
    if (source === "password" && values.password === undefined) throw new Error(`secret file ${path} needs a keystore password`);
    if (source === "keystore" && values.keystore === undefined) throw new Error(`secret file ${path} needs the signer's keystore`);
    // Endpoint and API key files are filled by their workload's own component (bridge agents, the monitor, the policy
    // gateways), never here.
    if (source === "rpcUrl" || source === "apiKeys") throw new Error(`secret file ${path}: a node run spec holds no ${source === "rpcUrl" ? "RPC URL" : "API keys"}`);
    out[path] = {
      nodeKey: bare,
      nodeKey0x: `0x${bare}`,
      nodeKeyRaw: Buffer.from(bare, "hex").toString("base64"),
      password: values.password!,
      keystore: values.keystore!,
      rpcUrl: "",
      apiKeys: "",
    }[source];
  }
  return out;
}

/** Whether a resolved secret file's content is base64 of binary data (else UTF-8 text). */
export const isBase64Secret = (source: SecretSource) => source === "nodeKeyRaw";

/** The bytes to write for a resolved secret file. */
export function secretFileBytes(content: string, source: SecretSource): Buffer {
  return Buffer.from(content, isBase64Secret(source) ? "base64" : "utf8");
}
