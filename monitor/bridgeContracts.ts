// The four bridge contracts the monitor reads (view calls only), on the providers it was given.
import { Contract, JsonRpcProvider } from "ethers";
import { BRIDGED_TOKEN_ABI, ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../lib/bridge/abi";
import type { BridgeMonitorConfig } from "./config";

export interface BridgeContracts {
  vault: Contract;
  foreignToken: Contract;
  gateway: Contract;
  homeToken: Contract;
}

export function bridgeContracts(cfg: BridgeMonitorConfig, home: JsonRpcProvider, foreign: JsonRpcProvider): BridgeContracts {
  return {
    vault: new Contract(cfg.foreign.vault, FOREIGN_VAULT_ABI, foreign),
    foreignToken: new Contract(cfg.foreign.token, ERC20_ABI, foreign),
    gateway: new Contract(cfg.home.gateway, HOME_GATEWAY_ABI, home),
    homeToken: new Contract(cfg.home.token, BRIDGED_TOKEN_ABI, home),
  };
}
