import { GraphQLResolveInfo } from 'graphql';
import { OrderRow, OrderItemRow, StatusChangeRow, UserReference } from '../data/rows';
import { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Cancels an order: its customer may while it is PENDING, CONFIRMED or PREPARING, its
   * shop's owner until it is out for delivery, admins whenever the lifecycle allows.
   * INVALID_STATUS_TRANSITION (with `from` and `to`) when it can no longer be cancelled.
   */
  cancelOrder: Order;
  /**
   * Places a PENDING order for the signed-in customer, priced at the shop's current
   * prices. Catalog then reserves the stock and payments authorizes the card: the order
   * becomes CONFIRMED, or REJECTED with a reason. Errors: BAD_USER_INPUT (with `field`)
   * for no or more than 50 items, a quantity outside 1 to 1000, a product listed twice,
   * a delivery address outside 1 to 500 characters or a card token outside 1 to 200;
   * NOT_FOUND for an unknown shop; PRODUCT_UNAVAILABLE (with `productId`) for a product
   * the shop does not sell. Needs the `orders:write` scope (customers' tokens carry it):
   * UNAUTHORIZED_FIELD_OR_TYPE without it.
   */
  placeOrder: Order;
  /**
   * Moves an order along its life. The shop's owner moves CONFIRMED → PREPARING →
   * READY_FOR_PICKUP; admins may make any move the lifecycle has.
   * INVALID_STATUS_TRANSITION (with `from` and `to`) for a move the lifecycle lacks,
   * FORBIDDEN for a move that is not the caller's to make.
   */
  updateOrderStatus: Order;
};


export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


export type MutationUpdateOrderStatusArgs = {
  id: Scalars['ID']['input'];
  status: OrderStatus;
};

/** A customer's order from one shop. */
export type Order = {
  __typename?: 'Order';
  /** ISO-8601 time the order was placed. */
  createdAt: Scalars['String']['output'];
  customer: User;
  deliveryAddress: Scalars['String']['output'];
  /** Every status the order has had, oldest first. */
  history: Array<OrderStatusChange>;
  id: Scalars['ID']['output'];
  items: Array<OrderItem>;
  shop: Shop;
  status: OrderStatus;
  /** Sum of the items at the prices when the order was placed, in cents. */
  totalCents: Scalars['Int']['output'];
};

export type OrderItem = {
  __typename?: 'OrderItem';
  product: Product;
  quantity: Scalars['Int']['output'];
  /** The unit price when the order was placed, in cents. */
  unitPriceCents: Scalars['Int']['output'];
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

export type OrderStatusChange = {
  __typename?: 'OrderStatusChange';
  /** ISO-8601 time of the change. */
  at: Scalars['String']['output'];
  /** Why, for REJECTED and CANCELLED. */
  reason: Maybe<Scalars['String']['output']>;
  status: OrderStatus;
};

export type PlaceOrderInput = {
  /** The payment provider's card token; tokens starting with `tok_decline` are declined. */
  cardToken: Scalars['String']['input'];
  deliveryAddress: Scalars['String']['input'];
  /** One or more items, all from the shop. */
  items: Array<OrderItemInput>;
  shopId: Scalars['ID']['input'];
};

export type Product = {
  __typename?: 'Product';
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** The signed-in customer's orders, newest first. */
  myOrders: Array<Order>;
  /**
   * An order its customer, its shop's owner or an admin may read (its courier too, once
   * logistics assigns one). Null for an unknown id; FORBIDDEN for anyone else.
   */
  order: Maybe<Order>;
  /** A shop's orders, newest first; for its owner and admins. */
  shopOrders: Array<Order>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryShopOrdersArgs = {
  shopId: Scalars['ID']['input'];
};

export type Shop = {
  __typename?: 'Shop';
  id: Scalars['ID']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every order placed in the shop from now on, over graphql-ws at the gateway, at
   * least once (key them by id). Changes only: nothing is sent on subscribing. The
   * shop's owner and admins may subscribe; FORBIDDEN for anyone else, NOT_FOUND for a
   * shop orders does not know, UNAUTHORIZED_FIELD_OR_TYPE without a caller.
   */
  orderPlaced: Order;
  /**
   * The order now, then again after every change to it (status, payment, shipment),
   * over graphql-ws, SSE or multipart HTTP at the gateway. After a status change it is
   * the order as of that change (its status, and its history up to it), so every status
   * reaches the subscriber even when the next change follows at once. The stream ends
   * (completes) after it sends the order in a final status, DELIVERED, CANCELLED or
   * REJECTED; an order already in one is sent once, then the stream completes. Its customer, its shop's
   * owner, its courier and admins may subscribe; FORBIDDEN for anyone else, NOT_FOUND
   * for an unknown order, UNAUTHORIZED_FIELD_OR_TYPE without a caller.
   */
  orderUpdated: Order;
};


export type SubscriptionOrderPlacedArgs = {
  shopId: Scalars['ID']['input'];
};


export type SubscriptionOrderUpdatedArgs = {
  orderId: Scalars['ID']['input'];
};

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
  /** The user's orders, newest first; only the user themself and admins may read them. */
  orders: Array<Order>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Order: Order;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Order: ResolverTypeWrapper<OrderRow>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  OrderItem: ResolverTypeWrapper<OrderItemRow>;
  OrderItemInput: OrderItemInput;
  OrderStatus: OrderStatus;
  OrderStatusChange: ResolverTypeWrapper<StatusChangeRow>;
  PlaceOrderInput: PlaceOrderInput;
  Product: ResolverTypeWrapper<Product>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Shop: ResolverTypeWrapper<Shop>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  User: ResolverTypeWrapper<UserReference>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Order: OrderRow;
  Int: Scalars['Int']['output'];
  OrderItem: OrderItemRow;
  OrderItemInput: OrderItemInput;
  OrderStatusChange: StatusChangeRow;
  PlaceOrderInput: PlaceOrderInput;
  Product: Product;
  Query: Record<PropertyKey, never>;
  Shop: Shop;
  Subscription: Record<PropertyKey, never>;
  User: UserReference;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
}>;

export type LiveDirectiveArgs = {
  channel: Scalars['String']['input'];
  current?: Scalars['Boolean']['input'];
  key: Scalars['String']['input'];
};

export type LiveDirectiveResolver<Result, Parent, ContextType = Context, Args = LiveDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LiveUntilDirectiveArgs = {
  field: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

export type LiveUntilDirectiveResolver<Result, Parent, ContextType = Context, Args = LiveUntilDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PerViewerDirectiveArgs = { };

export type PerViewerDirectiveResolver<Result, Parent, ContextType = Context, Args = PerViewerDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  placeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
  updateOrderStatus?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationUpdateOrderStatusArgs, 'id' | 'status'>>;
}>;

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customer?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  deliveryAddress?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  history?: Resolver<Array<ResolversTypes['OrderStatusChange']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderItem']>, ParentType, ContextType>;
  shop?: Resolver<ResolversTypes['Shop'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  totalCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderItem'] = ResolversParentTypes['OrderItem']> = ResolversObject<{
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPriceCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderStatusChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderStatusChange'] = ResolversParentTypes['OrderStatusChange']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  myOrders?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  shopOrders?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryShopOrdersArgs, 'shopId'>>;
}>;

export type ShopResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Shop'] = ResolversParentTypes['Shop']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  orderPlaced?: SubscriptionResolver<ResolversTypes['Order'], "orderPlaced", ParentType, ContextType, RequireFields<SubscriptionOrderPlacedArgs, 'shopId'>>;
  orderUpdated?: SubscriptionResolver<ResolversTypes['Order'], "orderUpdated", ParentType, ContextType, RequireFields<SubscriptionOrderUpdatedArgs, 'orderId'>>;
}>;

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderItem?: OrderItemResolvers<ContextType>;
  OrderStatusChange?: OrderStatusChangeResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Shop?: ShopResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  live?: LiveDirectiveResolver<any, any, ContextType>;
  liveUntil?: LiveUntilDirectiveResolver<any, any, ContextType>;
  perViewer?: PerViewerDirectiveResolver<any, any, ContextType>;
}>;
