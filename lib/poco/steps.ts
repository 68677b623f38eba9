// The setup of a deployed PoCo as a list of steps. Each step reads the chain (one observation), reports what is
// not yet as wanted, and only then acts; so a re-run, or a run resumed after a failure, skips what is done.
// The same problems, listed without acting, are what `read`/`diff` report as drift.
import { Contract, ContractTransactionResponse, getAddress, Provider, Signer, ZeroAddress } from "ethers";
import { waitForReceipt } from "../eth/transactions";
import { DIAMOND_ABI, ERC20_ABI, REGISTRY_ABI } from "./abi";
import { observePoco, PocoObservation } from "./observe";
import { REGISTRIES, RegistryName, selectorsOf } from "./plan";
import { Category, PocoTarget } from "./target";

export interface Step {
  name: string;
  /** Why the chain is not yet as wanted; empty when the step is done. */
  problems(obs: PocoObservation): string[];
  /** Acts on the chain; returns the gas its transactions used. */
  run(signer: Signer, obs: PocoObservation): Promise<bigint>;
}

const TX_TIMEOUT_MS = 120_000;
const [ADD, REPLACE, REMOVE] = [0, 1, 2];
const same = (a?: string, b?: string) => !!a && !!b && getAddress(a) === getAddress(b);
const sameCategory = (a: Category, b: Category) =>
  a.name === b.name && a.description === b.description && a.workClockTimeRef === b.workClockTimeRef;

async function send(what: string, pending: Promise<ContractTransactionResponse>): Promise<bigint> {
  const tx = await pending;
  return (await waitForReceipt(tx.provider, tx.hash, what, TX_TIMEOUT_MS)).gasUsed;
}

/** Selector → facet address, as the Diamond routes them now. */
function routes(obs: PocoObservation): Map<string, string> {
  return new Map(Object.entries(obs.facets).flatMap(([facet, sels]) => sels.map((s) => [s, facet] as const)));
}

async function requireOwner(signer: Signer, owner: string | undefined, what: string): Promise<void> {
  const me = await signer.getAddress();
  if (!same(owner, me)) throw new Error(`${what} needs its owner ${owner ?? "(unknown)"} to act; the deployer ${me} is not: run it as the owner, or redeploy`);
}

function cutStep(target: PocoTarget, name: string, facet: string): Step {
  const wanted = selectorsOf(name);
  const missing = (obs: PocoObservation) => wanted.filter((s) => !same(routes(obs).get(s), facet));
  return {
    name: `cut ${name}`,
    problems: (obs) => {
      const m = missing(obs);
      return m.length ? [`Diamond: ${m.length} of ${wanted.length} selectors of ${name} (${facet}) are not routed to it`] : [];
    },
    async run(signer, obs) {
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const now = routes(obs);
      const m = missing(obs);
      const add = m.filter((s) => !now.has(s));
      const replace = m.filter((s) => now.has(s));
      const cuts = [...(add.length ? [[facet, ADD, add]] : []), ...(replace.length ? [[facet, REPLACE, replace]] : [])];
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      return send(`diamondCut ${name}`, d.diamondCut(cuts, ZeroAddress, "0x"));
    },
  };
}

function strayStep(target: PocoTarget): Step {
  const known = new Set(Object.values(target.facets).map((a) => getAddress(a)));
  const stray = (obs: PocoObservation) => [...routes(obs)].filter(([, facet]) => !known.has(facet)).map(([s]) => s);
  return {
    name: "remove stray selectors",
    problems: (obs) => {
      const s = stray(obs);
      return s.length ? [`Diamond: ${s.length} selectors are routed to facets outside this deployment (${s.join(", ")})`] : [];
    },
    async run(signer, obs) {
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      return send("diamondCut (remove)", d.diamondCut([[ZeroAddress, REMOVE, stray(obs)]], ZeroAddress, "0x"));
    },
  };
}

function registryStep(target: PocoTarget, name: RegistryName): Step {
  const address = target.registries[name];
  const uri = target.registryBaseUris[name];
  return {
    name: `set up ${name}`,
    problems: ({ registries: { [name]: r } }) => [
      ...(!r.hasCode ? [`${name}: no code at ${address}`] : []),
      ...(r.hasCode && !r.initialized ? [`${name}: not initialized`] : []),
      ...(r.hasCode && r.baseURI !== uri ? [`${name}: base URI is "${r.baseURI}", wanted "${uri}"`] : []),
    ],
    async run(signer, { registries: { [name]: r } }) {
      if (!r.hasCode) throw new Error(`${name}: no code at ${address}; its contract must be redeployed`);
      await requireOwner(signer, r.owner, `${name} ${address}`);
      const c = new Contract(address, REGISTRY_ABI, signer);
      let gas = 0n;
      if (!r.initialized) gas += await send(`${name}.initialize`, c.initialize(ZeroAddress));
      if (r.baseURI !== uri) gas += await send(`${name}.setBaseURI`, c.setBaseURI(uri));
      return gas;
    },
  };
}

function configureStep(target: PocoTarget): Step {
  const [app, dataset, workerpool] = REGISTRIES.map((r) => target.registries[r]);
  return {
    name: "configure",
    problems: (obs) => {
      if (!obs.configured) return ["Diamond: not configured"];
      const wrong = [
        ...(!same(obs.token, target.token) ? [`token ${obs.token} (wanted ${target.token})`] : []),
        ...(obs.stakedName !== target.stakedName || obs.stakedSymbol !== target.stakedSymbol ? [`name/symbol ${obs.stakedName}/${obs.stakedSymbol}`] : []),
        ...(!same(obs.appRegistry, app) || !same(obs.datasetRegistry, dataset) || !same(obs.workerpoolRegistry, workerpool) ? ["registries"] : []),
      ];
      return wrong.length ? [`Diamond: configured with other ${wrong.join(", ")}`] : [];
    },
    async run(signer, obs) {
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      if (!obs.configured) {
        const decimals = await new Contract(target.token, ERC20_ABI, signer).decimals();
        return send("configure", d.configure(target.token, target.stakedName, target.stakedSymbol, decimals, app, dataset, workerpool, ZeroAddress));
      }
      // configure() runs once; only the registries can change afterwards.
      if (!same(obs.token, target.token) || obs.stakedName !== target.stakedName || obs.stakedSymbol !== target.stakedSymbol) {
        throw new Error(`the Diamond ${target.diamond} was configured with token ${obs.token} (${obs.stakedName}/${obs.stakedSymbol}); PoCo cannot change it: deploy a new PoCo`);
      }
      return send("changeRegistries", d.changeRegistries(app, dataset, workerpool));
    },
  };
}

function categoriesStep(target: PocoTarget): Step {
  const differing = (obs: PocoObservation) => {
    const bad = obs.categories.findIndex((c, i) => !target.categories[i] || !sameCategory(c, target.categories[i]));
    return bad < 0 ? undefined : `category ${bad}: ${JSON.stringify(obs.categories[bad])} differs from the wanted ${JSON.stringify(target.categories[bad] ?? null)}`;
  };
  return {
    name: "categories",
    problems: (obs) => {
      const bad = differing(obs);
      if (bad) return [bad];
      const missing = target.categories.length - obs.categories.length;
      return missing > 0 ? [`${missing} of ${target.categories.length} categories missing`] : [];
    },
    async run(signer, obs) {
      // Categories are append-only in PoCo: an existing one that differs cannot be fixed.
      const bad = differing(obs);
      if (bad) throw new Error(`PoCo categories are append-only; ${bad}`);
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      let gas = 0n;
      for (const c of target.categories.slice(obs.categories.length)) {
        gas += await send(`createCategory ${c.name}`, d.createCategory(c.name, c.description, c.workClockTimeRef));
      }
      return gas;
    },
  };
}

function ownershipStep(label: string, address: string, owner: (obs: PocoObservation) => string | undefined, admin: string): Step {
  return {
    name: `hand ${label} to the admin`,
    problems: (obs) => (same(owner(obs), admin) ? [] : [`${label}: owner is ${owner(obs)}, wanted ${admin}`]),
    async run(signer, obs) {
      await requireOwner(signer, owner(obs), `${label} ${address}`);
      return send(`${label}.transferOwnership`, new Contract(address, REGISTRY_ABI, signer).transferOwnership(admin));
    },
  };
}

/** The setup steps in order: facets, registries, configure, categories, then ownership (the Diamond last). */
export function pocoSteps(target: PocoTarget): Step[] {
  return [
    ...Object.entries(target.facets).map(([name, address]) => cutStep(target, name, address)),
    strayStep(target),
    ...REGISTRIES.map((r) => registryStep(target, r)),
    configureStep(target),
    categoriesStep(target),
    ...REGISTRIES.map((r) => ownershipStep(r, target.registries[r], (obs) => obs.registries[r].owner, target.admin)),
    ownershipStep("Diamond", target.diamond, (obs) => obs.owner, target.admin),
  ];
}

/** Everything that differs from the target (empty: the deployment is as wanted). */
export function pocoProblems(target: PocoTarget, obs: PocoObservation): string[] {
  if (!obs.hasCode) return [`Diamond: no code at ${target.diamond}`];
  return pocoSteps(target).flatMap((s) => s.problems(obs));
}

/** Runs every step that is not done yet; returns the steps that acted, their gas and the final observation. */
export async function applyPocoSteps(signer: Signer, target: PocoTarget): Promise<{ ran: string[]; gasUsed: bigint; observation: PocoObservation }> {
  const provider = signer.provider as Provider;
  const ran: string[] = [];
  let gasUsed = 0n;
  let obs = await observePoco(provider, target);
  if (!obs.hasCode) throw new Error(`no code at the Diamond ${target.diamond}`);
  for (const step of pocoSteps(target)) {
    if (step.problems(obs).length === 0) continue;
    gasUsed += await step.run(signer, obs);
    ran.push(step.name);
    obs = await observePoco(provider, target);
    const left = step.problems(obs);
    if (left.length) throw new Error(`step "${step.name}" did not take effect: ${left.join("; ")}`);
  }
  return { ran, gasUsed, observation: obs };
}
