// The web faces' built files (dist/web/, scripts/build.mjs) as GET routes of the monitor's server. The file list is
// read once at start and only those paths answer: a request never names a file path on disk.
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import type { Reply, Routes } from "./server";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** Where `npm run build` puts the pages, beside this program in dist/. */
export const WEB_DIR = join(__dirname, "..", "web");

export type Page = "app" | "dashboard";

/** Each page's entry under `dir`, and the URLs it answers at. */
const pageUrls = (page: Page) => [`/${page}`, `/${page}/`];

/**
 * Routes for every file under `dir` (none when the pages were not built: the JSON routes still answer). `root` is
 * the page `/` shows: the bridge app when the stack has a bridge, else the dashboard.
 */
export function staticRoutes(root: Page, dir: string = WEB_DIR): Routes {
  const PAGES: Record<string, string[]> = {
    "app/index.html": [...pageUrls("app"), ...(root === "app" ? ["/"] : [])],
    "dashboard/index.html": [...pageUrls("dashboard"), ...(root === "dashboard" ? ["/"] : [])],
  };
  let files: string[];
  try {
    files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"));
  } catch {
    return {};
  }
  const routes: Routes = {};
  for (const file of files) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const body = readFileSync(join(dir, file));
    const reply = async (): Promise<Reply> => ({ status: 200, type, body });
    for (const url of PAGES[file] ?? [`/${file}`]) routes[url] = reply;
  }
  return routes;
}
