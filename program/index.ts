// The Pulumi program of a consortium stack: spec → keys → genesis → fleet. Every consortium folder under
// stacks/ points its Pulumi.yaml `main` here; the stack's configuration says what to build.
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { AuthorityKeys } from "../components/keys/AuthorityKeys";
import { GeneratedKey } from "../components/keys/GeneratedKey";
import { FleetAuthority, NodeFleet } from "../components/fleet/NodeFleet";
import { renderChainFile } from "../render/chain";
import { enodeUrl } from "../render/keys/nodeKey";
import { parseConsortiumSpec } from "../spec/parse";
import { SpecError } from "../spec/errors";
import { ensureTools } from "../scripts/toolchain/resolve";
import { cacheRoot } from "../scripts/toolchain/versions";
import { readConsortiumConfig } from "./config";

export default async function consortium(): Promise<Record<string, unknown>> {
  let spec;
  try {
    spec = parseConsortiumSpec(readConsortiumConfig());
  } catch (err) {
    // A clean message without a stack trace: the operator's fix is in the config, not in our code.
    if (err instanceof SpecError) throw new pulumi.RunError(err.message);
    throw err;
  }
  const stack = pulumi.getStack();
  const project = pulumi.getProject();
  const geth = process.env.CONSORTIUM_GETH ?? (await ensureTools({ build: false, log: () => {} })).geth;
  if (spec.fleet.target !== "local") {
    throw new pulumi.RunError(`consortium:fleet.target: the ${spec.fleet.target} target is rendered (npm run export) but not deployed by this program yet. Fix: use target "local".`);
  }
  const workDir = resolve(spec.fleet.workDir ?? resolve(".work", stack));

  const own: FleetAuthority[] = [];
  const signers: pulumi.Input<string>[] = [];
  const externalPeers: string[] = [];
  for (const a of spec.authorities) {
    if (a.external) {
      signers.push(a.external.address);
      if (a.external.endpoint) {
        const [host, port] = a.external.endpoint.split(":");
        externalPeers.push(enodeUrl(a.external.nodePublicKey, host, Number(port)));
      }
      continue;
    }
    const keys = new AuthorityKeys(a.name, { scryptN: spec.keys.scryptN, dev: spec.dev });
    signers.push(keys.address);
    own.push({ name: a.name, address: keys.address, keystore: keys.keystore, password: keys.password, nodeKey: keys.nodeKey, nodePublicKey: keys.nodePublicKey });
  }
  if (own.length === 0) {
    throw new pulumi.RunError("consortium:authorities: every authority is external, so this stack has no node to run. Fix: generate keys for at least one authority here (omit its `external`).");
  }

  const devAccount = spec.dev ? new GeneratedKey("dev-account", { kind: "account" }, { protect: true }) : undefined;
  const devFunding = devAccount ? devAccount.address.apply((a) => ({ [a!]: spec.devAccountBalanceWei! })) : {};
  const chain = pulumi.all([pulumi.all(signers), devFunding]).apply(([validators, extraAlloc]) => renderChainFile(spec, { validators, extraAlloc }));

  const fleet = new NodeFleet("fleet", {
    spec,
    authorities: own,
    externalPeers,
    chain,
    geth,
    workDir,
    portRegistry: cacheRoot(),
    owner: `${project}/${stack}@${workDir}`,
  });

  return {
    consortium: spec.name,
    chainId: spec.chainId,
    networkId: spec.networkId,
    engine: spec.engine,
    rpcUrl: fleet.rpcUrl,
    signers: pulumi.all(signers),
    enodes: fleet.enodes,
    nodes: fleet.nodes,
    workDir,
    ...(devAccount ? { devAccount: { address: devAccount.address, privateKey: pulumi.secret(devAccount.privateKey) } } : {}),
  };
}
