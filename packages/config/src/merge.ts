/** Every field optional, recursively; arrays are replaced, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `over` wins; tables merge key by key; undefined in `over` leaves `base` alone. */
export function deepMerge(base: PlainObject, over: PlainObject): PlainObject {
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** Dotted paths of every leaf that is set (not undefined), used to say where a bad value came from. */
export function leafPaths(value: PlainObject, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (v === undefined) return [];
    return isPlainObject(v) ? leafPaths(v, path) : [path];
  });
}

/** Sets a dotted path, creating tables on the way. */
export function setPath(target: PlainObject, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  const last = parts.pop();
  if (last === undefined) return;
  let node = target;
  for (const part of parts) {
    const next = node[part];
    node = isPlainObject(next) ? next : (node[part] = {});
  }
  node[last] = value;
}
