// Validation vectors, read for both layers: istio/api's CRD test documents (test/vectors/istio-1.30.3/,
// see PROVENANCE.md there) and hand-written Gateway API and Linkerd documents
// (test/vectors/gateway-api-1.5.1/, test/vectors/linkerd-edge-26.8.3/, README.md in each).
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** One folder of `*-valid.yaml` / `*-invalid.yaml` files. */
export interface VectorSuite {
  readonly dir: string;
  /**
   * Whether the fast layer must produce the `_err` text itself (the hand-written suites, whose
   * `_err` is what apiextensions-apiserver 0.36 says), or only reject (istio/api's suite, written
   * for an older server's wording).
   */
  readonly fastErrorText: boolean;
}

export const ISTIO_VECTORS: VectorSuite = { dir: path.join(__dirname, 'vectors', 'istio-1.30.3'), fastErrorText: false };
export const GATEWAY_API_VECTORS: VectorSuite = { dir: path.join(__dirname, 'vectors', 'gateway-api-1.5.1'), fastErrorText: true };
export const LINKERD_VECTORS: VectorSuite = { dir: path.join(__dirname, 'vectors', 'linkerd-edge-26.8.3'), fastErrorText: true };
export const ALL_VECTOR_SUITES = [ISTIO_VECTORS, GATEWAY_API_VECTORS, LINKERD_VECTORS];

/** One document of a vector file, `_err` stripped (it is the expected server error substring). */
export interface Vector {
  readonly suite: VectorSuite;
  readonly file: string;
  readonly name: string;
  readonly valid: boolean;
  readonly err?: string;
  readonly object: any;
  /** The document's YAML text without the `_err` line (what the server layer sends). */
  readonly text: string;
}

export function readVectors(suite: VectorSuite = ISTIO_VECTORS): Vector[] {
  const out: Vector[] = [];
  for (const file of fs.readdirSync(suite.dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const source = fs.readFileSync(path.join(suite.dir, file), 'utf8');
    for (const doc of YAML.parseAllDocuments(source)) {
      const { _err: err, ...object } = doc.toJS() ?? {};
      if (!object.kind) continue;
      const text = source.slice(doc.range[0], doc.range[2]).replace(/^_err:.*\n/m, '');
      out.push({ suite, file, name: object.metadata?.name, valid: file.endsWith('-valid.yaml'), err, object, text });
    }
  }
  return out;
}

/** `suite/file/name`, unique across suites. */
export function vectorId(v: Vector): string {
  return `${path.basename(v.suite.dir)}/${v.file}/${v.name}`;
}

/**
 * Documents the fast layer can't judge like the API server, each with its reason. The server
 * layer (test/server/) sends the YAML text itself, so the API server's own parser reads these.
 */
export const FAST_LAYER_EXCEPTIONS: Record<string, string> = {
  'istio-1.30.3/serviceentry-valid.yaml/full':
    'YAML parse difference, not validation: `addresses: [1.2.3.4, 001:db8::]` — JS YAML 1.2 parsers read `001:db8::` '
    + 'inside a flow sequence as a mapping; the API server\'s YAML decoder reads the string "001:db8::"',
};
