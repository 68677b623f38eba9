// Seeded randomness for tests whose random draws decide what happens (when to kill which process), so that a failure
// can be replayed: the seed comes from an environment variable (e.g. CHAOS_SEED) or is drawn fresh, and is printed in
// the test's output and appended to its failure message with the command that replays it. The same seed gives the
// same sequence of draws; what the real processes and chains do in between still varies with time.
// The generator is mulberry32 (Tommy Ettinger's public-domain 32-bit PRNG, eight lines): test schedules need a
// small, well-known, reproducible sequence, not a dependency. It is not a CSPRNG: never use it for keys.
import { randomInt } from "node:crypto";

/** mulberry32: a uniform float in [0, 1) per call, from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededRandom {
  seed: number;
  /** How to run the test again with this seed. */
  replay: string;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform integer in [lo, hi). */
  int(lo: number, hi: number): number;
  /** Runs `body`; a failure's message gets the seed and the replay command appended. */
  reported<T>(body: () => Promise<T>): Promise<T>;
}

/** A generator seeded from `$<envVar>` (decimal or 0x hex, 32 bits) or a fresh seed; prints the seed at once. */
export function seededRandom(envVar: string, testFile: string): SeededRandom {
  const raw = process.env[envVar]?.trim();
  let seed: number;
  if (raw) {
    seed = Number(raw);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`${envVar}=${raw}: a seed is an integer in [0, 2^32)`);
  } else {
    seed = randomInt(0, 0xffffffff);
  }
  const replay = `${envVar}=${seed} npx vitest run ${testFile}`;
  const next = mulberry32(seed);
  console.log(`[seed] ${envVar}=${seed}${raw ? " (from the environment)" : ""}; replay: ${replay}`);
  return {
    seed,
    replay,
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo)),
    async reported(body) {
      try {
        return await body();
      } catch (e) {
        const note = `\n[seed] ${envVar}=${seed}; replay: ${replay}`;
        if (e instanceof Error) {
          e.message += note;
          throw e;
        }
        throw new Error(String(e) + note);
      }
    },
  };
}
