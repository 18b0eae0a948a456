import { Chart, Testing } from 'cdk8s';

/** A fresh chart per test (STYLE.md: never share one), in namespace `test` unless told otherwise (null: none). */
export function chart(namespace: string | null = 'test'): Chart {
  return new Chart(Testing.app(), 'test', { namespace: namespace ?? undefined, disableResourceNameHashes: true });
}

/** The objects of `kind` (optionally named `name`) a chart synthesizes. */
export function objects(c: Chart, kind: string, name?: string): any[] {
  return Testing.synth(c).filter((o: any) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

/** The single object of `kind` named `name`; fails the test if there is not exactly one. */
export function object(c: Chart, kind: string, name: string): any {
  const found = objects(c, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} '${name}', found ${found.length}`);
  return found[0];
}
