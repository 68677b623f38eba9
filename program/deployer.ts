// The account that deploys and configures the stack's contracts (bridge and PoCo) and then hands their ownership
// over: the dev account in dev stacks, otherwise the secret `consortium:deployerKey` (pulumi config set --secret).
import * as pulumi from "@pulumi/pulumi";
import { computeAddress } from "ethers";
import { NAMESPACE } from "./config";

export interface Deployer {
  address: pulumi.Output<string>;
  /** Secret. */
  privateKey: pulumi.Output<string>;
}

export function contractDeployer(devAccount: Deployer | undefined): Deployer {
  if (devAccount) return devAccount;
  const privateKey = new pulumi.Config(NAMESPACE).requireSecret("deployerKey");
  return { privateKey, address: pulumi.unsecret(privateKey.apply((k) => computeAddress(k))) };
}
