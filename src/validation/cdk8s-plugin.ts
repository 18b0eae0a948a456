// The validator as a cdk8s CLI validation plugin (the `validations:` key of cdk8s.yaml): `cdk8s synth`
// loads the class named there from the package, constructs it with `properties`, and awaits
// `validate(context)` with every manifest the app wrote — objects this package did not create
// included. The CLI's types are restated structurally here so the package does not depend on cdk8s-cli.
import * as fs from 'fs';
import * as path from 'path';
import { kubernetesVersion } from './kubernetes-version';
import { readCrdDocuments, SchemaNode } from './schemas';
import { ManifestValidator, ValidationError } from './validator';

/**
 * The `properties` of the plugin's entry in cdk8s.yaml.
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export interface MeshValidationPluginProperties {
  /**
   * The Kubernetes release whose core API definitions judge core kinds (`"1.28"`, `"1.36"`).
   * @default "1.28" (KubernetesVersion.V1_28)
   * @see https://kubernetes.io/releases/
   */
  readonly kubernetesVersion?: string;
  /**
   * CustomResourceDefinition YAML files, or folders of them (`*.yaml`, `*.yml`), relative to the
   * folder `cdk8s synth` runs in, for kinds the package does not vendor. They are applied as the
   * API server would: one with a vendored CRD's name replaces it. CRDs the app itself synthesizes
   * are applied too, before anything is validated.
   * @default - the vendored CRDs and those the app synthesizes
   * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
   */
  readonly crds?: ReadonlyArray<string>;
  /**
   * Accept objects of kinds no schema describes (listed in the report's summary) instead of failing.
   * @default false
   */
  readonly allowUnknownKinds?: boolean;
  /**
   * A folder for the validator's cache (parsed CRDs, compiled validators), shared by later runs.
   * @default - `$CDK8S_MESH_VALIDATION_CACHE` when set, else no cache
   * @see ManifestValidatorOptions.cacheDir
   */
  readonly cacheDir?: string;
}

/**
 * One problem in the report (cdk8s-cli's `ValidationViolation`, restated): a rule, what is wrong,
 * how to fix it, and every resource that has it.
 */
export interface MeshValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: ReadonlyArray<{ readonly resourceName: string; readonly locations: ReadonlyArray<string>; readonly manifestPath: string }>;
}

/**
 * What `cdk8s synth` passes to a validation plugin (cdk8s-cli's `ValidationContext`, restated).
 * @see https://github.com/cdk8s-team/cdk8s-cli/blob/2.x/src/plugins/validation.ts
 */
export interface IValidationContext {
  /** The manifest files the app wrote. */
  readonly manifests: ReadonlyArray<string>;
  /** The report the plugin fills and submits. */
  readonly report: {
    addViolation(violation: MeshValidationViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  /** The CLI's logger. */
  readonly logger: { log(message: string): void };
}

/** The rule names a report can hold. */
const RULES = {
  schema: 'cdk8s-mesh: rejected by the API server schema',
  unknownKind: 'cdk8s-mesh: no schema for the kind',
  yaml: 'cdk8s-mesh: manifest does not parse',
};

interface Located { readonly object: any; readonly manifest: string }

/**
 * Runs the package's validator on everything `cdk8s synth` writes: core kinds against the selected
 * Kubernetes release's definitions, custom resources against their CRDs (defaults, CEL rules), for
 * every object in every manifest — not only those cdk8s-mesh created. Add to cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-mesh
 *     version: 0.1.0            # any fixed version string: the CLI uses it only in the report
 *     class: MeshValidationPlugin
 *     properties:
 *       kubernetesVersion: "1.36"
 *       crds: [crds/]           # extra CRD files or folders
 * ```
 *
 * A failed validation makes `cdk8s synth` exit with status 2 after printing the report.
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class MeshValidationPlugin {
  private readonly properties: MeshValidationPluginProperties;

  public constructor(properties: MeshValidationPluginProperties = {}) {
    this.properties = properties;
    kubernetesVersion(properties.kubernetesVersion, 'MeshValidationPlugin'); // a bad version fails at load, naming the plugin
    if (properties.crds !== undefined && !Array.isArray(properties.crds)) {
      throw new Error(`MeshValidationPlugin: prop 'crds' is ${JSON.stringify(properties.crds)}, which is not a list. Fix: write crds: [path/to/crds.yaml, path/to/folder/].`);
    }
  }

  /** Validates every object of every manifest in `context` and submits the report. */
  public async validate(context: IValidationContext): Promise<void> {
    const started = Date.now();
    const YAML = require('yaml') as typeof import('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
    const located: Located[] = [];
    let parseFailures = 0;
    for (const manifest of context.manifests) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(manifest, 'utf8'))) {
        if (doc.errors.length > 0) {
          parseFailures++;
          context.report.addViolation({
            ruleName: RULES.yaml, recommendation: doc.errors[0].message,
            fix: 'write the manifest with cdk8s (app.synth()), or fix the YAML by hand', violatingResources: [{ resourceName: path.basename(manifest), locations: ['<root>'], manifestPath: manifest }],
          });
          continue;
        }
        const object = doc.toJS();
        if (object !== null && object !== undefined) located.push({ object, manifest });
      }
    }
    const synthesizedCrds = located.map((l) => l.object).filter(isCrd);
    const validator = new ManifestValidator({
      kubernetesVersion: this.properties.kubernetesVersion,
      allowUnknownKinds: this.properties.allowUnknownKinds ?? false,
      cacheDir: this.properties.cacheDir,
      crds: [...this.userCrds(), ...synthesizedCrds],
    });
    const result = validator.validate(located.map((l) => l.object));
    for (const violation of violations(result.errors, located, validator.kubernetesVersion)) context.report.addViolation(violation);
    const ok = result.valid && parseFailures === 0;
    context.logger.log(`cdk8s-mesh: ${result.validated} objects validated against Kubernetes ${validator.kubernetesVersion} and their CRDs, ${result.errors.length} ${result.errors.length === 1 ? 'error' : 'errors'} (${Date.now() - started} ms)`);
    context.report.submit(ok ? 'success' : 'failure', {
      'Kubernetes version': validator.kubernetesVersion,
      'Objects validated': String(result.validated),
      'Errors': String(result.errors.length),
      ...(result.unvalidated.length > 0 ? { 'Kinds without a schema': result.unvalidated.join(', ') } : {}),
    });
  }

  /** The CRD documents of the files and folders in `crds`, in the order given (folders sorted). */
  private userCrds(): SchemaNode[] {
    const files: string[] = [];
    for (const entry of this.properties.crds ?? []) {
      const p = path.resolve(entry);
      if (!fs.existsSync(p)) {
        throw new Error(`MeshValidationPlugin: prop 'crds' names "${entry}", which does not exist (resolved from ${process.cwd()}). Fix: give a CRD YAML file or a folder of them, relative to the folder cdk8s synth runs in.`);
      }
      if (fs.statSync(p).isDirectory()) {
        files.push(...fs.readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(p, f)));
      } else {
        files.push(p);
      }
    }
    return readCrdDocuments(files);
  }
}

function isCrd(o: any): boolean {
  return o?.kind === 'CustomResourceDefinition' && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** One violation per distinct problem (path and message), listing every object that has it. */
function violations(errors: ReadonlyArray<ValidationError>, located: ReadonlyArray<Located>, version: string): MeshValidationViolation[] {
  // ValidationError.object is `Kind namespace/name`: back to the object's name (the key of the
  // CLI's construct metadata) and the file it was read from.
  const origin = new Map<string, { name: string; manifest: string }>();
  for (const { object, manifest } of located) {
    const ns = object?.metadata?.namespace;
    const name = object?.metadata?.name ?? '<unnamed>';
    origin.set(`${object?.kind ?? '<no kind>'} ${ns ? `${ns}/` : ''}${name}`, { name, manifest });
  }
  const grouped = new Map<string, { error: ValidationError; resources: MeshValidationViolation['violatingResources'][number][] }>();
  for (const e of errors) {
    const unknownKind = e.path === '<root>' && e.message.startsWith('no schema for');
    const key = unknownKind ? e.message : `${e.path}\0${e.message}`;
    const entry = grouped.get(key) ?? { error: e, resources: [] };
    const from = origin.get(e.object);
    entry.resources.push({ resourceName: from?.name ?? e.object, locations: [e.path], manifestPath: from?.manifest ?? '<unknown>' });
    grouped.set(key, entry);
  }
  return [...grouped.values()].map(({ error, resources }) => {
    const unknownKind = error.path === '<root>' && error.message.startsWith('no schema for');
    return {
      ruleName: unknownKind ? RULES.unknownKind : RULES.schema,
      recommendation: unknownKind ? error.message : `${error.path}: ${error.message} (${resources.length === 1 ? error.object : `${resources.length} objects`})`,
      fix: unknownKind
        ? 'add its CRD to the plugin\'s `crds` property in cdk8s.yaml (or synthesize the CRD in the app), or set `allowUnknownKinds: true`'
        : `change ${error.path} so a Kubernetes ${version} API server accepts it (or select the release your cluster runs with the plugin's \`kubernetesVersion\` property)`,
      violatingResources: resources,
    };
  });
}
