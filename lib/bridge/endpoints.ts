// The bridge endpoints a user needs, from a consortium stack's outputs (`rpcUrl`, `foreignRpcUrl`, `bridge`).
import type { BridgeEndpoints } from "./client";

export function endpointsFromOutputs(outputs: Record<string, { value: unknown }>): BridgeEndpoints {
  const bridge = outputs.bridge?.value as
    | { foreign: { chainId: number; vault: string; token: string; validatorSet: string }; home: { chainId: number; gateway: string; token: string } }
    | undefined;
  const foreignRpcUrl = outputs.foreignRpcUrl?.value as string | undefined;
  const homeRpcUrl = outputs.rpcUrl?.value as string | undefined;
  if (!bridge || !foreignRpcUrl || !homeRpcUrl) {
    throw new Error("this stack has no bridge outputs: configure `consortium:bridge` and run `pulumi up` (npm start for the dev stack)");
  }
  return {
    foreign: { rpcUrl: foreignRpcUrl, chainId: bridge.foreign.chainId, vault: bridge.foreign.vault, token: bridge.foreign.token, validatorSet: bridge.foreign.validatorSet },
    home: { rpcUrl: homeRpcUrl, chainId: bridge.home.chainId, gateway: bridge.home.gateway, token: bridge.home.token },
  };
}
