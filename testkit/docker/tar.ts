// Minimal ustar archives in memory: what `docker cp`/the archive API take to place files with an owner and mode
// (the daemon keeps the headers' uid/gid and mode), and what it returns when files are read back. Secret file
// contents go from memory to the daemon without touching the host's disk.
const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive (no leading slash). */
  name: string;
  content: Buffer | string;
  mode: number;
  uid: number;
  gid: number;
  /** Directory entries have no content. */
  type?: "file" | "directory";
}

export interface TarItem {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  type: string;
  content: Buffer;
}

function octal(buf: Buffer, offset: number, width: number, value: number): void {
  buf.write(value.toString(8).padStart(width - 1, "0") + "\0", offset, width, "ascii");
}

/** ustar keeps names over 100 bytes as prefix (≤155) + "/" + name (≤100). */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ["", name];
  for (let i = name.indexOf("/"); i > 0; i = name.indexOf("/", i + 1)) {
    if (Buffer.byteLength(name.slice(0, i)) <= 155 && Buffer.byteLength(name.slice(i + 1)) <= 100) return [name.slice(0, i), name.slice(i + 1)];
  }
  throw new Error(`tar: path too long for ustar: ${name}`);
}

function header(e: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(e.name);
  h.write(name, 0, 100, "utf8");
  octal(h, 100, 8, e.mode);
  octal(h, 108, 8, e.uid);
  octal(h, 116, 8, e.gid);
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.floor(Date.now() / 1000));
  h.write(e.type === "directory" ? "5" : "0", 156, 1, "ascii");
  h.write("ustar\0" + "00", 257, 8, "ascii");
  h.write(prefix, 345, 155, "utf8");
  h.fill(" ", 148, 156); // checksum is computed with its own field as spaces
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return h;
}

export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.type === "directory" ? Buffer.alloc(0) : Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content, "utf8");
    parts.push(header(e, body.length), body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

const field = (buf: Buffer, offset: number, width: number) => buf.toString("utf8", offset, offset + width).replace(/\0.*$/s, "");
const num = (buf: Buffer, offset: number, width: number) => parseInt(field(buf, offset, width).trim() || "0", 8);

/** Entries of an uncompressed tar stream (PAX extended headers are skipped). */
export function readTar(buf: Buffer): TarItem[] {
  const items: TarItem[] = [];
  for (let at = 0; at + BLOCK <= buf.length; ) {
    const h = buf.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = num(h, 124, 12);
    const type = field(h, 156, 1) || "0";
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const content = buf.subarray(at + BLOCK, at + BLOCK + size);
    if (type !== "x" && type !== "g") items.push({ name, mode: num(h, 100, 8), uid: num(h, 108, 8), gid: num(h, 116, 8), type, content });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return items;
}
