// ajv's errors in the words the API server uses for the same schema violation. Custom resources
// get apiextensions-apiserver's wording (checked against its 0.36 release): their errors then read
// the same in both validation layers. Core kinds keep ajv's short wording (the server judges those
// with Go decoding and hand-written validation, not with this schema).
import type { ErrorObject } from 'ajv';
import { formatPath, type PathError } from './paths';

function pointerSegments(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** The JSON type name the server prints for a value: `"string"`, `"integer"`, `"object"`... */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const text = (value: unknown) => JSON.stringify(value);
const size = (value: unknown) => (Array.isArray(value) ? value.length : typeof value === 'object' && value ? Object.keys(value).length : 0);

/** `x-kubernetes-int-or-string`, which schemas.ts spells as this anyOf. */
function isIntOrString(e: ErrorObject): boolean {
  const alternatives = e.schema as Array<{ type?: string }> | undefined;
  return Array.isArray(alternatives) && alternatives.length === 2 && alternatives[0]?.type === 'integer' && alternatives[1]?.type === 'string';
}

/** One error in apiextensions-apiserver's words (`path` is where the server reports it). */
function serverWords(e: ErrorObject, path: string): string | undefined {
  const d = e.data;
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'type': return `Invalid value: "${typeName(d)}": ${path} in body must be of type ${p.type}: "${typeName(d)}"`;
    case 'maxLength': return `Too long: may not be more than ${p.limit} bytes`;
    case 'minLength': return `Invalid value: ${text(d)}: ${path} in body should be at least ${p.limit} chars long`;
    case 'maximum': return `Invalid value: ${text(d)}: ${path} in body should be less than or equal to ${p.limit}`;
    case 'exclusiveMaximum': return `Invalid value: ${text(d)}: ${path} in body should be less than ${p.limit}`;
    case 'minimum': return `Invalid value: ${text(d)}: ${path} in body should be greater than or equal to ${p.limit}`;
    case 'exclusiveMinimum': return `Invalid value: ${text(d)}: ${path} in body should be greater than ${p.limit}`;
    case 'multipleOf': return `Invalid value: ${text(d)}: ${path} in body should be a multiple of ${p.multipleOf}`;
    case 'maxItems':
    case 'maxProperties': return `Too many: ${size(d)}: must have at most ${p.limit} items`;
    case 'minItems': return `Invalid value: ${size(d)}: ${path} in body should have at least ${p.limit} items`;
    case 'minProperties': return `Invalid value: ${size(d)}: ${path} in body should have at least ${p.limit} properties`;
    case 'pattern': return `Invalid value: ${text(d)}: ${path} in body should match '${p.pattern}'`;
    case 'format': return `Invalid value: ${text(d)}: ${path} in body must be of type ${p.format}: ${text(d)}`;
    case 'oneOf': {
      const passing = Array.isArray(p.passingSchemas) ? `${p.passingSchemas.length} valid alternatives` : 'none valid';
      return `Invalid value: "": "${path}" must validate one and only one schema (oneOf). Found ${passing}`;
    }
    case 'anyOf':
      return isIntOrString(e)
        ? `Invalid value: "${typeName(d)}": ${path} in body must be of type integer,string: "${typeName(d)}"`
        : `Invalid value: "": "${path}" must validate at least one schema (anyOf)`;
    default: return undefined;
  }
}

/**
 * ajv errors as path + message, in the API server's words where it has them (`unknown field`,
 * `Required value`, `Unsupported value`; for custom resources every keyword). Errors inside a
 * oneOf/anyOf alternative are left out for custom resources: the server reports only the
 * oneOf/anyOf itself.
 */
export function ajvErrors(errors: ErrorObject[], customResource: boolean): PathError[] {
  const out: PathError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (customResource && /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath)) continue;
    const segments = pointerSegments(e.instancePath);
    let path = formatPath(segments);
    let message: string;
    if (e.keyword === 'additionalProperties') {
      path = formatPath([...segments, e.params.additionalProperty]);
      message = `unknown field "${path}"`;
    } else if (e.keyword === 'required') {
      path = formatPath([...segments, e.params.missingProperty]);
      message = 'Required value';
    } else if (e.keyword === 'enum') {
      message = `Unsupported value: ${text(e.data)}: supported values: ${(e.params.allowedValues as unknown[]).map(text).join(', ')}`;
    } else {
      message = (customResource ? serverWords(e, path) : undefined) ?? `Invalid value: ${text(e.data)}: ${e.message}`;
    }
    const line = `${path}: ${message}`;
    if (!seen.has(line)) out.push({ path, message });
    seen.add(line);
  }
  return out;
}
