import type Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { ApiObject, Chart } from 'cdk8s';
import { cacheKey, contentHash, loadStandalone, re2Pattern, ValidatorCache } from './cache';
import { hasDefaults, withServerDefaults } from './defaults';
import { KubernetesVersion, kubernetesVersion } from './kubernetes-version';
import { ajvErrors } from './messages';
import type { PathError } from './paths';
import {
  ajvSchemaFor, CrdVersion, crdVersions, gvkKey, K8S_SCHEMA_ID, loadKubernetesDefinitions,
  packageRoot, readCrdDocuments, SchemaNode, vendoredCrdFiles, withoutDescriptions,
} from './schemas';

// ajv, ajv-formats and the CEL evaluator (structural.ts) cost ~170 ms to load: they are required on
// the first validation, not when the package is imported — `npm run synth` never validates.
// Loaded once, on first use (this sits on the per-object validation path).
// With a cache (`cacheDir`) and every kind already compiled, ajv itself is never loaded.
let loaded: { structural: typeof import('./structural') } | undefined;
let compilerModules: { Ajv: typeof import('ajv').default; addFormats: typeof import('ajv-formats').default; standalone: typeof import('ajv/dist/standalone').default; codegen: typeof import('ajv/dist/compile/codegen') } | undefined;
/* eslint-disable @typescript-eslint/no-require-imports */
const heavy = () => loaded ??= { structural: require('./structural') as typeof import('./structural') };
const compiler = () => compilerModules ??= {
  Ajv: (require('ajv') as typeof import('ajv')).default,
  addFormats: (require('ajv-formats') as typeof import('ajv-formats')).default,
  standalone: (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default,
  codegen: require('ajv/dist/compile/codegen') as typeof import('ajv/dist/compile/codegen'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** One reason an object would be rejected by the API server. */
export interface ValidationError {
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
  readonly object: string;
  /** JSON path inside the object, e.g. `spec.http[0].timeout`. */
  readonly path: string;
  /** The schema's or the CEL rule's message. */
  readonly message: string;
}

/** What {@link validateManifests} found. */
export interface ValidationResult {
  /** True when every object was validated and none has an error. */
  readonly valid: boolean;
  /** How many objects were checked against a schema. */
  readonly validated: number;
  /** Every problem found, in object order. */
  readonly errors: ValidationError[];
  /** Objects whose kind has no vendored schema (`apiVersion Kind namespace/name`); errors unless `allowUnknownKinds`. */
  readonly unvalidated: string[];
}

/** Options for a {@link ManifestValidator}. */
export interface ManifestValidatorOptions {
  /**
   * Extra CustomResourceDefinition documents (parsed YAML/JSON) for kinds the package doesn't vendor.
   * Their defaults and CEL rules apply as for the vendored ones.
   * @default - only the vendored CRDs: Istio 1.30.3, Prometheus Operator 0.93.0, Gateway API 1.5.1
   * (experimental channel) and Linkerd edge-26.8.3 policy
   * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
   */
  readonly crds?: ReadonlyArray<{ [key: string]: any }>;
  /**
   * Accept objects of kinds with no schema (listed in `unvalidated`) instead of reporting an error.
   * @default false
   */
  readonly allowUnknownKinds?: boolean;
  /**
   * A folder for a cache of the parsed CRDs and of each kind's compiled validator, shared by
   * processes (test workers, repeated `cdk8s synth` runs). Entries are keyed by a content hash of
   * every input, so a changed CRD or schema file is never judged by a stale entry. Safe to delete
   * at any time.
   * @default - `$CDK8S_MESH_VALIDATION_CACHE` when set, else no cache: CRDs are parsed and
   * validators compiled in memory, once per process
   * @see https://ajv.js.org/standalone.html (the compiled validators are ajv standalone code)
   */
  readonly cacheDir?: string;
  /**
   * The Kubernetes release whose core API definitions judge core kinds (Deployment, Service, ...):
   * a field added after 1.28 is an unknown field under 1.28 and valid under a release that has it,
   * e.g. `Service.spec.trafficDistribution` (1.31+). `'1.36'`, `'v1.36'` and `'1.36.2'` name the same.
   * @default KubernetesVersion.V1_28 (the API cdk8s-plus-28 generates)
   * @see https://kubernetes.io/releases/
   */
  readonly kubernetesVersion?: KubernetesVersion | string;
}

type CheckFunction = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

interface CompiledKind {
  readonly check: CheckFunction;
  readonly crd?: CrdVersion;
  /** Whether the CRD version's schema has defaults to fill before validating. */
  readonly defaults: boolean;
}

/** The Kubernetes definitions with ajv set up the way every validator is generated. */
function createAjv(root: string, version: KubernetesVersion): Ajv {
  const { Ajv: AjvClass, addFormats, codegen } = compiler();
  const ajv = new AjvClass({
    strict: false, allErrors: true, verbose: true,
    code: { source: true, regExp: re2Pattern as any, formats: codegen._`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'uint32', 'double', 'float', 'int-or-string']) ajv.addFormat(f, true);
  ajv.addSchema(loadKubernetesDefinitions(root, version).schema);
  return ajv;
}

/**
 * Validates manifests the way the API server would on create: core kinds against the Kubernetes
 * 1.28 OpenAPI definitions (closed to unknown fields), custom resources — with their CRD's
 * defaults filled in first, as the server does — against the CRD's `openAPIV3Schema`, CEL rules
 * and list types, reported in the server's words. Schemas are compiled on first use, once per kind
 * (or loaded from `cacheDir`).
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
 */
export class ManifestValidator {
  private readonly allowUnknownKinds: boolean;
  private readonly extraCrds: ReadonlyArray<SchemaNode>;
  private readonly cacheDir?: string;
  /** The Kubernetes release whose definitions judge core kinds. */
  public readonly kubernetesVersion: KubernetesVersion;
  private state?: { root: string; core: Map<string, string>; crds: Map<string, CrdVersion>; cache?: ValidatorCache };
  private ajv?: Ajv;
  private readonly compiled = new Map<string, CompiledKind>();

  public constructor(options: ManifestValidatorOptions = {}) {
    this.allowUnknownKinds = options.allowUnknownKinds ?? false;
    this.extraCrds = options.crds ?? [];
    this.cacheDir = options.cacheDir ?? (process.env.CDK8S_MESH_VALIDATION_CACHE || undefined);
    this.kubernetesVersion = kubernetesVersion(options.kubernetesVersion, 'ManifestValidator');
  }

  /**
   * Validates plain manifests, e.g. the result of `Testing.synth(chart)` or `chart.toJson()`.
   * Custom resources are judged as the API server judges them: on a copy with non-nullable nulls
   * dropped and the CRD's defaults filled in (the objects passed in are not changed).
   */
  public validate(objects: ReadonlyArray<any>): ValidationResult {
    const errors: ValidationError[] = [];
    const unvalidated: string[] = [];
    let validated = 0;
    for (const obj of objects) {
      const name = describeObject(obj);
      const compiled = this.kind(obj?.apiVersion, obj?.kind);
      if (!compiled) {
        unvalidated.push(`${obj?.apiVersion} ${name}`);
        if (!this.allowUnknownKinds) {
          errors.push({ object: name, path: '<root>', message: `no schema for apiVersion "${obj?.apiVersion}" kind "${obj?.kind}" (pass its CRD in \`crds\`, or set \`allowUnknownKinds\`)` });
        }
        continue;
      }
      validated++;
      const found: PathError[] = [];
      const served = compiled.crd && compiled.defaults ? withServerDefaults(compiled.crd.structural, obj) : obj;
      if (!compiled.check(served)) found.push(...ajvErrors(compiled.check.errors ?? [], compiled.crd !== undefined));
      if (compiled.crd) found.push(...heavy().structural.checkStructural(compiled.crd.structural, served));
      for (const e of found) errors.push({ object: name, ...e });
    }
    return { valid: errors.length === 0, validated, errors, unvalidated };
  }

  /** The served custom resource version for `apiVersion`/`kind`, if a CRD defines it (used to address the API). */
  public customResource(apiVersion: string, kind: string): CrdVersion | undefined {
    return this.load().crds.get(gvkKey(apiVersion, kind));
  }

  /** Every served custom resource version this validator knows: the vendored CRDs and those passed in `crds`. */
  public customResources(): CrdVersion[] {
    return [...this.load().crds.values()];
  }

  private load() {
    if (!this.state) {
      const root = packageRoot();
      const cache = this.cacheDir ? new ValidatorCache(this.cacheDir, cacheKey(root)) : undefined;
      const parseCrds = () => withoutDescriptions(readCrdDocuments(vendoredCrdFiles(root)));
      const parseCore = () => [...loadKubernetesDefinitions(root, this.kubernetesVersion).kinds];
      const vendored = cache ? cache.json('crds', parseCrds) : parseCrds();
      const core = cache ? cache.json(`core-kinds-${this.kubernetesVersion}`, parseCore) : parseCore();
      this.state = { root, core: new Map(core), crds: crdVersions(appliedCrds(vendored, this.extraCrds)), cache };
    }
    return this.state;
  }

  /** The generated validator for a schema ref (core kinds) or a CRD version's schema. */
  private generate(key: string, ref: string | SchemaNode): CheckFunction {
    const { root, cache } = this.load();
    const build = () => {
      this.ajv ??= createAjv(root, this.kubernetesVersion);
      const fn = typeof ref === 'string' ? this.ajv.getSchema(ref)! : this.ajv.compile(ref);
      return compiler().standalone(this.ajv, fn);
    };
    return cache ? cache.validator(key, build) : loadStandalone(build());
  }

  private kind(apiVersion: unknown, kind: unknown): CompiledKind | undefined {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
    const key = gvkKey(apiVersion, kind);
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const { core, crds } = this.load();
    let result: CompiledKind | undefined;
    const crd = crds.get(key);
    if (crd) {
      const schema = ajvSchemaFor(crd);
      // The schema's own hash: a CRD passed in `crds` may redefine a vendored kind.
      result = { check: this.generate(`${key} ${contentHash(JSON.stringify(schema))}`, schema), crd, defaults: hasDefaults(crd.structural) };
    } else if (core.has(key)) {
      result = { check: this.generate(`k8s-${this.kubernetesVersion} ${key}`, `${K8S_SCHEMA_ID}#/definitions/${core.get(key)}`), defaults: false };
    }
    if (result) this.compiled.set(key, result);
    return result;
  }
}

/**
 * The CRDs the validator serves, as the API server would after the passed-in ones were applied on
 * top of the vendored ones: a CRD is identified by `metadata.name`, so one passed in replaces the
 * vendored CRD of that name whole (its versions, schemas, defaults and rules; a version it no
 * longer lists is no longer served), and of two passed in with one name the later wins.
 */
function appliedCrds(vendored: ReadonlyArray<SchemaNode>, extra: ReadonlyArray<SchemaNode>): SchemaNode[] {
  const byName = new Map<string, SchemaNode>();
  for (const crd of [...vendored, ...extra]) {
    const name = crd?.metadata?.name;
    if (typeof name !== 'string' || !crd?.spec?.group || !crd?.spec?.names?.kind) {
      throw new Error(`ManifestValidator: prop 'crds' holds ${JSON.stringify(crd?.metadata?.name ?? crd?.kind ?? crd).slice(0, 80)}, which is not a CustomResourceDefinition (it needs metadata.name, spec.group and spec.names.kind). Fix: pass parsed apiextensions.k8s.io/v1 CustomResourceDefinition documents.`);
    }
    byName.delete(name); // re-inserted last: a replaced CRD's kinds are looked up after the others
    byName.set(name, crd);
  }
  return [...byName.values()];
}

function describeObject(obj: any): string {
  const ns = obj?.metadata?.namespace;
  const name = obj?.metadata?.name ?? '<unnamed>';
  return `${obj?.kind ?? '<no kind>'} ${ns ? `${ns}/` : ''}${name}`;
}

let shared: ManifestValidator | undefined;

/**
 * Validates manifests against the vendored schemas (Kubernetes 1.28 core kinds; Istio 1.30.3,
 * Prometheus Operator 0.93.0, Gateway API 1.5.1 and Linkerd edge-26.8.3 CRDs, with defaults and CEL rules). The schemas are compiled once
 * per process (or read from `$CDK8S_MESH_VALIDATION_CACHE`).
 *
 * @param objects plain manifests, e.g. `Testing.synth(chart)` or `chart.toJson()`
 * @param options extra CRDs, or accept unknown kinds
 * @default options - the process-wide validator with the vendored schemas only
 */
export function validateManifests(objects: ReadonlyArray<any>, options?: ManifestValidatorOptions): ValidationResult {
  const validator = options ? new ManifestValidator(options) : (shared ??= new ManifestValidator());
  return validator.validate(objects);
}

/** Synthesizes `chart` (running its construct validations) and validates the result. */
export function validateChart(chart: Chart, options?: ManifestValidatorOptions): ValidationResult {
  return validateManifests(chart.toJson(), options);
}

/** One line per error: `Kind ns/name: path: message`. */
export function formatValidationErrors(result: ValidationResult): string {
  return result.errors.map((e) => `${e.object}: ${e.path}: ${e.message}`).join('\n');
}

/** Throws an Error listing every problem when `objects` would not be accepted. */
export function assertValidManifests(objects: ReadonlyArray<any>, options?: ManifestValidatorOptions): void {
  const result = validateManifests(objects, options);
  if (!result.valid) {
    throw new Error(`${result.errors.length} manifest validation error(s):\n${formatValidationErrors(result)}`);
  }
}

/** Schema validation as a cdk8s construct validation, so `app.synth()` / `cdk8s synth` fail on it. */
export class ManifestValidation {
  /**
   * Adds a validation to `chart` that checks every API object in it when the app synthesizes.
   * @param chart the chart whose objects are checked
   * @param options extra CRDs, or accept unknown kinds
   */
  public static attach(chart: Chart, options?: ManifestValidatorOptions): void {
    chart.node.addValidation({
      validate: () => {
        const objects = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
        const result = validateManifests(objects.map((o) => o.toJson()), options);
        return result.errors.map((e) => `${e.object}: ${e.path}: ${e.message}`);
      },
    });
  }

  private constructor() {}
}
