// The bridge app for token holders: connect a wallet, see both balances, deposit to the consortium and withdraw back,
// and follow each transfer as the chains report it. Everything it shows comes from the server's reads of the chains.
import { useEffect, useState } from "preact/hooks";
import type { AccountView, BridgeAppSettings } from "../../monitor/bridgeApp";
import * as actions from "./actions";
import * as api from "./api";
import { depositProblems, notWhitelistedWarning, withdrawProblems } from "./checks";
import { TransferForm } from "./TransferForm";
import { Transfers } from "./Transfers";
import { homeChain } from "./chains";
import { addChain, connect, injected, knownAccount, watchToken } from "./wallet";
import { inWords } from "./words";

const EVERY_MS = 2_000;

type Message = { tone: "good" | "bad"; text: string } | undefined;

export function App() {
  const wallet = injected();
  const [settings, setSettings] = useState<BridgeAppSettings>();
  const [address, setAddress] = useState<string>();
  const [view, setView] = useState<AccountView>();
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<Message>();
  // Kept in this page only: it goes into the wallet's RPC URL for the consortium chain, never to the server.
  const [readKey, setReadKey] = useState("");

  useEffect(() => {
    api.settings().then(setSettings, (e) => setMessage({ tone: "bad", text: `The bridge cannot be read: ${inWords(e)}` }));
    if (wallet) knownAccount(wallet).then(setAddress, () => undefined);
  }, []);

  useEffect(() => {
    if (!address) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const [v, s] = await Promise.all([api.account(address), api.settings()]);
        if (!stopped) (setView(v), setSettings(s));
      } catch {
        // the next read tries again; the last view stays
      }
      if (!stopped) timer = setTimeout(read, EVERY_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [address]);

  const run = (what: string, fn: (progress: (step: string) => void) => Promise<void>, done: string) => {
    setBusy(what);
    setMessage(undefined);
    fn(setBusy).then(
      () => setMessage({ tone: "good", text: done }),
      (e) => setMessage({ tone: "bad", text: inWords(e) }),
    ).finally(() => setBusy(undefined));
  };

  if (!wallet) return <Shell>{<p class="notice bad">No wallet in this browser: install one (e.g. MetaMask) to use the bridge.</p>}</Shell>;
  if (!settings) return <Shell message={message}>{<p class="notice">Reading the bridge…</p>}</Shell>;
  const s = settings;
  const home = homeChain(s, readKey || undefined);
  return (
    <Shell message={message} busy={busy}>
      <section class="cards">
        <div class="card">
          <div class="label">Account</div>
          {address ? (
            <div class="value address" data-testid="account">
              {address}
            </div>
          ) : (
            <button data-testid="connect" onClick={() => connect(wallet).then(setAddress, (e) => setMessage({ tone: "bad", text: inWords(e) }))}>
              Connect wallet
            </button>
          )}
          {s.home.keyRequired && (
            <label class="note">
              {s.chainName} answers only holders of a read key: ask its operators for yours. It goes into your wallet's RPC URL, not to this site.{" "}
              <input data-testid="read-key" type="password" autocomplete="off" placeholder="Your read key" value={readKey} onInput={(e) => setReadKey(e.currentTarget.value.trim())} />
            </label>
          )}
          <div class="note">
            <button data-testid="add-chain" disabled={!home.rpcUrl} onClick={() => run("Adding the chain…", () => addChain(wallet, home), `${s.chainName} is in your wallet.`)}>
              Add {s.chainName} to wallet
            </button>{" "}
            <button data-testid="add-token" onClick={() => run("Adding the token…", () => watchToken(wallet, s), `${s.symbol} is in your wallet.`)}>
              Add {s.symbol}
            </button>
          </div>
        </div>
        {view && (
          <div class="card" data-testid="balances">
            <div class="label">Balances</div>
            <div class="value">
              {view.balances.foreign} {s.foreignSymbol} on foreign · {view.balances.home} {s.symbol} on {s.chainName}
            </div>
            <div class="note" data-testid="whitelist">
              {view.whitelisted ? "Whitelisted: deposits are bridged." : "Not whitelisted: deposits come back minus the fee."}
            </div>
          </div>
        )}
      </section>
      {view && address && (
        <>
          <section class="forms">
            <TransferForm
              kind="deposit"
              title={`Deposit to ${s.chainName}`}
              symbol={s.foreignSymbol}
              decimals={s.decimals}
              limits={s.foreign.deposit}
              note={`Minted on ${s.chainName} once ${s.threshold} of ${s.validators.length} validators confirm, ${s.foreign.confirmations} blocks deep.`}
              problems={(u) => depositProblems(u, s, view.balances.foreign)}
              warning={(u) => (view.whitelisted ? undefined : notWhitelistedWarning(u, s))}
              busy={!!busy}
              submit={(u) => run("Depositing…", (p) => actions.deposit(wallet, s, u, p), "Deposit sent: follow it below.")}
            />
            <TransferForm
              kind="withdraw"
              title="Withdraw to foreign"
              symbol={s.symbol}
              decimals={s.decimals}
              limits={s.home.withdraw}
              note={`Burnt on ${s.chainName}; released on foreign once ${s.threshold} validators signed.`}
              problems={(u) => withdrawProblems(u, s, view.balances.home)}
              busy={!!busy}
              submit={(u) => run("Withdrawing…", (p) => actions.withdraw(wallet, s, home, u, p), "Withdrawal sent: follow it below.")}
            />
          </section>
          <h2>Your transfers</h2>
          <Transfers
            deposits={view.deposits}
            withdrawals={view.withdrawals}
            symbol={s.symbol}
            foreignSymbol={s.foreignSymbol}
            confirmations={s.foreign.confirmations}
            threshold={s.threshold}
            actions={{
              busy: !!busy,
              release: (x) => run("Releasing…", (p) => actions.release(wallet, s, x, p), `Withdrawal #${x.id} released.`),
              refund: (id) => run("Refunding…", (p) => actions.refund(wallet, s, id, p), `Deposit #${id} refunded.`),
            }}
          />
        </>
      )}
    </Shell>
  );
}

function Shell(props: { children: preact.ComponentChildren; message?: Message; busy?: string }) {
  return (
    <main>
      <h1>Consortium bridge</h1>
      {props.busy && (
        <p class="notice" data-testid="busy">
          {props.busy}
        </p>
      )}
      {props.message && (
        <p class={`notice ${props.message.tone}`} data-testid="message">
          {props.message.text}
        </p>
      )}
      {props.children}
    </main>
  );
}
