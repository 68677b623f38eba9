// The four bridge contracts the monitor reads (view calls only), on the providers it was given, and the day their
// daily limits count in.
import { Contract, JsonRpcProvider } from "ethers";
import { BRIDGED_TOKEN_ABI, ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../lib/bridge/abi";
import type { BridgeMonitorConfig } from "./config";

export interface BridgeContracts {
  vault: Contract;
  foreignToken: Contract;
  gateway: Contract;
  homeToken: Contract;
}

/** The contracts' day: block.timestamp / 1 days (UTC), from this machine's clock. */
export const contractDay = (): bigint => BigInt(Math.floor(Date.now() / 1000 / 86_400));

export function bridgeContracts(cfg: BridgeMonitorConfig, home: JsonRpcProvider, foreign: JsonRpcProvider): BridgeContracts {
  return {
    vault: new Contract(cfg.foreign.vault, FOREIGN_VAULT_ABI, foreign),
    foreignToken: new Contract(cfg.foreign.token, ERC20_ABI, foreign),
    gateway: new Contract(cfg.home.gateway, HOME_GATEWAY_ABI, home),
    homeToken: new Contract(cfg.home.token, BRIDGED_TOKEN_ABI, home),
  };
}
