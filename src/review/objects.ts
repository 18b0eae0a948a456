// Reading manifests: a YAML file, a directory of them, or the same path at a git revision.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A Kubernetes object as read from a manifest: only the fields the reviewer reads are typed. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly creationTimestamp?: string;
  };
  readonly spec?: any;
  readonly [field: string]: any;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Parses every document of a YAML (or JSON) stream; `List` objects are flattened, empty
 * documents skipped. Throws naming the source and the line of a syntax error.
 *
 * @param source where the text came from, for error messages (a path or `ref:path`)
 */
export function parseManifests(text: string, source: string): K8sObject[] {
  // loaded on first use: importing the package for synth must not pay for the YAML parser
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const out: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      throw new Error(`${source}: not valid YAML (${e.message.split('\n')[0]}). Fix: correct the syntax, or point the review at manifests only.`);
    }
    collect(doc.toJS(), source, out);
  }
  return out;
}

function collect(value: any, source: string, out: K8sObject[]): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) return;
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    for (const item of value.items) collect(item, source, out);
    return;
  }
  if (typeof value.kind !== 'string' || typeof value.apiVersion !== 'string' || typeof value.metadata?.name !== 'string') return;
  out.push(value as K8sObject);
}

/**
 * Reads a file, or every `*.yaml|*.yml|*.json` file under a directory (recursively, in sorted
 * order so the result is deterministic).
 */
export function readManifests(target: string): K8sObject[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new Error(`review: '${target}' does not exist. Fix: pass a manifest file or a directory of manifests (e.g. dist/).`);
  if (stat.isFile()) return parseManifests(fs.readFileSync(target, 'utf8'), target);
  const files = listFiles(target).filter((f) => MANIFEST.test(f));
  return files.flatMap((f) => parseManifests(fs.readFileSync(f, 'utf8'), f));
}

function listFiles(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : listFiles(full);
    return e.isFile() ? [full] : [];
  });
}

/**
 * Reads the same path (file or directory) as it is at git revision `ref`, with `git show` /
 * `git ls-tree` run in the repository that contains `target`.
 */
export function readManifestsAtRevision(ref: string, target: string): K8sObject[] {
  const abs = path.resolve(target);
  const dir = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  let cwd = dir;
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e: any) {
      const msg = String(e.stderr ?? e.message).trim().split('\n')[0];
      throw new Error(`review --git ${ref}: git ${args[0]} failed for '${target}' (${msg}). Fix: pass a revision that exists (git log) and a path inside the repository.`);
    }
  };
  const top = git('rev-parse', '--show-toplevel').trim();
  cwd = top; // ls-tree pathspecs are relative to the working directory
  const rel = path.relative(top, abs).split(path.sep).join('/');
  const type = git('cat-file', '-t', `${ref}:${rel}`).trim();
  if (type === 'blob') return parseManifests(git('show', `${ref}:${rel}`), `${ref}:${rel}`);
  const files = git('ls-tree', '-r', '--name-only', ref, '--', rel).split('\n').filter((f) => MANIFEST.test(f)).sort();
  return files.flatMap((f) => parseManifests(git('show', `${ref}:${f}`), `${ref}:${f}`));
}

/** The object's namespace, or `fallback` (default `default`) when the manifest leaves it out. */
export function namespaceOf(o: K8sObject, fallback = 'default'): string {
  return o.metadata.namespace ?? fallback;
}

/** `apiVersion` group (`networking.istio.io`), `''` for the core group. */
export function groupOf(o: K8sObject): string {
  const i = o.apiVersion.indexOf('/');
  return i < 0 ? '' : o.apiVersion.slice(0, i);
}

/** Every object of a kind in an API group. */
export function ofKind(objects: readonly K8sObject[], group: string, kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && groupOf(o) === group);
}

/** Do all `selector` labels appear with the same value in `labels`? (An empty selector matches all.) */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}
