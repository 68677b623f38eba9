// Headless Chromium for the web faces' tests: Debian's `chromium` (installed when missing; never a browser
// download), driven by playwright-core. Screenshots go to .artifacts/screenshots/ (git-ignored; CI keeps them).
import { execa } from "execa";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Browser, chromium, Page } from "playwright-core";
import { REPO_ROOT } from "../lib/toolchain/resolve";
import { ensurePrograms, Log } from "./debianPackages";

const defaultLog: Log = (m) => console.log(`[browser] ${m}`);

export const SCREENSHOT_DIR = join(REPO_ROOT, ".artifacts", "screenshots");

/** Starts Debian's Chromium headless, installing it first when missing. */
export async function launchChromium(log: Log = defaultLog): Promise<Browser> {
  await ensurePrograms({ chromium: "chromium" }, log);
  const executablePath = (await execa("sh", ["-c", "command -v chromium"])).stdout.trim();
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

/** A full-page screenshot named `<name>.png` in SCREENSHOT_DIR; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
