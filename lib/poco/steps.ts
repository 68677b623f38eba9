// The setup of a deployed PoCo as a list of steps. Each step reads the chain (one observation), reports what is
// not yet as wanted, and only then acts; so a re-run, or a run resumed after a failure, skips what is done.
// The same problems, listed without acting, are what `read`/`diff` report as drift.
// Steps run in three waves, each a burst of transactions sent back to back and mined together, so the setup costs
// three rounds of blocks, not one per transaction. A wave holds only transactions whose gas can be estimated before
// the ones beside it are mined (the facets' cuts must be in before `configure`, which the Diamond routes to a facet);
// ownership goes to the admin in a wave of its own, once everything else is seen done: in a burst, a failed
// transaction does not stop the ones after it, and a contract handed over half set up could not be finished.
import { Contract, ContractTransaction, getAddress, Provider, Signer, ZeroAddress } from "ethers";
import { Burst } from "../eth/burst";
import { settledNonce } from "../eth/transactions";
import { DIAMOND_ABI, ERC20_ABI, REGISTRY_ABI } from "./abi";
import { observePoco, PocoObservation } from "./observe";
import { REGISTRIES, RegistryName, selectorsOf } from "./plan";
import { Category, PocoTarget } from "./target";

/** Sends one transaction of a step, built by ethers' `contract.method.populateTransaction(...)`. */
export type Send = (what: string, request: Promise<ContractTransaction>) => Promise<void>;

/** 0: the Diamond's routing and the registries; 1: what the Diamond routes to its facets; 2: the handovers. */
type Wave = 0 | 1 | 2;

export interface Step {
  name: string;
  wave: Wave;
  /** Why the chain is not yet as wanted; empty when the step is done. */
  problems(obs: PocoObservation): string[];
  /** Acts on the chain: sends its transactions, in order. */
  run(signer: Signer, obs: PocoObservation, send: Send): Promise<void>;
}

const TX_TIMEOUT_MS = 120_000;
const [ADD, REPLACE, REMOVE] = [0, 1, 2];
const same = (a?: string, b?: string) => !!a && !!b && getAddress(a) === getAddress(b);
const sameCategory = (a: Category, b: Category) =>
  a.name === b.name && a.description === b.description && a.workClockTimeRef === b.workClockTimeRef;

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
    wave: 0,
    problems: (obs) => {
      const m = missing(obs);
      return m.length ? [`Diamond: ${m.length} of ${wanted.length} selectors of ${name} (${facet}) are not routed to it`] : [];
    },
    async run(signer, obs, send) {
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const now = routes(obs);
      const m = missing(obs);
      const add = m.filter((s) => !now.has(s));
      const replace = m.filter((s) => now.has(s));
      const cuts = [...(add.length ? [[facet, ADD, add]] : []), ...(replace.length ? [[facet, REPLACE, replace]] : [])];
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      await send(`diamondCut ${name}`, d.diamondCut.populateTransaction(cuts, ZeroAddress, "0x"));
    },
  };
}

function strayStep(target: PocoTarget): Step {
  const known = new Set(Object.values(target.facets).map((a) => getAddress(a)));
  const stray = (obs: PocoObservation) => [...routes(obs)].filter(([, facet]) => !known.has(facet)).map(([s]) => s);
  // Stray selectors that a facet of this deployment serves are replaced by its cut (same wave): only the rest go.
  const served = new Set(Object.keys(target.facets).flatMap(selectorsOf));
  return {
    name: "remove stray selectors",
    wave: 0,
    problems: (obs) => {
      const s = stray(obs);
      return s.length ? [`Diamond: ${s.length} selectors are routed to facets outside this deployment (${s.join(", ")})`] : [];
    },
    async run(signer, obs, send) {
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const remove = stray(obs).filter((s) => !served.has(s));
      if (remove.length === 0) return;
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      await send("diamondCut (remove)", d.diamondCut.populateTransaction([[ZeroAddress, REMOVE, remove]], ZeroAddress, "0x"));
    },
  };
}

function registryStep(target: PocoTarget, name: RegistryName): Step {
  const address = target.registries[name];
  const uri = target.registryBaseUris[name];
  return {
    name: `set up ${name}`,
    wave: 0,
    problems: ({ registries: { [name]: r } }) => [
      ...(!r.hasCode ? [`${name}: no code at ${address}`] : []),
      ...(r.hasCode && !r.initialized ? [`${name}: not initialized`] : []),
      ...(r.hasCode && r.baseURI !== uri ? [`${name}: base URI is "${r.baseURI}", wanted "${uri}"`] : []),
    ],
    async run(signer, { registries: { [name]: r } }, send) {
      if (!r.hasCode) throw new Error(`${name}: no code at ${address}; its contract must be redeployed`);
      await requireOwner(signer, r.owner, `${name} ${address}`);
      const c = new Contract(address, REGISTRY_ABI, signer);
      if (!r.initialized) await send(`${name}.initialize`, c.initialize.populateTransaction(ZeroAddress));
      if (r.baseURI !== uri) await send(`${name}.setBaseURI`, c.setBaseURI.populateTransaction(uri));
    },
  };
}

function configureStep(target: PocoTarget): Step {
  const [app, dataset, workerpool] = REGISTRIES.map((r) => target.registries[r]);
  return {
    name: "configure",
    wave: 1,
    problems: (obs) => {
      if (!obs.configured) return ["Diamond: not configured"];
      const wrong = [
        ...(!same(obs.token, target.token) ? [`token ${obs.token} (wanted ${target.token})`] : []),
        ...(obs.stakedName !== target.stakedName || obs.stakedSymbol !== target.stakedSymbol ? [`name/symbol ${obs.stakedName}/${obs.stakedSymbol}`] : []),
        ...(!same(obs.appRegistry, app) || !same(obs.datasetRegistry, dataset) || !same(obs.workerpoolRegistry, workerpool) ? ["registries"] : []),
      ];
      return wrong.length ? [`Diamond: configured with other ${wrong.join(", ")}`] : [];
    },
    async run(signer, obs, send) {
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      if (!obs.configured) {
        const decimals = await new Contract(target.token, ERC20_ABI, signer).decimals();
        return send("configure", d.configure.populateTransaction(target.token, target.stakedName, target.stakedSymbol, decimals, app, dataset, workerpool, ZeroAddress));
      }
      // configure() runs once; only the registries can change afterwards.
      if (!same(obs.token, target.token) || obs.stakedName !== target.stakedName || obs.stakedSymbol !== target.stakedSymbol) {
        throw new Error(`the Diamond ${target.diamond} was configured with token ${obs.token} (${obs.stakedName}/${obs.stakedSymbol}); PoCo cannot change it: deploy a new PoCo`);
      }
      return send("changeRegistries", d.changeRegistries.populateTransaction(app, dataset, workerpool));
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
    wave: 1,
    problems: (obs) => {
      const bad = differing(obs);
      if (bad) return [bad];
      const missing = target.categories.length - obs.categories.length;
      return missing > 0 ? [`${missing} of ${target.categories.length} categories missing`] : [];
    },
    async run(signer, obs, send) {
      // Categories are append-only in PoCo: an existing one that differs cannot be fixed.
      const bad = differing(obs);
      if (bad) throw new Error(`PoCo categories are append-only; ${bad}`);
      await requireOwner(signer, obs.owner, `the Diamond ${target.diamond}`);
      const d = new Contract(target.diamond, DIAMOND_ABI, signer);
      for (const c of target.categories.slice(obs.categories.length)) {
        await send(`createCategory ${c.name}`, d.createCategory.populateTransaction(c.name, c.description, c.workClockTimeRef));
      }
    },
  };
}

function ownershipStep(label: string, address: string, owner: (obs: PocoObservation) => string | undefined, admin: string): Step {
  return {
    name: `hand ${label} to the admin`,
    wave: 2,
    problems: (obs) => (same(owner(obs), admin) ? [] : [`${label}: owner is ${owner(obs)}, wanted ${admin}`]),
    async run(signer, obs, send) {
      await requireOwner(signer, owner(obs), `${label} ${address}`);
      await send(`${label}.transferOwnership`, new Contract(address, REGISTRY_ABI, signer).transferOwnership.populateTransaction(admin));
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

export interface ApplyOptions {
  /**
   * One transaction at a time, each mined before the next is sent: how the setup ran before it was sent in waves,
   * kept as the benchmark's baseline (bench/poco.ts).
   */
  oneAtATime?: boolean;
  /** The caller knows that no transaction of the signer is in flight: no need to wait for that first. */
  settled?: boolean;
}

/** The steps as they run: in waves, or one by one. */
function batches(steps: Step[], oneAtATime: boolean): Step[][] {
  if (oneAtATime) return steps.map((s) => [s]);
  return ([0, 1, 2] as const).map((wave) => steps.filter((s) => s.wave === wave));
}

/**
 * Runs every step that is not done yet; returns the steps that acted, their gas and the final observation. It first
 * waits until no transaction of the signer is in flight (a crashed run's), so that what it observes is final.
 */
export async function applyPocoSteps(
  signer: Signer,
  target: PocoTarget,
  options: ApplyOptions = {},
): Promise<{ ran: string[]; gasUsed: bigint; observation: PocoObservation }> {
  const provider = signer.provider as Provider;
  if (!options.settled) await settledNonce(provider, await signer.getAddress(), TX_TIMEOUT_MS);
  const ran: string[] = [];
  let gasUsed = 0n;
  let obs = await observePoco(provider, target);
  if (!obs.hasCode) throw new Error(`no code at the Diamond ${target.diamond}`);
  for (const batch of batches(pocoSteps(target), options.oneAtATime ?? false)) {
    const due = batch.filter((step) => step.problems(obs).length > 0);
    if (due.length === 0) continue;
    const burst = new Burst(signer, options);
    const send: Send = async (what, request) => burst.add(what, request);
    for (const step of due) {
      await step.run(signer, obs, send);
      ran.push(step.name);
    }
    gasUsed += await burst.send();
    obs = await observePoco(provider, target);
    for (const step of due) {
      const left = step.problems(obs);
      if (left.length) throw new Error(`step "${step.name}" did not take effect: ${left.join("; ")}`);
    }
  }
  return { ran, gasUsed, observation: obs };
}
