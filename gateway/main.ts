// The policy gateway: a JSON-RPC proxy in front of an RPC node that enforces the consortium's permissions (who may
// read, send transactions, create contracts: settings/permissions.ts) where the client has none of its own (geth).
// It holds no chain key; its API keys file is a secret. Usage: node dist/gateway/main.js --config gateway.json
import { join } from "node:path";
import { ApiKeys } from "./access";
import { loadGatewayConfig, parseKeysText, parsePolicyText } from "./config";
import { ReloadingFile } from "./reloading";
import { startGateway } from "./server";

async function main(): Promise<void> {
  const at = process.argv.indexOf("--config");
  const config = loadGatewayConfig(at > 0 ? process.argv[at + 1] : "gateway.json");
  const log = (message: string) => console.log(`gateway: ${message}`);
  const policy = new ReloadingFile(join(config.dir, config.policyFile), parsePolicyText, log);
  const noKeys = new ApiKeys({});
  const keys = config.keysFile ? new ReloadingFile(join(config.dir, config.keysFile), (text) => new ApiKeys(parseKeysText(text)), log) : undefined;
  const server = await startGateway({ host: config.listen.host, port: config.listen.port, upstream: config.upstream, policy: () => policy.current(), keys: () => keys?.current() ?? noKeys, log });
  log(`serving on ${server.url}, guarding ${new URL(config.upstream).host}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e) => {
  console.error(`gateway: ${(e as Error).message}`);
  process.exit(2);
});
