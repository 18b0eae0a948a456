// istio/api's CRD test vectors (test/vectors/istio-1.30.3/, see PROVENANCE.md), read for both layers.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

export const VECTORS_DIR = path.join(__dirname, 'vectors', 'istio-1.30.3');

/** One document of a vector file, `_err` stripped (it is the expected server error substring). */
export interface Vector {
  readonly file: string;
  readonly name: string;
  readonly valid: boolean;
  readonly err?: string;
  readonly object: any;
  /** The document's YAML text without the `_err` line (what the server layer sends). */
  readonly text: string;
}

export function readVectors(): Vector[] {
  const out: Vector[] = [];
  for (const file of fs.readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    const source = fs.readFileSync(path.join(VECTORS_DIR, file), 'utf8');
    for (const doc of YAML.parseAllDocuments(source)) {
      const { _err: err, ...object } = doc.toJS() ?? {};
      if (!object.kind) continue;
      const text = source.slice(doc.range[0], doc.range[2]).replace(/^_err:.*\n/m, '');
      out.push({ file, name: object.metadata?.name, valid: file.endsWith('-valid.yaml'), err, object, text });
    }
  }
  return out;
}

/**
 * Documents the fast layer can't judge like the API server, each with its reason. The server
 * layer (test/server/) sends the YAML text itself, so the API server's own parser reads these.
 */
export const FAST_LAYER_EXCEPTIONS: Record<string, string> = {
  'serviceentry-valid.yaml/full':
    'YAML parse difference, not validation: `addresses: [1.2.3.4, 001:db8::]` — JS YAML 1.2 parsers read `001:db8::` '
    + 'inside a flow sequence as a mapping; the API server\'s YAML decoder reads the string "001:db8::"',
};

