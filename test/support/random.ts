import { Random } from '../../src/demo/random.js';

/** A seeded stream of numbers in [0, 1), so that a failing randomized test replays from its seed. */
export function seededRandom(seed: number, label: string): () => number {
  const random = new Random(seed, label);
  return () => random.next();
}
