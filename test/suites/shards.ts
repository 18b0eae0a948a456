// Shards of a long spec (test/suites/groups.ts, SHARDED): in the grouped run each group that holds
// the spec runs one shard; run alone (`npx jest <file>`) the spec runs every shard. Either way the
// same shards, with the same seeds, run in all.

/** One shard: `index` of `count` (0-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The global through which test/suites/groups.ts tells a spec which shard it runs while it is collected. @internal */
export const SHARD_GLOBAL = '__meshSpecShard';

/**
 * The shards this collection of the spec declares: the one its group runs, or all `count` of them
 * when the spec runs alone. Throws when the group's count disagrees with the spec's.
 */
export function shardsToRun(count: number): number[] {
  const shard: Shard | undefined = (globalThis as any)[SHARD_GLOBAL];
  if (!shard) return Array.from({ length: count }, (_, i) => i);
  if (shard.count !== count) throw new Error(`test/suites/groups.ts splits this spec into ${shard.count} shards, the spec into ${count}: make them agree`);
  return [shard.index];
}
