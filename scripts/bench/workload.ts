// What the benchmark synthesizes: N services with two versions each, by MeshService or by hand.
import { App, Chart } from 'cdk8s';
import { MeshService } from '../../src';
import { handWrittenService } from './baseline';

export type Variant = 'mesh' | 'baseline';

export function versionsOf(i: number) {
  return [
    { name: 'v1', image: `ghcr.io/acme/svc-${i}:1.0.0`, replicas: 2 },
    { name: 'v2', image: `ghcr.io/acme/svc-${i}:2.0.0`, replicas: 1 },
  ];
}

/** Adds N services to a fresh chart of `app`. */
export function build(app: App, variant: Variant, n: number): Chart {
  const chart = new Chart(app, 'bench', { namespace: 'bench', disableResourceNameHashes: true });
  for (let i = 0; i < n; i++) {
    if (variant === 'mesh') new MeshService(chart, `svc-${i}`, { versions: versionsOf(i) });
    else handWrittenService(chart, `svc-${i}`, versionsOf(i));
  }
  return chart;
}
