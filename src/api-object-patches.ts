// The escape hatch keeps what it was told. cdk8s applies an ApiObject's JSON patches inside
// ApiObject.toJson(), but the classes `cdk8s import` generates (imports/*.ts, and cdk8s-plus's
// k8s.Kube*) override toJson() to re-map every field from its TypeScript name to its wire name
// *after* that, keeping only the fields they know: a patch written with the wire name
// (`consecutive5xxErrors`, `keep_firing_for`) or a misspelt field is silently dropped, and the
// validators then pass a manifest without it. Here patches are applied to the finished wire-format
// object instead, checked against it first, so what a patch says is what is written and validated.
import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The package's own edits of each object as written, by object (see {@link editAsWritten}). */
const installed = new WeakMap<ApiObject, Array<(doc: any) => void>>();

/** One RFC 6902 operation as cdk8s stores it. */
interface Operation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

/**
 * Makes the JSON patches of the objects behind `constructs` (each an ApiObject, or a construct whose
 * default child is one, like a cdk8s-plus Deployment) apply to the object as written — wire field
 * names, after the generated class's re-mapping — and fail with a message naming the object, its
 * construct path and the patch when a path can't be applied, instead of being dropped or failing
 * with `Cannot set properties of undefined`. Idempotent.
 * @see https://github.com/cdk8s-team/cdk8s-core/issues/72 (upstream: "Escape hatch output does not appear in generated YAML")
 * @see https://github.com/cdk8s-team/cdk8s/issues/1883 (a patched Namespace `spec` dropped)
 * @internal
 */
export function keepJsonPatches(...constructs: IConstruct[]): void {
  for (const c of constructs) install(ApiObject.of(c));
}

/**
 * Changes the package makes to the object as written (wire field names), before any JSON patch:
 * plain code, not JSON patches, so the package's own fixed edits don't pay for patch checking,
 * fast-json-patch and re-sorting on every object (~10% of a 1000-service synth). `edit` mutates
 * the document; keys it adds go through {@link setSorted} so they land where cdk8s would sort them.
 * Installs {@link keepJsonPatches} on the object. @internal
 */
export function editAsWritten(construct: IConstruct, edit: (doc: any) => void): void {
  const obj = ApiObject.of(construct);
  install(obj);
  installed.get(obj)!.push(edit);
}

/** Sets `parent[key]` and puts the parent's keys back in cdk8s's sorted order (unless `CDK8S_DISABLE_SORT`). @internal */
export function setSorted(parent: { [key: string]: any }, key: string, value: unknown): void {
  if (process.env.CDK8S_DISABLE_SORT) {
    parent[key] = value;
    return;
  }
  parent[key] = sortedDeep(value);
  sortKeys(parent);
}

function install(obj: ApiObject): void {
  if (installed.has(obj)) return;
  const edits: Array<(doc: any) => void> = [];
  installed.set(obj, edits);
  const ops: JsonPatch[] = [];
  // Patches added before this point (none by the package's own objects today) move over too.
  const earlier: unknown = (obj as any).patches;
  if (Array.isArray(earlier)) ops.push(...earlier.splice(0));
  const render = obj.toJson.bind(obj);
  obj.addJsonPatch = (...more: JsonPatch[]) => {
    ops.push(...more);
  };
  obj.toJson = () => {
    const doc = render();
    for (const edit of edits) edit(doc);
    return ops.length ? applyPatches(obj, doc, ops) : doc;
  };
}

function applyPatches(obj: ApiObject, doc: any, ops: readonly JsonPatch[]): any {
  for (const patch of ops) {
    const op = patch._toJson() as Operation;
    const problem = checkOperation(doc, op);
    if (problem) {
      throw new Error(`${describe(obj)}: JSON patch ${JSON.stringify(strip(op))} can't be applied: ${problem}. `
        + 'Fix: patch paths of the object as written (wire field names, e.g. consecutive5xxErrors, keep_firing_for), and add a missing parent '
        + 'first (JsonPatch.add(\'<parent>\', {...})); ApiObject.of(construct).toJson() shows the object before patches.');
    }
    doc = JsonPatch.apply(doc, patch);
    if (op.op !== 'remove' && op.op !== 'test' && !process.env.CDK8S_DISABLE_SORT) sortAt(doc, op.path);
  }
  return doc;
}

/**
 * Keeps cdk8s's sorted keys (its `sanitizeValue`; `CDK8S_DISABLE_SORT` turns it off) for what a
 * patch wrote: the parent object's keys and the keys inside the written value, so a patched field
 * lands where the generated class would have put it and GitOps diffs stay put.
 */
function sortAt(doc: any, pointer: string): void {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent: any = doc;
  for (const t of tokens.slice(0, -1)) parent = parent?.[Array.isArray(parent) && t === '-' ? parent.length - 1 : t];
  if (parent === null || typeof parent !== 'object') return;
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length - 1 : Number(key);
    parent[i] = sortedDeep(parent[i]);
    return;
  }
  parent[key] = sortedDeep(parent[key]);
  // At the top, cdk8s writes apiVersion, kind and metadata first.
  sortKeys(parent, tokens.length === 1 ? ['apiVersion', 'kind', 'metadata'] : []);
}

/** Puts `obj`'s own keys in cdk8s's order, in place: `first` in that order, then the rest sorted. */
function sortKeys(obj: { [key: string]: any }, first: readonly string[] = []): void {
  const rank = (k: string) => (first.includes(k) ? first.indexOf(k) : first.length);
  const entries = Object.entries(obj).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [k] of entries) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
}

function sortedDeep(value: any): any {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedDeep(value[k])]));
}

/** `DestinationRule test/payments (construct 'test/payments/DestinationRule')`. */
function describe(obj: ApiObject): string {
  const ns = obj.metadata.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.name} (construct '${obj.node.path}')`;
}

function strip(op: Operation): Operation {
  return op.value === undefined ? op : { ...op, value: summarize(op.value) };
}

function summarize(value: unknown): any {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : value;
}

/** Why `op` can't be applied to `doc` (RFC 6902 §4), or undefined if it can. */
function checkOperation(doc: unknown, op: Operation): string | undefined {
  if (typeof op.path !== 'string' || (op.path !== '' && !op.path.startsWith('/'))) {
    return `path ${JSON.stringify(op.path)} is not a JSON pointer (it must start with '/')`;
  }
  if ((op.op === 'move' || op.op === 'copy')) {
    const from = typeof op.from === 'string' ? resolve(doc, op.from) : undefined;
    if (!from || !from.found) return `its 'from': ${from ? from.why : `${JSON.stringify(op.from)} is not a JSON pointer`}`;
  }
  const target = resolve(doc, op.path, op.op === 'add' || op.op === 'move' || op.op === 'copy');
  if (!target.found) return target.why;
  return undefined;
}

interface Resolved {
  readonly found: boolean;
  readonly why: string;
}

/**
 * Walks `pointer` through `doc`. With `creating`, the last token may be new (an object key, an array
 * index up to its length, or `-`); every other step must exist.
 */
function resolve(doc: unknown, pointer: string, creating = false): Resolved {
  if (pointer === '') return { found: true, why: '' };
  const tokens = pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: any = doc;
  let at = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const last = i === tokens.length - 1;
    const here = `${at}/${pointer.slice(1).split('/')[i]}`;
    if (Array.isArray(node)) {
      const index = token === '-' ? node.length : /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : NaN;
      const allowed = last && creating ? node.length : node.length - 1;
      if (!Number.isInteger(index) || index > allowed || (token === '-' && !(last && creating))) {
        return { found: false, why: `'${here}' does not exist: '${at || '/'}' is a list of ${node.length} item(s)` };
      }
      node = node[index];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.prototype.hasOwnProperty.call(node, token) && !(last && creating)) {
        const keys = Object.keys(node);
        return { found: false, why: `'${here}' does not exist in the object as written (${at || 'the top level'} has ${keys.length ? keys.map((k) => `'${k}'`).join(', ') : 'no field'})` };
      }
      node = node[token];
    } else {
      return { found: false, why: `'${here}' does not exist: '${at}' is ${node === undefined ? 'not there' : `a ${typeof node}, not an object`}` };
    }
    at = here;
  }
  return { found: true, why: '' };
}

/**
 * `keepJsonPatches` for every API object under `scope` (idempotent): constructs call it after their
 * backend rendered, and again after adding objects later (addVersion()).
 * @internal
 */
export function keepJsonPatchesUnder(scope: IConstruct): void {
  for (const c of scope.node.findAll()) if (ApiObject.isApiObject(c)) install(c);
}
