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
    "subscription InventoryChanged($productIds: [ID!]!) {\n  inventoryChanged(productIds: $productIds) {\n    product {\n      id\n      name\n    }\n    previousStock\n    stock\n    reason\n    at\n  }\n}": typeof types.InventoryChangedDocument,
    "query MyOrders {\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n  }\n}": typeof types.MyOrdersDocument,
    "query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    status\n    totalCents\n    deliveryAddress\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        id\n        name\n      }\n    }\n    history {\n      status\n      at\n      reason\n    }\n    payment {\n      status\n    }\n    shipment {\n      status\n      eta\n      courier {\n        name\n      }\n    }\n  }\n}": typeof types.OrderDetailDocument,
    "subscription OrderUpdated($orderId: ID!) {\n  orderUpdated(orderId: $orderId) {\n    id\n    status\n    payment {\n      status\n    }\n    shipment {\n      status\n      courier {\n        name\n      }\n      eta\n    }\n    customer {\n      name\n    }\n    items {\n      product {\n        name\n      }\n      quantity\n    }\n  }\n}": typeof types.OrderUpdatedDocument,
    "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n  }\n}": typeof types.PlaceOrderDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    user {\n      id\n      name\n      role\n    }\n  }\n}": typeof types.SignInDocument,
};
const documents: Documents = {
    "subscription InventoryChanged($productIds: [ID!]!) {\n  inventoryChanged(productIds: $productIds) {\n    product {\n      id\n      name\n    }\n    previousStock\n    stock\n    reason\n    at\n  }\n}": types.InventoryChangedDocument,
    "query MyOrders {\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n  }\n}": types.MyOrdersDocument,
    "query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    status\n    totalCents\n    deliveryAddress\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        id\n        name\n      }\n    }\n    history {\n      status\n      at\n      reason\n    }\n    payment {\n      status\n    }\n    shipment {\n      status\n      eta\n      courier {\n        name\n      }\n    }\n  }\n}": types.OrderDetailDocument,
    "subscription OrderUpdated($orderId: ID!) {\n  orderUpdated(orderId: $orderId) {\n    id\n    status\n    payment {\n      status\n    }\n    shipment {\n      status\n      courier {\n        name\n      }\n      eta\n    }\n    customer {\n      name\n    }\n    items {\n      product {\n        name\n      }\n      quantity\n    }\n  }\n}": types.OrderUpdatedDocument,
    "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n  }\n}": types.PlaceOrderDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    user {\n      id\n      name\n      role\n    }\n  }\n}": types.SignInDocument,
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
export function graphql(source: "subscription InventoryChanged($productIds: [ID!]!) {\n  inventoryChanged(productIds: $productIds) {\n    product {\n      id\n      name\n    }\n    previousStock\n    stock\n    reason\n    at\n  }\n}"): (typeof documents)["subscription InventoryChanged($productIds: [ID!]!) {\n  inventoryChanged(productIds: $productIds) {\n    product {\n      id\n      name\n    }\n    previousStock\n    stock\n    reason\n    at\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyOrders {\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query MyOrders {\n  myOrders {\n    id\n    status\n    totalCents\n    createdAt\n    shop {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    status\n    totalCents\n    deliveryAddress\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        id\n        name\n      }\n    }\n    history {\n      status\n      at\n      reason\n    }\n    payment {\n      status\n    }\n    shipment {\n      status\n      eta\n      courier {\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query OrderDetail($id: ID!) {\n  order(id: $id) {\n    id\n    status\n    totalCents\n    deliveryAddress\n    createdAt\n    shop {\n      id\n      name\n    }\n    items {\n      quantity\n      unitPriceCents\n      product {\n        id\n        name\n      }\n    }\n    history {\n      status\n      at\n      reason\n    }\n    payment {\n      status\n    }\n    shipment {\n      status\n      eta\n      courier {\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription OrderUpdated($orderId: ID!) {\n  orderUpdated(orderId: $orderId) {\n    id\n    status\n    payment {\n      status\n    }\n    shipment {\n      status\n      courier {\n        name\n      }\n      eta\n    }\n    customer {\n      name\n    }\n    items {\n      product {\n        name\n      }\n      quantity\n    }\n  }\n}"): (typeof documents)["subscription OrderUpdated($orderId: ID!) {\n  orderUpdated(orderId: $orderId) {\n    id\n    status\n    payment {\n      status\n    }\n    shipment {\n      status\n      courier {\n        name\n      }\n      eta\n    }\n    customer {\n      name\n    }\n    items {\n      product {\n        name\n      }\n      quantity\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n  }\n}"): (typeof documents)["mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    status\n    totalCents\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    user {\n      id\n      name\n      role\n    }\n  }\n}"): (typeof documents)["mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    user {\n      id\n      name\n      role\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;