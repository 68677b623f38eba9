// The engine × client matrix: which client runs which engine, its default image, and the target it can run on.
import type { Engine } from "./consortium";

export const CLIENTS = ["geth", "nethermind", "openethereum", "besu"] as const;
export type Client = (typeof CLIENTS)[number];

/** Engines each client seals. geth stops at Clique (1.13.15 is the last release that seals it). */
export const CLIENT_ENGINES: Record<Client, readonly Engine[]> = {
  geth: ["clique"],
  nethermind: ["clique", "aura"],
  openethereum: ["aura"],
  besu: ["qbft"],
};

export const DEFAULT_CLIENT: Record<Engine, Client> = { clique: "geth", aura: "nethermind", qbft: "besu" };

/** Pinned images per client; a stack may override them (fleet.images). */
export const DEFAULT_IMAGES: Record<Client, string> = {
  geth: "ethereum/client-go:v1.13.15",
  nethermind: "nethermind/nethermind:1.31.11",
  openethereum: "openethereum/openethereum:v3.3.5",
  besu: "hyperledger/besu:24.12.2",
};

/** Why a client cannot seal an engine, with the fix, for validation messages. */
export function unsupportedPair(client: Client, engine: Engine): { problem: string; fix: string } | undefined {
  if (CLIENT_ENGINES[client].includes(engine)) return undefined;
  const clients = CLIENTS.filter((c) => CLIENT_ENGINES[c].includes(engine));
  return {
    problem: `${client} cannot seal ${engine} blocks (${client} runs ${CLIENT_ENGINES[client].join(", ")})`,
    fix: `use client ${clients.map((c) => `"${c}"`).join(" or ")} for ${engine}, or engine ${CLIENT_ENGINES[client].map((e) => `"${e}"`).join(" or ")} for ${client}`,
  };
}

/** QBFT validators seal with their devp2p node key; Clique and AuRa sealers sign with a separate keystore key. */
export const sealsWithNodeKey = (engine: Engine) => engine === "qbft";
