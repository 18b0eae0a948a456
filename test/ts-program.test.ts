// The kept API facts (test/ts-program.ts) are read back only while every file the program read is
// unchanged: an edit or a removal of any of them means a fresh program.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiFacts, Entry, hash, readCached } from './ts-program';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-api-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const facts: ApiFacts = { rootExports: ['MeshService'], propsInterfaces: [], props: [], constructs: ['MeshService'], enums: [], internals: [], interfaces: [] };

function keep(files: string[]): string {
  const entry: Entry = { files: Object.fromEntries(files.map((f) => [f, hash(fs.readFileSync(f))])), facts };
  const file = path.join(tmp, 'entry.json');
  fs.writeFileSync(file, JSON.stringify(entry));
  return file;
}

test('read back while the files are unchanged', () => {
  const a = path.join(tmp, 'a.ts');
  fs.writeFileSync(a, 'export class MeshService {}\n');
  expect(readCached(keep([a]))).toEqual(facts);
});

test('fails (a fresh program) when a file the program read changed, is gone, or the entry is missing or broken', () => {
  const a = path.join(tmp, 'b.ts');
  const b = path.join(tmp, 'c.ts');
  fs.writeFileSync(a, 'export class MeshService {}\n');
  fs.writeFileSync(b, 'export enum E { A }\n');
  const entry = keep([a, b]);
  fs.writeFileSync(b, 'export enum E { A, B }\n');
  expect(readCached(entry)).toBeUndefined();
  const again = keep([a, b]);
  fs.rmSync(a);
  expect(readCached(again)).toBeUndefined();
  expect(readCached(path.join(tmp, 'none.json'))).toBeUndefined();
  fs.writeFileSync(path.join(tmp, 'broken.json'), '{');
  expect(readCached(path.join(tmp, 'broken.json'))).toBeUndefined();
});
