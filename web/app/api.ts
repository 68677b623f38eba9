// The app's reads, from the server that serves it (the monitor: it reads the chains and holds no key).
import type { AccountView, BridgeAppSettings } from "../../monitor/bridgeApp";

async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { cache: "no-store" });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `the server answered ${res.status}`);
  return body;
}

export const settings = () => get<BridgeAppSettings>("../api/bridge");
export const account = (address: string) => get<AccountView>(`../api/account?address=${address}`);
