// chain.json for the iexec SDK (9.x): `{ default, chains: { <name>: { id, host, hub, sms, ... } } }`. The SDK
// validates it strictly (unknown keys rejected, `id` a decimal string, `sms` an http(s) URL). Services a
// consortium does not run (SMS, IPFS, market API, compass, subgraph) point at a closed loopback port, so the
// SDK fails fast instead of reaching iExec's public services.
export interface IexecServices {
  sms: string;
  ipfsGateway: string;
  iexecGateway: string;
  compass: string;
  pocoSubgraph: string;
}

export interface IexecChainJsonInput {
  name: string;
  chainId: number;
  /** JSON-RPC URL of the home chain. */
  host: string;
  /** The PoCo Diamond. */
  hub: string;
  services?: Partial<IexecServices>;
}

const UNUSED = "http://127.0.0.1:9";
export const DUMMY_SERVICES: IexecServices = {
  sms: `${UNUSED}/sms`,
  ipfsGateway: `${UNUSED}/ipfs`,
  iexecGateway: `${UNUSED}/market`,
  compass: `${UNUSED}/compass`,
  pocoSubgraph: `${UNUSED}/subgraph`,
};

export function renderIexecChainJson(input: IexecChainJsonInput): string {
  const chain = { id: String(input.chainId), host: input.host, hub: input.hub, ...DUMMY_SERVICES, ...input.services };
  return JSON.stringify({ default: input.name, chains: { [input.name]: chain } }, null, 2) + "\n";
}
