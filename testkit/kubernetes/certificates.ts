// The test cluster's certificates, made with openssl (what kubeadm makes, cut down to one node): a CA, the API
// server's serving certificate, client certificates for the admin, the node and the API server (to its kubelet),
// the kubelet's serving certificate and the service-account signing key. Files live in the cluster's own directory.
import { execa } from "execa";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ClusterPki {
  dir: string;
  ca: { cert: string; key: string };
  apiserver: { cert: string; key: string };
  apiserverKubeletClient: { cert: string; key: string };
  admin: { cert: string; key: string };
  node: { cert: string; key: string };
  kubelet: { cert: string; key: string };
  serviceAccount: { publicKey: string; key: string };
}

const openssl = (dir: string, args: string[]) => execa("openssl", args, { cwd: dir });

/** A key and a certificate signed by the CA (`ext`: openssl extensions, e.g. subjectAltName and key usage). */
async function issue(dir: string, name: string, subject: string, ext: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, ext);
  await openssl(dir, ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-subj", subject, "-out", csr]);
  await openssl(dir, ["x509", "-req", "-in", csr, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-sha256", "-extfile", extFile, "-out", cert]);
  return { cert, key };
}

const CLIENT = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
const server = (sans: string[]) => `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(",")}\n`;

export async function makeClusterPki(dir: string, opts: { nodeName: string; nodeIp: string; apiServiceIp: string }): Promise<ClusterPki> {
  await openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=consortium-test-cluster-ca"]);
  const apiserver = await issue(dir, "apiserver", "/CN=kube-apiserver", server([
    "IP:127.0.0.1",
    `IP:${opts.nodeIp}`,
    `IP:${opts.apiServiceIp}`,
    "DNS:localhost",
    "DNS:kubernetes",
    "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc",
    "DNS:kubernetes.default.svc.cluster.local",
  ]));
  const apiserverKubeletClient = await issue(dir, "apiserver-kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client", CLIENT);
  const admin = await issue(dir, "admin", "/O=system:masters/CN=consortium-test-admin", CLIENT);
  const node = await issue(dir, "node", `/O=system:nodes/CN=system:node:${opts.nodeName}`, CLIENT);
  const kubelet = await issue(dir, "kubelet", `/CN=${opts.nodeName}`, server([`IP:${opts.nodeIp}`, `DNS:${opts.nodeName}`]));
  await openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
  await openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
  return {
    dir,
    ca: { cert: join(dir, "ca.crt"), key: join(dir, "ca.key") },
    apiserver,
    apiserverKubeletClient,
    admin,
    node,
    kubelet,
    serviceAccount: { publicKey: join(dir, "sa.pub"), key: join(dir, "sa.key") },
  };
}

/** A kubeconfig with every certificate embedded (what a stack's `consortium:kubeconfig` secret holds: no file paths). */
export async function kubeconfig(opts: { server: string; caFile: string; user: string; cert: string; key: string }): Promise<string> {
  const b64 = async (f: string) => (await readFile(f)).toString("base64");
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "consortium-test", cluster: { server: opts.server, "certificate-authority-data": await b64(opts.caFile) } }],
    users: [{ name: opts.user, user: { "client-certificate-data": await b64(opts.cert), "client-key-data": await b64(opts.key) } }],
    contexts: [{ name: "consortium-test", context: { cluster: "consortium-test", user: opts.user } }],
    "current-context": "consortium-test",
  }, null, 2) + "\n";
}
