/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  join__DirectiveArguments: { input: unknown; output: unknown; }
  join__FieldSet: { input: unknown; output: unknown; }
  link__Import: { input: unknown; output: unknown; }
};

export type AddAddressInput = {
  label: Scalars['String']['input'];
  line: Scalars['String']['input'];
};

export type CreateProductInput = {
  /** An existing category (see `categories`), or none. */
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  /** Up to 2000 characters; blank means none. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 200 characters, surrounding spaces trimmed. */
  name: Scalars['String']['input'];
  /** In cents: 1 to 10,000,000. */
  priceCents: Scalars['Int']['input'];
  shopId: Scalars['ID']['input'];
  /** Units in stock: 0 to 1,000,000. */
  stock: Scalars['Int']['input'];
};

export type CreateShopInput = {
  /** Zero or more; defaults to 5. */
  lowStockThreshold?: InputMaybe<Scalars['Int']['input']>;
  /** 1 to 100 characters, surrounding spaces trimmed. */
  name: Scalars['String']['input'];
};

export type OrderItemInput = {
  productId: Scalars['ID']['input'];
  /** Positive. */
  quantity: Scalars['Int']['input'];
};

/**
 * Where an order is in its life. PENDING → CONFIRMED → PREPARING → READY_FOR_PICKUP →
 * OUT_FOR_DELIVERY → DELIVERED; CANCELLED (by customer or shop) and REJECTED (out of
 * stock or payment declined) are terminal.
 */
export type OrderStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'OUT_FOR_DELIVERY'
  | 'PENDING'
  | 'PREPARING'
  | 'READY_FOR_PICKUP'
  | 'REJECTED';

/** PENDING → AUTHORIZED → CAPTURED, or DECLINED; an authorization can be VOIDED, a capture REFUNDED. */
export type PaymentStatus =
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'DECLINED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export type PlaceOrderInput = {
  /** The payment provider's card token; tokens starting with `tok_decline` are declined. */
  cardToken: Scalars['String']['input'];
  deliveryAddress: Scalars['String']['input'];
  /** One or more items, all from the shop. */
  items: Array<OrderItemInput>;
  shopId: Scalars['ID']['input'];
};

/**
 * What an account may do. CUSTOMER orders, SHOP_OWNER runs shops, COURIER delivers,
 * ADMIN may do anything (and cannot be chosen at sign-up).
 */
export type Role =
  | 'ADMIN'
  | 'COURIER'
  | 'CUSTOMER'
  | 'SHOP_OWNER';

/** WAITING_FOR_COURIER → ASSIGNED → PICKED_UP → DELIVERED. */
export type ShipmentStatus =
  | 'ASSIGNED'
  | 'DELIVERED'
  | 'PICKED_UP'
  | 'WAITING_FOR_COURIER';

export type SignUpInput = {
  /** Unique, case-insensitive. */
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  /** At least 8 characters. */
  password: Scalars['String']['input'];
  /** Defaults to CUSTOMER; ADMIN cannot be self-assigned. */
  role?: InputMaybe<Role>;
};

export type Join__Graph =
  | 'CATALOG'
  | 'LOGISTICS'
  | 'ORDERS'
  | 'PAYMENTS'
  | 'USERS';

export type Link__Purpose =
  /** `EXECUTION` features provide metadata necessary for operation execution. */
  | 'EXECUTION'
  /** `SECURITY` features provide metadata necessary to securely resolve fields. */
  | 'SECURITY';

/**
 * Where an order is in its life. PENDING → CONFIRMED → PREPARING → READY_FOR_PICKUP →
 * OUT_FOR_DELIVERY → DELIVERED; CANCELLED (by customer or shop) and REJECTED (out of
 * stock or payment declined) are terminal.
 */
export type OrderStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'OUT_FOR_DELIVERY'
  | 'PENDING'
  | 'PREPARING'
  | 'READY_FOR_PICKUP'
  | 'REJECTED';

/** PENDING → AUTHORIZED → CAPTURED, or DECLINED; an authorization can be VOIDED, a capture REFUNDED. */
export type PaymentStatus =
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'DECLINED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

/** WAITING_FOR_COURIER → ASSIGNED → PICKED_UP → DELIVERED. */
export type ShipmentStatus =
  | 'ASSIGNED'
  | 'DELIVERED'
  | 'PICKED_UP'
  | 'WAITING_FOR_COURIER';

export type OrderOverviewQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderOverviewQuery = { order: { id: string, status: OrderStatus, totalCents: number, customer: { name: string }, shop: { name: string, owner: { name: string } }, items: Array<{ quantity: number, unitPriceCents: number, product: { name: string } }>, payment: { status: PaymentStatus, amountCents: number } | null, shipment: { status: ShipmentStatus, courier: { name: string } | null } | null } | null };


export const OrderOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrderOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"totalCents"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shop"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPriceCents"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amountCents"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrderOverviewQuery, OrderOverviewQueryVariables>;