// The checks a structural CRD schema makes that JSON Schema can't express: CEL rules
// (`x-kubernetes-validations`) and `x-kubernetes-list-type: set|map` uniqueness.
import { evaluateExpression, evaluateRule, isTransitionRule } from './cel';
import { formatPath, type PathError } from './paths';
import { SchemaNode } from './schemas';

export { formatPath, type PathError } from './paths';

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

/** A scalar as Go's `%v`/`%q` print it in a field error (`"bad"`, `12`, `true`). */
function scalarText(value: unknown): string {
  return JSON.stringify(value);
}

/** The rule's own words: `messageExpression` evaluated, else `message`, else `failed rule: <rule>`. */
function ruleMessage(r: SchemaNode, cel: unknown): string {
  if (r.messageExpression) {
    const text = evaluateExpression(r.messageExpression, cel);
    if (typeof text === 'string' && text.trim() !== '') return text;
  }
  return r.message ?? `failed rule: ${r.rule}`;
}

/**
 * A violated rule in the API server's words (apiextensions-apiserver 0.36): a scalar's value is
 * printed, an object's or list's is not (`Invalid value: Must have port for Service reference`),
 * nor is it when the rule names a `fieldPath`; `reason` picks Forbidden/Required/Duplicate.
 */
function violation(r: SchemaNode, raw: unknown, cel: unknown): string {
  const detail = ruleMessage(r, cel);
  switch (r.reason) {
    case 'FieldValueForbidden': return `Forbidden: ${detail}`;
    case 'FieldValueRequired': return `Required value: ${detail}`;
    case 'FieldValueDuplicate': return `Duplicate value: ${scalarText(raw)}`;
    default: {
      const scalar = raw === null || typeof raw !== 'object';
      return scalar && !r.fieldPath ? `Invalid value: ${scalarText(raw)}: ${detail}` : `Invalid value: ${detail}`;
    }
  }
}

function checkRules(schema: SchemaNode, raw: unknown, cel: unknown, path: Array<string | number>, errors: PathError[]): void {
  for (const r of schema['x-kubernetes-validations'] ?? []) {
    if (isTransitionRule(r.rule)) continue;
    const outcome = evaluateRule(r.rule, cel);
    if (outcome === true) continue;
    const where = r.fieldPath ? formatPath(path) + r.fieldPath : formatPath(path);
    // An evaluation error keeps the value's type name: `Invalid value: "object": no such key: x evaluating rule: ...`.
    const message = outcome === false
      ? violation(r, raw, cel)
      : `Invalid value: "${typeName(raw)}": ${outcome.error} evaluating rule: ${r.message ?? r.rule}`;
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
