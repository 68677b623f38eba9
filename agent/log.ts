// Structured JSON logs on stdout. Nothing secret is ever logged; redaction is the second line of defence should a
// key-like field slip into an object.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(bindings: Record<string, string>): Logger {
  return pino({
    base: { component: "bridge-agent", ...bindings },
    redact: { paths: ["password", "privateKey", "mnemonic", "*.password", "*.privateKey", "*.mnemonic"], censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** URLs in text, replaced before logging: RPC endpoints often carry an API key in their path or query. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, "<url>");
}

/** An error as a log field: message and code only (ethers errors can carry large request payloads), URLs redacted. */
export function errField(err: unknown): { message: string; code?: string } {
  const e = err as { shortMessage?: string; message?: string; code?: string };
  return { message: redactUrls(e?.shortMessage ?? e?.message ?? String(err)), ...(e?.code ? { code: e.code } : {}) };
}
