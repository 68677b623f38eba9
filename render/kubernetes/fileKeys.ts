// ConfigMap and Secret keys may not contain '/', so every node file gets a key, and the volume's items[].path
// maps the key back to the file's path under the mount point.

// A type alias, not an interface, so items are plain JSON to the renderers.
export type FileItem = { key: string; path: string };

const KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** One item per path, sorted by path; throws on a path that could escape the node directory or on a key clash. */
export function fileItems(paths: Iterable<string>, owner: string): FileItem[] {
  const byKey = new Map<string, string>();
  return [...paths].sort().map((path) => {
    if (path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
      throw new Error(`${owner}: file path "${path}" must be relative to the node directory, without empty, "." or ".." segments`);
    }
    const key = path.replace(/\//g, "_");
    if (!KEY.test(key)) throw new Error(`${owner}: file path "${path}" gives the invalid ConfigMap/Secret key "${key}"`);
    const other = byKey.get(key);
    if (other !== undefined) throw new Error(`${owner}: file paths "${other}" and "${path}" both map to the key "${key}"; rename one`);
    byKey.set(key, path);
    return { key, path };
  });
}
