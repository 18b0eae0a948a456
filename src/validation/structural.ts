// The checks a structural CRD schema makes that JSON Schema can't express: CEL rules
// (`x-kubernetes-validations`) and `x-kubernetes-list-type: set|map` uniqueness.
import { evaluateRule, isTransitionRule } from './cel';
import { SchemaNode } from './schemas';

/** A problem found at a JSON path inside one object. */
export interface PathError {
  readonly path: string;
  readonly message: string;
}

/** `spec.http[0].timeout` from path segments (the API server's spelling). */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${s}]`;
  }
  return out || '<root>';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function matchesType(schema: SchemaNode, value: unknown): boolean {
  switch (schema.type) {
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

/** The value as CEL sees it: integers (per the schema) as BigInt, everything else unchanged. */
export function toCel(schema: SchemaNode | undefined, value: unknown): unknown {
  if (typeof value === 'number') {
    const integral = schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'];
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(schema?.items, v));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const child = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      out[k] = toCel(child, v);
    }
    return out;
  }
  return value;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (isObject(value)) return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function duplicateValue(item: unknown): string {
  return JSON.stringify(item);
}

function checkListType(schema: SchemaNode, list: unknown[], path: Array<string | number>, errors: PathError[]): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keys: string[] = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const identity = listType === 'set'
      ? duplicateValue(item)
      : duplicateValue(Object.fromEntries(keys.map((k) => [k, isObject(item) ? item[k] : undefined])));
    if (seen.has(identity)) errors.push({ path: formatPath([...path, i]), message: `Duplicate value: ${identity}` });
    seen.add(identity);
  });
}

function checkRules(schema: SchemaNode, raw: unknown, cel: unknown, path: Array<string | number>, errors: PathError[]): void {
  for (const r of schema['x-kubernetes-validations'] ?? []) {
    if (isTransitionRule(r.rule)) continue;
    const outcome = evaluateRule(r.rule, cel);
    if (outcome === true) continue;
    const where = r.fieldPath ? formatPath(path) + r.fieldPath : formatPath(path);
    // The API server's wording: the rule's message, or the rule itself; evaluation errors prefixed.
    const ruleText = r.message ?? `failed rule: ${r.rule}`;
    const detail = outcome === false ? ruleText : `${outcome.error} evaluating rule: ${r.message ?? r.rule}`;
    const message = `Invalid value: "${typeName(raw)}": ${detail}`;
    errors.push({ path: where, message });
  }
}

function walk(schema: SchemaNode, raw: unknown, cel: unknown, path: Array<string | number>, errors: PathError[]): void {
  if (!matchesType(schema, raw)) return; // the schema check reports the type error
  checkRules(schema, raw, cel, path, errors);
  if (Array.isArray(raw)) {
    checkListType(schema, raw, path, errors);
    if (schema.items) raw.forEach((v, i) => walk(schema.items, v, (cel as unknown[])[i], [...path, i], errors));
  } else if (isObject(raw)) {
    const celObject = cel as Record<string, unknown>;
    for (const [k, v] of Object.entries(raw)) {
      const child = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (child) walk(child, v, celObject[k], [...path, k], errors);
    }
  }
}

/**
 * The CEL rules and list-type checks of a CRD version's schema, run over one object.
 * Only reached for values whose type matches the schema (type errors are the schema's to report).
 */
export function checkStructural(schema: SchemaNode, object: unknown): PathError[] {
  const errors: PathError[] = [];
  walk(schema, object, toCel(schema, object), [], errors);
  return errors;
}
