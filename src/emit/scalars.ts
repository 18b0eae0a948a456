// How a string or number is written, ported from the `yaml` package (2.x) that cdk8s's
// `Yaml.stringify` uses, for the options cdk8s passes (`lineWidth: 0`, `version: '1.1'`, no
// comments, block collections). Source: yaml/dist/stringify/stringifyString.js and
// stringifyNumber.js. With `lineWidth: 0` nothing is ever folded, so the folding code paths are
// absent; `test/emit*.test.ts` and the jest hook test/setup/emit-identity.ts compare every byte.
import * as path from 'path';

/** The `yaml` instance cdk8s itself loads (it bundles its own copy); already in the module cache. */
function cdk8sYaml(): typeof import('yaml') {
  const cdk8sMain = require.resolve('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('yaml', { paths: [path.dirname(cdk8sMain)] }));
}

let implicitTypes: RegExp | undefined;

/**
 * Whether a plain scalar would be read back as something other than a string under YAML 1.1
 * (null, bool, int, float, sexagesimal, timestamp, merge key): then it must be quoted. The
 * patterns are read from the live yaml-1.1 schema cdk8s stringifies with, so they cannot drift.
 */
function resolvesToNonString(value: string): boolean {
  if (!implicitTypes) {
    const Y = cdk8sYaml();
    const tags = new Y.Document(null, { version: '1.1' }).schema.tags as unknown as { default?: unknown; tag: string; test?: RegExp }[];
    const tests = tags.filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test).map((t) => t.test!);
    if (tests.some((t) => t.flags !== '')) throw new Error('emit: unexpected flags on a yaml-1.1 tag pattern');
    implicitTypes = new RegExp(tests.map((t) => `(?:${t.source})`).join('|'));
  }
  return implicitTypes.test(value);
}

// Characters yaml always writes double-quoted: C0/C1 controls (but tab and newline), DEL and
// unpaired surrogates.
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
// Strings that cannot be plain scalars (yaml's plainString): a leading indicator, `- `/`? `,
// `: `, ` #`, trailing space or colon, whitespace around a newline.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const SPACE_AROUND_NEWLINE = /[ \t]\n|\n[ \t]/;
const TRAILING_BLANK_LINE = /\n[\t ]+$/;
const DOUBLE_QUOTED_MIN_MULTILINE = 40;
const INDENT_STEP = '  ';

let blockEndNewlines: RegExp;
try {
  blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
} catch {
  blockEndNewlines = /\n+(?!\n|$)/g;
}

/**
 * A string scalar as yaml writes it.
 * @param indent the context indent yaml would use (the parent collection's indent plus one step)
 * @param implicitKey true for a mapping key
 */
export function stringScalar(value: string, indent: string, implicitKey: boolean): string {
  // Single-line results do not depend on the indent, except a key at the root that starts like a
  // document marker: cache those per role. Names, labels and keys repeat across objects.
  if (value.length > CACHEABLE_LENGTH || value.includes('\n')) return uncachedString(value, indent, implicitKey);
  const cache = implicitKey ? (indent === INDENT_STEP ? rootKeys : keys) : values;
  let s = cache.get(value);
  if (s === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    s = uncachedString(value, indent, implicitKey);
    cache.set(value, s);
  }
  return s;
}

const CACHEABLE_LENGTH = 200;
const CACHE_LIMIT = 20000;
const values = new Map<string, string>();
const keys = new Map<string, string>();
const rootKeys = new Map<string, string>();

function uncachedString(value: string, indent: string, implicitKey: boolean): string {
  // yaml resolves the exact string '<<' with its merge tag, whose stringify returns it bare.
  if (value === '<<') return value;
  if (FORCE_DOUBLE.test(value)) return doubleQuoted(value, indent, implicitKey);
  const multiline = value.includes('\n');
  if (implicitKey && multiline) return quoted(value, indent, implicitKey);
  if (NOT_PLAIN.test(value)) {
    return implicitKey || !multiline ? quoted(value, indent, implicitKey) : blockLiteral(value, indent, implicitKey);
  }
  if (multiline) return blockLiteral(value, indent, implicitKey);
  if (implicitKey && indent === INDENT_STEP && DOCUMENT_MARKER.test(value)) return quoted(value, indent, implicitKey);
  if (value === '' || resolvesToNonString(value)) return quoted(value, indent, implicitKey);
  return value;
}

/** A finite or non-finite number as yaml writes it (stringifyNumber; no format, no fraction digits). */
export function numberScalar(value: number): string {
  if (!isFinite(value)) return isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

function quoted(value: string, indent: string, implicitKey: boolean): string {
  // singleQuote: null — single quotes only when they avoid escaping a double quote
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, indent, implicitKey) : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || SPACE_AROUND_NEWLINE.test(value)) return doubleQuoted(value, indent, implicitKey);
  return "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
}

const ESCAPES: Record<string, string> = {
  '0000': '\\0', '0007': '\\a', '000b': '\\v', '001b': '\\e', '0085': '\\N', '00a0': '\\_', '2028': '\\L', '2029': '\\P',
};

function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // space before newline needs to be escaped to not be folded
      str += json.slice(start, i) + '\\ ';
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    switch (json[i + 1]) {
      case 'u': {
        str += json.slice(start, i);
        const code = json.substr(i + 2, 4);
        str += ESCAPES[code] ?? (code.substr(0, 2) === '00' ? '\\x' + code.substr(2) : json.substr(i, 6));
        i += 5;
        start = i + 1;
        break;
      }
      case 'n':
        if (implicitKey || json[i + 2] === '"' || json.length < DOUBLE_QUOTED_MIN_MULTILINE) {
          i += 1;
        } else {
          // folding will eat first newline
          str += json.slice(start, i) + '\n\n';
          while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
            str += '\n';
            i += 2;
          }
          str += indent;
          // space after newline needs to be escaped to not be folded
          if (json[i + 2] === ' ') str += '\\';
          i += 1;
          start = i + 1;
        }
        break;
      default:
        i += 1;
    }
  }
  return start ? str + json.slice(start) : json;
}

/** A multi-line string as a literal block scalar (`lineWidth: 0` never chooses folded). */
function blockLiteral(value: string, indent: string, implicitKey: boolean): string {
  if (TRAILING_BLANK_LINE.test(value)) return quoted(value, indent, implicitKey);
  // chomping from the whitespace at the end
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  const chomp = endNlPos === -1 ? '-' : value === end || endNlPos !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(blockEndNewlines, `$&${indent}`);
  }
  // indentation indicator from the whitespace at the start
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}
