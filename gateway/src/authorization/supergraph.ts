import { Kind, parse, print, visit } from 'graphql';
import { enforcedFeatures } from './rules';

const enforcedUrls = Object.values(enforcedFeatures);

/**
 * The supergraph as @apollo/gateway and the query planner are given it.
 * Composition links @authenticated and @requiresScopes `for: SECURITY`, which
 * tells a router that does not enforce a feature to refuse the supergraph,
 * and @apollo/gateway enforces neither. This gateway does (see gateway.ts),
 * so it drops that purpose from their links, and only theirs: any other
 * security feature still makes the supergraph fail to load.
 */
export function withEnforcedSecurityFeatures(supergraphSdl: string): string {
  let changed = false;
  const document = visit(parse(supergraphSdl), {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const url = node.arguments?.find((arg) => arg.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING || !enforcedUrls.some((feature) => url.value.startsWith(feature))) return undefined;
      changed = true;
      return { ...node, arguments: node.arguments?.filter((arg) => arg.name.value !== 'for') };
    },
  });
  return changed ? print(document) : supergraphSdl;
}
