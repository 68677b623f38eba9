// Reads what monitor/pocoStatus.ts needs through the home chain's RPC node (view calls only): the hub's owner, token,
// configuration and categories, and the worker pools its registry enumerates (ERC-721 Enumerable: each pool is a token
// whose id is the pool's address). The ABI fragments are lib/poco/abi.ts's: a module of plain strings, which the
// monitor's image copies alone (not @iexec/poco, not the rest of lib/poco: test/images/packages.test.ts).
import { Contract, JsonRpcProvider, ZeroAddress, ZeroHash } from "ethers";
import { DIAMOND_ABI, WORKERPOOL_ABI, WORKERPOOL_REGISTRY_ABI } from "../lib/poco/abi";
import { HubReadings, LISTED_POOLS, PocoReadings, poolAddress } from "./pocoStatus";

/** A call to a facet that is not cut in (yet) reverts: read as absent. */
const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

export class PocoReader {
  private readonly diamond: Contract;

  constructor(
    private readonly hub: string,
    private readonly provider: JsonRpcProvider,
  ) {
    this.diamond = new Contract(hub, DIAMOND_ABI, provider);
  }

  async read(): Promise<PocoReadings> {
    const read = (await this.provider.getCode(this.hub)) === "0x" ? null : await this.readHub();
    const registry = read?.workerpoolRegistry;
    const pools = registry && registry !== ZeroAddress && (await this.provider.getCode(registry)) !== "0x" ? await this.workerpools(registry) : null;
    return { hub: this.hub, read, workerpools: pools };
  }

  private async readHub(): Promise<HubReadings> {
    const d = this.diamond;
    const [owner, token, separator, workerpoolRegistry, count] = await Promise.all([
      orNull(d.owner() as Promise<string>),
      orNull(d.token() as Promise<string>),
      orNull(d.eip712domain_separator() as Promise<string>),
      orNull(d.workerpoolregistry() as Promise<string>),
      orNull(d.countCategory() as Promise<bigint>),
    ]);
    const categories = await Promise.all(
      Array.from({ length: Number(count ?? 0n) }, async (_, i) => {
        const c = (await d.viewCategory(i)) as { name: string; description: string; workClockTimeRef: bigint };
        return { name: c.name, description: c.description, workClockTimeRef: Number(c.workClockTimeRef) };
      }),
    );
    return { owner, token, configured: separator !== null && separator !== ZeroHash, categories, workerpoolRegistry };
  }

  private async workerpools(address: string): Promise<NonNullable<PocoReadings["workerpools"]>> {
    const registry = new Contract(address, WORKERPOOL_REGISTRY_ABI, this.provider);
    const count = (await registry.totalSupply()) as bigint;
    const listed = await Promise.all(
      Array.from({ length: Math.min(Number(count), LISTED_POOLS) }, async (_, i) => {
        const id = (await registry.tokenByIndex(i)) as bigint;
        const pool = new Contract(poolAddress(id), WORKERPOOL_ABI, this.provider);
        const [owner, description] = await Promise.all([registry.ownerOf(id) as Promise<string>, pool.m_workerpoolDescription() as Promise<string>]);
        return { id, owner, description };
      }),
    );
    return { count, listed };
  }
}
