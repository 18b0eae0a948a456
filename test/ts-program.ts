// What the TypeScript checker says of the package's public API, for the specs that read it
// (api-docs, package-exports): one program over the package root (src/index.ts and what it
// imports), read into plain facts. Building the program is ~2.7 s of CPU; the facts are kept in
// .validation/ts-api/ (git-ignored) with the content hash of every file the program read, this
// file's own source and the TypeScript version, and read back only while all of them are unchanged
// (a changed, added or removed import changes a file the program read: a fresh program).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { VALIDATION_DIR } from './validation-hook';

const ROOT = path.join(__dirname, '..');
export const INDEX = path.join(ROOT, 'src', 'index.ts');
const SRC = path.join(ROOT, 'src');
/** The example app: not part of the package (excluded from the build). */
const NOT_SHIPPED = ['main.ts', 'example.ts'].map((f) => path.join(SRC, f));

/** One property of a public *Props / *Options / *Properties interface. */
export interface ApiProp {
  readonly iface: string;
  readonly name: string;
  readonly optional: boolean;
  /** Its JSDoc tag names (`default`, `see`, ...). */
  readonly tags: string[];
}

/** The public API as the checker reads it. */
export interface ApiFacts {
  /** Names exported from src/index.ts. */
  readonly rootExports: string[];
  /** The exported *Props / *Options / *Properties interfaces, by name, and their properties. */
  readonly propsInterfaces: string[];
  readonly props: ApiProp[];
  /** Exported declarations of the shipped source files (src/ but main.ts and example.ts), by kind. */
  readonly constructs: string[];
  readonly enums: string[];
  /** Exported declarations tagged @internal. */
  readonly internals: string[];
  /** Interface names declared at the top level of a shipped file. */
  readonly interfaces: string[];
}

function read(program: ts.Program): ApiFacts {
  const checker = program.getTypeChecker();
  const rootSymbols = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!);
  const propsSymbols = rootSymbols
    .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
    .filter((s) => s.flags & ts.SymbolFlags.Interface && /(Props|Options|Properties)$/.test(s.name));
  const props = propsSymbols.flatMap((s) => checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(s)).map((m) => ({
    iface: s.name, name: m.name, optional: (m.flags & ts.SymbolFlags.Optional) !== 0, tags: m.getJsDocTags().map((t) => t.name),
  })));

  const isInternal = (node: ts.Node) => ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
  const hasExport = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  /** Whether `cls` extends constructs' Construct (directly or through cdk8s Chart, ApiObject, ...). */
  const isConstruct = (cls: ts.ClassDeclaration): boolean => {
    let type: ts.Type | undefined = checker.getTypeAtLocation(cls);
    while (type) {
      if (type.symbol?.name === 'Construct' && type.symbol.declarations?.some((d) => d.getSourceFile().fileName.includes('/node_modules/constructs/'))) return true;
      type = checker.getBaseTypes(type as ts.InterfaceType)[0];
    }
    return false;
  };
  const shipped = program.getSourceFiles().filter((f) => f.fileName.startsWith(SRC + path.sep) && !NOT_SHIPPED.includes(f.fileName));
  const constructs: string[] = [];
  const enums: string[] = [];
  const internals: string[] = [];
  const interfaces: string[] = [];
  for (const file of shipped) {
    for (const s of file.statements) if (ts.isInterfaceDeclaration(s)) interfaces.push(s.name.text);
    ts.forEachChild(file, (node) => {
      if (!hasExport(node)) return;
      const name = (node as ts.DeclarationStatement).name?.getText();
      if (!name) return;
      if (isInternal(node)) internals.push(name);
      else if (ts.isClassDeclaration(node) && isConstruct(node)) constructs.push(name);
      else if (ts.isEnumDeclaration(node)) enums.push(name);
    });
  }
  return { rootExports: rootSymbols.map((s) => s.name), propsInterfaces: propsSymbols.map((s) => s.name), props, constructs, enums, internals, interfaces };
}

const CACHE = path.join(VALIDATION_DIR, 'ts-api');
export const hash = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
/** What the facts depend on besides the program's files: this reader and the compiler. */
const READER = hash(`${fs.readFileSync(__filename.replace(/\.js$/, '.ts'), 'utf8')}\0${ts.version}`).slice(0, 16);

/** A kept entry: the facts, and the content hash of each file (absolute path) the program read. */
export interface Entry { readonly files: Record<string, string>; readonly facts: ApiFacts }

/** The facts kept in `file`, if every file they were read from still has the content hash recorded with them. @internal */
export function readCached(file: string): ApiFacts | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, h] of Object.entries(entry.files)) {
    let now: string;
    try {
      now = hash(fs.readFileSync(file));
    } catch {
      return undefined;
    }
    if (now !== h) return undefined;
  }
  return entry.facts;
}

let facts: ApiFacts | undefined;

/** The public API facts: from .validation/ts-api when no file the program read has changed, else from a fresh program (strict, CommonJS, ES2022, no ambient types) rooted at src/index.ts. */
export function packageApi(): ApiFacts {
  if (facts) return facts;
  const cached = readCached(path.join(CACHE, `${READER}.json`));
  if (cached) return facts = cached;
  const program = ts.createProgram([INDEX], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true, types: [] });
  facts = read(program);
  const files = Object.fromEntries(program.getSourceFiles().map((f) => [f.fileName, hash(fs.readFileSync(f.fileName))]));
  fs.mkdirSync(CACHE, { recursive: true });
  // Entries of other readers (older versions of this file) go; another worker's .tmp stays.
  for (const old of fs.readdirSync(CACHE)) if (old.endsWith('.json') && old !== `${READER}.json`) fs.rmSync(path.join(CACHE, old), { force: true });
  // Write-then-rename: the other worker sees a whole file or none.
  const tmp = path.join(CACHE, `${READER}.json.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify({ files, facts } satisfies Entry));
  fs.renameSync(tmp, path.join(CACHE, `${READER}.json`));
  return facts;
}
