import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'cdk8s';
import { swapInto, synthAtomically } from './synth';

/**
 * Synthesizes several renderings of an app — e.g. the same charts for two data planes — each into
 * its own folder under `outdir` (`dist/istio-sidecar/`, `dist/istio-sidecar-gateway-api/`), so a
 * GitOps tool points one Application or Kustomization at one folder. `outdir` is replaced as a
 * whole, or left untouched if any rendering fails.
 *
 * @param renderings folder name → a function adding the rendering's charts to its own App
 * @param outdir where the folders end up
 * @default outdir - `$CDK8S_OUTDIR` (set by `cdk8s synth`), else `dist`
 */
export function synthRenderings(renderings: { readonly [folder: string]: (app: App) => void }, outdir?: string, props: Omit<AppProps, 'outdir'> = {}): void {
  const target = path.resolve(outdir ?? process.env.CDK8S_OUTDIR ?? 'dist');
  const staging = `${target}.renderings-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    fs.mkdirSync(staging, { recursive: true });
    for (const [folder, build] of Object.entries(renderings)) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(folder)) {
        throw new Error(`synthRenderings: folder ${JSON.stringify(folder)} is not a lower-case name of letters, digits and '-'. Fix: name the rendering e.g. "istio-sidecar".`);
      }
      synthAtomically(build, path.join(staging, folder), props);
    }
    swapInto(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
