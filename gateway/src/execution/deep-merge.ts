import { isRecord } from '@commerce/service-kit';

/**
 * @apollo/gateway's deepMerge (utilities/deepMerge), which merges a subgraph's answer into the
 * result: the same steps, without its generic helpers, since it runs for every value of every fetch.
 */
// Merges whatever JSON the subgraphs sent into whatever the tree holds.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function deepMerge(target: any, source: any): any {
  if (source === undefined || source === null) return target;
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) continue;
    // defineOwn: a key the target only inherits becomes its own before it is written.
    if (key in target && !Object.hasOwn(target, key)) Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    const existing = target[key];
    if (existing && isRecord(value)) {
      deepMerge(existing, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i += 1) {
        if (isRecord(existing[i]) && isRecord(value[i])) deepMerge(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}
