// A dedicated YAML emitter for synthesized Kubernetes objects, byte-identical to cdk8s's
// `Yaml.stringify` (the `yaml` package with `keepUndefined: true, lineWidth: 0, version: '1.1'`)
// and several times faster: it writes the JSON-like values that `Chart.toJson()` returns straight
// to text instead of building a YAML document tree first.
//
// A document holding anything else (a Date, Map, class instance, bigint, function, an object
// referenced twice — yaml writes anchors for those — a root scalar, a key over 1024 characters) is
// handed to cdk8s's own `Yaml.stringify`, so the output is identical in every case.
import { Yaml } from 'cdk8s';
import { numberScalar, stringScalar } from './scalars';

/** Thrown inside the emitter when a document holds a value only cdk8s's emitter writes. @internal */
export class EmitFallback {
  public constructor(public readonly reason: string) {}
}

/** Options of {@link stringifyDocuments}. */
export interface EmitOptions {
  /**
   * Throw instead of handing a document the fast path does not cover to cdk8s's `Yaml.stringify`
   * (tests use it to prove a value is written by this emitter, not by the fallback).
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Called once for every document handed to cdk8s's emitter, with the reason.
   * @default - none
   */
  readonly onFallback?: (reason: string) => void;
}

const INDENT_STEP = '  ';
const MAX_IMPLICIT_KEY = 1024;
const objectProto = Object.prototype;
const arrayProto = Array.prototype;

/**
 * Serializes documents exactly as cdk8s's `Yaml.stringify(...docs)` does: each document in YAML,
 * joined by `---\n`; an `undefined` document is an empty line.
 *
 * @param docs the documents (usually the objects of `Chart.toJson()`)
 * @param options strict mode and a fallback callback (tests)
 * @returns the multi-document YAML text
 * @see https://cdk8s.io/docs/latest/reference/cdk8s/typescript/#yaml
 */
export function stringifyDocuments(docs: readonly unknown[], options: EmitOptions = {}): string {
  return docs.map((doc) => stringifyDocument(doc, options)).join('---\n');
}

/** One document, as `Yaml.stringify(doc)` writes it. */
export function stringifyDocument(doc: unknown, options: EmitOptions = {}): string {
  if (doc === undefined) return '\n';
  try {
    return new Writer().document(doc);
  } catch (e) {
    if (!(e instanceof EmitFallback)) throw e;
    if (options.strict) throw new Error(`emit: the fast YAML emitter does not cover this document (${e.reason})`);
    options.onFallback?.(e.reason);
    return Yaml.stringify(doc);
  }
}

// yaml's ctx.indent at each nesting depth, and the line break that continues a collection there
const INDENTS: string[] = [''];
const BREAKS: string[] = ['\n'];
function indentAt(depth: number): string {
  while (INDENTS.length <= depth) {
    INDENTS.push(INDENTS[INDENTS.length - 1] + INDENT_STEP);
    BREAKS.push('\n' + INDENTS[INDENTS.length - 1]);
  }
  return INDENTS[depth];
}

/** Writes one document as a list of pieces joined once at the end (a flat string per document:
 * measured 2× faster than growing one rope, which also doubled peak heap for the emit). */
class Writer {
  private readonly out: string[] = [];
  // yaml aliases an object met twice in one document (`&a1` / `*a1`): those documents fall back.
  private readonly seen = new Set<object>();

  public document(doc: unknown): string {
    if (doc === null || typeof doc !== 'object') throw new EmitFallback(`a root ${doc === null ? 'null' : typeof doc}`);
    const keys = this.enter(doc);
    if (keys === undefined) this.seq(doc as unknown[], 0);
    else this.map(doc as Record<string, unknown>, keys, 0);
    this.out.push('\n');
    return this.out.join('');
  }

  /** Checks a collection can be written here; returns its keys for a mapping, undefined for a sequence. */
  private enter(value: object): string[] | undefined {
    if (this.seen.has(value)) throw new EmitFallback('an object referenced twice (yaml writes an alias)');
    this.seen.add(value);
    const proto = Object.getPrototypeOf(value);
    if (proto === arrayProto) return undefined;
    if (proto === objectProto || proto === null) return Object.keys(value);
    throw new EmitFallback(`a ${(value as any).constructor?.name ?? 'prototype-less'} object`);
  }

  /** A block mapping whose first line continues the current one, at ctx indent `depth`. */
  private map(obj: Record<string, unknown>, keys: string[], depth: number): void {
    if (keys.length === 0) {
      this.out.push('{}');
      return;
    }
    const inner = indentAt(depth + 1);
    const brk = BREAKS[depth];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const k = stringScalar(key, inner, true);
      if (k.length > MAX_IMPLICIT_KEY) throw new EmitFallback('a key longer than 1024 characters (yaml writes an explicit key)');
      if (i > 0) this.out.push(brk);
      this.out.push(k);
      const v = obj[key];
      if (v !== null && typeof v === 'object') {
        const vkeys = this.enter(v);
        // empty collections stay on the key's line (`{}` / `[]`), others start on the next one
        if (vkeys === undefined) {
          if ((v as unknown[]).length === 0) {
            this.out.push(': []');
          } else {
            this.out.push(':' + BREAKS[depth + 1]);
            this.seq(v as unknown[], depth + 1);
          }
        } else if (vkeys.length === 0) {
          this.out.push(': {}');
        } else {
          this.out.push(':' + BREAKS[depth + 1]);
          this.map(v as Record<string, unknown>, vkeys, depth + 1);
        }
      } else {
        this.out.push(': ' + scalar(v, inner));
      }
    }
  }

  /** A block sequence whose first line continues the current one, at ctx indent `depth`. */
  private seq(items: unknown[], depth: number): void {
    if (items.length === 0) {
      this.out.push('[]');
      return;
    }
    const inner = indentAt(depth + 1);
    const brk = BREAKS[depth];
    // a for loop over the length, like yaml's `for...of`: holes are undefined (written null)
    for (let i = 0; i < items.length; i++) {
      this.out.push(i > 0 ? brk + '- ' : '- ');
      const v = items[i];
      if (v !== null && typeof v === 'object') {
        const vkeys = this.enter(v);
        if (vkeys === undefined) this.seq(v as unknown[], depth + 1);
        else this.map(v as Record<string, unknown>, vkeys, depth + 1);
      } else {
        this.out.push(scalar(v, inner));
      }
    }
  }
}

function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string': return stringScalar(value, indent, false);
    case 'number': return numberScalar(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return 'null'; // keepUndefined: true
    default:
      if (value === null) return 'null';
      throw new EmitFallback(`a ${typeof value} value`);
  }
}
