// What the API server does to a custom resource between decoding and validating it: drop `null`s
// the schema does not allow, and fill in structural-schema `default`s. CEL rules and the schema
// then judge the defaulted object, so a rule can hold (or fail) only because a default was filled:
// an HTTPRoute backendRef without `group`/`kind` gets `""`/`Service`, which then require a `port`.
import type { SchemaNode } from './schemas';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function childSchema(schema: SchemaNode, key: string): SchemaNode | undefined {
  return schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
}

/**
 * Removes fields whose value is `null` where the schema neither allows null (`nullable`) nor has a
 * default — apiextensions-apiserver's `PruneNonNullableNullsWithoutDefaults`. Only named
 * properties are pruned (not map entries or list items), as there.
 */
function pruneNulls(schema: SchemaNode, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) pruneNulls(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if (v === null && prop && prop.default === undefined && !prop.nullable) delete value[k];
  }
  for (const [k, v] of Object.entries(value)) {
    const child = childSchema(schema, k);
    if (child) pruneNulls(child, v);
  }
}

/**
 * Fills `default`s into `value` in place — apiextensions-apiserver's structural `Default`: a
 * missing property (or a null one that may not be null) gets a copy of its default, then every
 * property, the defaulted ones included, is defaulted in turn; list items and map values too.
 */
function fillDefaults(schema: SchemaNode, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) fillDefaults(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, prop] of Object.entries<SchemaNode>(schema.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!(k in value) || (value[k] === null && !prop.nullable)) value[k] = structuredClone(prop.default);
  }
  for (const [k, v] of Object.entries(value)) {
    const child = childSchema(schema, k);
    if (child) fillDefaults(child, v);
  }
}

/** True when any node of `schema` carries a `default` (objects of other kinds need no copy). */
export function hasDefaults(schema: SchemaNode): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  if (schema.default !== undefined) return true;
  if (Object.values<SchemaNode>(schema.properties ?? {}).some(hasDefaults)) return true;
  if (schema.items && hasDefaults(schema.items)) return true;
  return isObject(schema.additionalProperties) && hasDefaults(schema.additionalProperties);
}

/**
 * The object as the API server validates it: a deep copy of `object` with non-nullable nulls
 * dropped and the schema's defaults filled in. `object` itself is never changed.
 *
 * @param schema a CRD version's `openAPIV3Schema`
 * @param object the custom resource as written
 */
export function withServerDefaults<T>(schema: SchemaNode, object: T): T {
  const copy = structuredClone(object);
  pruneNulls(schema, copy);
  fillDefaults(schema, copy);
  return copy;
}
