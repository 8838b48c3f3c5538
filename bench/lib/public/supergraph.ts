import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphDefinitions } from './subgraphs';

/** The public benchmark's supergraph, composed from the four subgraphs' SDL with the routing URLs given. */
export function composePublicSupergraph(urls: Record<string, string>): string {
  const result = composeServices(
    Object.entries(subgraphDefinitions).map(([name, { typeDefs }]) => ({ name, url: urls[name] ?? `http://${name}.invalid/graphql`, typeDefs: parse(typeDefs) })),
  );
  if (result.errors) throw new Error(`public benchmark supergraph does not compose:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl;
}

/**
 * The benchmark's heavy nested query (its k6 scenario): users → reviews →
 * product → reviews → author → reviews → product, and top products → reviews →
 * author → reviews → product, every product with its inventory fields.
 */
export const publicQuery = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
        reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } }
      }
    }
  }
  topProducts {
    ...Product
    reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } }
  }
}`;
