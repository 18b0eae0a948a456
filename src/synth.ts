import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'cdk8s';
import { withFastYaml } from './emit/save';

/**
 * Builds and synthesizes an app so that `outdir` is either fully replaced or left untouched.
 *
 * `App.synth()` validates before writing, but a chart whose rendering throws halfway would leave
 * some files new and some old. Here the app is written to a sibling staging directory and swapped
 * in with two renames only after every chart was written.
 *
 * The files are written by a dedicated YAML emitter (src/emit/yaml.ts) that is byte-identical to
 * cdk8s's `Yaml.stringify` and several times faster; file names and layout are cdk8s's own for
 * every `yamlOutputType`, and a document it does not cover is written by cdk8s's emitter.
 *
 * Note: `cdk8s synth` (the CLI) deletes its output directory before running the app, so under the
 * CLI a failed synth leaves no `dist/` rather than the previous one; `npm run synth` keeps it.
 *
 * @param build adds charts to the app
 * @param outdir where the manifests end up
 * @default outdir - `$CDK8S_OUTDIR` (set by `cdk8s synth`), else `dist`
 */
export function synthAtomically(build: (app: App) => void, outdir?: string, props: Omit<AppProps, 'outdir'> = {}): void {
  const target = path.resolve(outdir ?? process.env.CDK8S_OUTDIR ?? 'dist');
  const staging = `${target}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ ...props, outdir: staging });
    build(app);
    withFastYaml(() => app.synth());
    swapInto(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Replaces `target` with the complete `staging` directory by two renames, so `target` is at no
 * moment half-written.
 * @internal
 */
export function swapInto(staging: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
}
