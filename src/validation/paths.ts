// Where a problem sits inside an object, spelled as the API server spells it.

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
