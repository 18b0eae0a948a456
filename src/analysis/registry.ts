import { IConstruct } from 'constructs';

// Whole-app checks ("is another TrafficSplit routing this host?") used to walk the whole construct
// tree from every construct that asked: O(N²) in the app's size, 3.8× the hand-written synth time
// at 1000 services. Constructs instead record themselves here, per app root, in construction order.
const byRoot = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/**
 * Records `construct` under `kind` for whole-app analysis.
 * @internal
 */
export function register(kind: string, construct: IConstruct): void {
  const root = construct.node.root;
  let kinds = byRoot.get(root);
  if (!kinds) byRoot.set(root, kinds = new Map());
  let list = kinds.get(kind);
  if (!list) kinds.set(kind, list = []);
  list.push(construct);
}

/**
 * Every construct registered under `kind` in `scope`'s app, in construction order.
 * @internal
 */
export function registered<T extends IConstruct>(scope: IConstruct, kind: string): T[] {
  return (byRoot.get(scope.node.root)?.get(kind) ?? []) as T[];
}
