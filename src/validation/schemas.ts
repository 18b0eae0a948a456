// Loads the vendored schemas (Kubernetes definitions per version, CRDs in crds/) and makes them
// closed and ajv-compatible. Nothing here is compiled until a kind is first validated.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_KUBERNETES_VERSION, DEFINITIONS_FILES, KubernetesVersion } from './kubernetes-version';

/** A JSON schema node (OpenAPI v2 / v3 subset used by Kubernetes). */
export type SchemaNode = { [key: string]: any };

/** Where the package's vendored files live: the folder holding `schemas/` and `crds/`. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'schemas', K8S_DEFINITIONS_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cdk8s-mesh validation: schemas/${K8S_DEFINITIONS_FILE} not found above ${__dirname}`);
    dir = parent;
  }
}

/** The default version's vendored Kubernetes OpenAPI v2 definitions (see schemas/PROVENANCE.md). */
export const K8S_DEFINITIONS_FILE = DEFINITIONS_FILES[DEFAULT_KUBERNETES_VERSION];

/** The vendored definitions files present under `root` (schemas/k8s-*-definitions.json), sorted. */
export function definitionsFiles(root: string): string[] {
  const dir = path.join(root, 'schemas');
  return fs.readdirSync(dir).filter((f) => /^k8s-.*-definitions\.json$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * The OpenAPI v2 spelling of the two types whose wire form is wider than their declared `type`,
 * as the API server decodes them (and as yannh/kubernetes-json-schema writes them, which the 1.28
 * file already is): an IntOrString is a string or an integer, a Quantity a string or a number.
 */
const WIRE_TYPES: Record<string, SchemaNode> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};
/** The id under which the Kubernetes definitions are registered with ajv. */
export const K8S_SCHEMA_ID = 'k8s';
/** The ObjectMeta definition, shared by core kinds and custom resources. */
export const OBJECT_META_REF = `${K8S_SCHEMA_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/** `group/version` + kind, e.g. `apps/v1 Deployment`, `networking.istio.io/v1 VirtualService`. */
export function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/**
 * Calls `visit` on every schema node below `node` (itself included), following exactly the
 * keywords that hold subschemas — a property *named* `properties` is data, not a keyword.
 */
export function forEachSchema(node: SchemaNode, visit: (s: SchemaNode) => void): void {
  if (!node || typeof node !== 'object') return;
  visit(node);
  for (const child of Object.values(node.properties ?? {})) forEachSchema(child as SchemaNode, visit);
  for (const child of Object.values(node.definitions ?? {})) forEachSchema(child as SchemaNode, visit);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') forEachSchema(node.additionalProperties, visit);
  if (node.items && typeof node.items === 'object') forEachSchema(node.items, visit);
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const child of node[k] ?? []) forEachSchema(child, visit);
  if (node.not) forEachSchema(node.not, visit);
}

/**
 * The Kubernetes definitions of `version`, closed to unknown fields: the published definitions
 * carry no `additionalProperties`, so without this an unknown field (a typo) would pass.
 * Returns the ajv schema and a map from `apiVersion kind` to the definition name.
 */
export function loadKubernetesDefinitions(
  root: string, version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION,
): { schema: SchemaNode; kinds: Map<string, string> } {
  const raw = JSON.parse(fs.readFileSync(path.join(root, 'schemas', DEFINITIONS_FILES[version]), 'utf8'));
  const definitions: Record<string, SchemaNode> = { ...raw.definitions, ...structuredClone(WIRE_TYPES) };
  const kinds = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      // Only the definition whose apiVersion/kind properties make it a top-level object.
      if (def.properties?.apiVersion && def.properties?.kind) kinds.set(gvkKey(apiVersion, gvk.kind), name);
    }
    forEachSchema(def, (s) => {
      delete s.description; // half the bytes, and ajv's verbose code would embed it
      if (s.properties && !s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties === undefined) {
        s.additionalProperties = false;
      }
    });
  }
  return { schema: { $id: K8S_SCHEMA_ID, definitions }, kinds };
}

/** One served version of a CustomResourceDefinition. */
export interface CrdVersion {
  readonly crdName: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** The version's `openAPIV3Schema` as the CRD has it (CEL rules and list types are read here). */
  readonly structural: SchemaNode;
}

/** Every `CustomResourceDefinition` document in the given YAML files. */
export function readCrdDocuments(files: string[]): SchemaNode[] {
  // required here, not at the top: importing the package must not load the YAML parser
  const YAML = require('yaml') as typeof import('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
  const docs: SchemaNode[] = [];
  for (const file of files) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const value = doc.toJS();
      if (value?.kind === 'CustomResourceDefinition') docs.push(value);
    }
  }
  return docs;
}

/**
 * The CRDs without the `description` of any schema node (most of their bytes): what the validator
 * keeps and caches. A property that happens to be *named* `description` stays.
 */
export function withoutDescriptions(crds: SchemaNode[]): SchemaNode[] {
  for (const crd of crds) {
    for (const v of crd.spec?.versions ?? []) {
      if (v.schema?.openAPIV3Schema) forEachSchema(v.schema.openAPIV3Schema, (s) => { delete s.description; });
    }
  }
  return crds;
}

/** The vendored CRD files (crds/*.yaml), sorted so the order never depends on the file system. */
export function vendoredCrdFiles(root: string): string[] {
  const dir = path.join(root, 'crds');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
}

/** The served versions of the given CRDs, keyed by `apiVersion kind`. */
export function crdVersions(crds: SchemaNode[]): Map<string, CrdVersion> {
  const out = new Map<string, CrdVersion>();
  for (const crd of crds) {
    const { group, names, scope } = crd.spec;
    for (const v of crd.spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (!v.served || !schema) continue;
      const apiVersion = `${group}/${v.name}`;
      out.set(gvkKey(apiVersion, names.kind), {
        crdName: crd.metadata.name, apiVersion, kind: names.kind, plural: names.plural,
        namespaced: scope === 'Namespaced', structural: schema,
      });
    }
  }
  return out;
}

/**
 * A CRD version's schema as ajv needs it: root apiVersion/kind/metadata injected (the API server
 * adds them), `x-kubernetes-int-or-string` spelled as `anyOf`, and every object closed unless it
 * preserves unknown fields — which is what strict field validation enforces on a structural schema.
 */
export function ajvSchemaFor(v: CrdVersion): SchemaNode {
  const schema: SchemaNode = structuredClone(v.structural);
  forEachSchema(schema, (s) => {
    delete s.description;
    if (s['x-kubernetes-int-or-string']) {
      delete s.type;
      s.allOf = [...(s.allOf ?? []), { anyOf: [{ type: 'integer' }, { type: 'string' }] }];
    }
    if (s.type === 'object' && !s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties === undefined) {
      s.additionalProperties = false;
    }
  });
  schema.properties = {
    ...schema.properties,
    apiVersion: { type: 'string', enum: [v.apiVersion] },
    kind: { type: 'string', enum: [v.kind] },
    metadata: { $ref: OBJECT_META_REF },
  };
  schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  return schema;
}
