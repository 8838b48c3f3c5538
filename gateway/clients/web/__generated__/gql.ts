/* eslint-disable */
import * as types from './graphql';
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Account {\n  me {\n    id\n    name\n    email\n    role\n    addresses {\n      id\n      label\n      line\n    }\n  }\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.AccountDocument,
    "mutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    status\n    history {\n      status\n      at\n      reason\n    }\n  }\n}": typeof types.CancelOrderDocument,
    "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n    createdAt\n  }\n}": typeof types.PlaceOrderDocument,
    "fragment ProductCard on Product {\n  id\n  name\n  priceCents\n  stock\n  category {\n    id\n    name\n  }\n}": typeof types.ProductCardFragmentDoc,
    "query ProductDetail($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    description\n    shop {\n      id\n      name\n    }\n  }\n}": typeof types.ProductDetailDocument,
    "query ProductSearch($shopId: ID, $search: String, $first: Int = 20, $after: String) {\n  products(shopId: $shopId, search: $search, first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...ProductCard\n        shop {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ProductSearchDocument,
    "query ShopList {\n  shops {\n    id\n    name\n  }\n}": typeof types.ShopListDocument,
};
const documents: Documents = {
    "query Account {\n  me {\n    id\n    name\n    email\n    role\n    addresses {\n      id\n      label\n      line\n    }\n  }\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}": types.AccountDocument,
    "mutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    status\n    history {\n      status\n      at\n      reason\n    }\n  }\n}": types.CancelOrderDocument,
    "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n    createdAt\n  }\n}": types.PlaceOrderDocument,
    "fragment ProductCard on Product {\n  id\n  name\n  priceCents\n  stock\n  category {\n    id\n    name\n  }\n}": types.ProductCardFragmentDoc,
    "query ProductDetail($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    description\n    shop {\n      id\n      name\n    }\n  }\n}": types.ProductDetailDocument,
    "query ProductSearch($shopId: ID, $search: String, $first: Int = 20, $after: String) {\n  products(shopId: $shopId, search: $search, first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...ProductCard\n        shop {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ProductSearchDocument,
    "query ShopList {\n  shops {\n    id\n    name\n  }\n}": types.ShopListDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Account {\n  me {\n    id\n    name\n    email\n    role\n    addresses {\n      id\n      label\n      line\n    }\n  }\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query Account {\n  me {\n    id\n    name\n    email\n    role\n    addresses {\n      id\n      label\n      line\n    }\n  }\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    status\n    history {\n      status\n      at\n      reason\n    }\n  }\n}"): (typeof documents)["mutation CancelOrder($id: ID!) {\n  cancelOrder(id: $id) {\n    id\n    status\n    history {\n      status\n      at\n      reason\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n    createdAt\n  }\n}"): (typeof documents)["mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ProductCard on Product {\n  id\n  name\n  priceCents\n  stock\n  category {\n    id\n    name\n  }\n}"): (typeof documents)["fragment ProductCard on Product {\n  id\n  name\n  priceCents\n  stock\n  category {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductDetail($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    description\n    shop {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query ProductDetail($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    description\n    shop {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductSearch($shopId: ID, $search: String, $first: Int = 20, $after: String) {\n  products(shopId: $shopId, search: $search, first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...ProductCard\n        shop {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query ProductSearch($shopId: ID, $search: String, $first: Int = 20, $after: String) {\n  products(shopId: $shopId, search: $search, first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...ProductCard\n        shop {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ShopList {\n  shops {\n    id\n    name\n  }\n}"): (typeof documents)["query ShopList {\n  shops {\n    id\n    name\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;