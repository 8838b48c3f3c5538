import { GraphQLResolveInfo } from 'graphql';
import { ShopRow, ProductRow, CategoryRow } from '../data/rows';
import { InventoryChangeMessage } from '../events/live-messages';
import { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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

/** A product category shared by all shops, such as "Bakery". */
export type Category = {
  __typename?: 'Category';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
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

/** One change of a product's stock (reservation, release, restock or edit). */
export type InventoryChange = {
  __typename?: 'InventoryChange';
  /** ISO-8601 time of the change. */
  at: Scalars['String']['output'];
  /** Units available before the change. */
  previousStock: Scalars['Int']['output'];
  product: Product;
  /** What changed the stock, such as RESERVED, RELEASED or RESTOCKED. */
  reason: Scalars['String']['output'];
  /** Units available after the change. */
  stock: Scalars['Int']['output'];
};

/** A product of the shop fell to or under the shop's low-stock threshold. */
export type LowStockAlert = {
  __typename?: 'LowStockAlert';
  /** ISO-8601 time of the change. */
  at: Scalars['String']['output'];
  product: Product;
  /** Units available after the change that crossed the threshold. */
  stock: Scalars['Int']['output'];
  /** The shop's `lowStockThreshold` when the stock crossed it. */
  threshold: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Adds a product to a shop; only the shop's owner (or an ADMIN) may. NOT_FOUND for
   * an unknown shop, FORBIDDEN for anyone else, BAD_USER_INPUT for a bad field or an
   * unknown category.
   */
  createProduct: Product;
  /**
   * Opens a shop owned by the signed-in SHOP_OWNER (or ADMIN). Needs the
   * `catalog:write` scope (UNAUTHORIZED_FIELD_OR_TYPE without it), as do the other
   * shop mutations; FORBIDDEN for other roles, BAD_USER_INPUT for a bad field.
   */
  createShop: Shop;
  /**
   * Adds `quantity` (1 to 1,000,000) units to a product's stock, atomically; only the
   * shop's owner (or an ADMIN) may. NOT_FOUND for an unknown product, FORBIDDEN for
   * anyone else, BAD_USER_INPUT for a quantity out of range.
   */
  restockProduct: Product;
  /**
   * Edits a product's name, description or price; only the shop's owner (or an ADMIN)
   * may. NOT_FOUND for an unknown product, FORBIDDEN for anyone else, BAD_USER_INPUT
   * for a bad field or when no field to change is given. Nothing is written on a refusal.
   */
  updateProduct: Product;
};


export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


export type MutationCreateShopArgs = {
  input: CreateShopInput;
};


export type MutationRestockProductArgs = {
  productId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};


export type MutationUpdateProductArgs = {
  input: UpdateProductInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** The last edge's cursor; null on an empty page. */
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** A product a shop sells. */
export type Product = {
  __typename?: 'Product';
  category: Maybe<Category>;
  description: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Price of one unit, in cents. */
  priceCents: Scalars['Int']['output'];
  shop: Shop;
  /** Units available to order now (reserved units are not counted). */
  stock: Scalars['Int']['output'];
};

/** A page of products (Relay-style cursor connection). */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  edges: Array<ProductEdge>;
  pageInfo: PageInfo;
  /** Products matching the filter, over all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** Opaque; pass it as `after` to continue after this product. */
  cursor: Scalars['String']['output'];
  node: Product;
};

export type Query = {
  __typename?: 'Query';
  /** Every category, by name. */
  categories: Array<Category>;
  /** The product, or null when no product has this id. */
  product: Maybe<Product>;
  /**
   * Products newest first, optionally of one shop and whose name contains `search`
   * (case-insensitive). `first` defaults to 20 and must be 1 to 100; `after` is an
   * `endCursor` from an earlier page. BAD_USER_INPUT for a `first` out of range or a
   * cursor this API did not issue.
   */
  products: ProductConnection;
  /** The shop, or null when no shop has this id. */
  shop: Maybe<Shop>;
  /** Every shop, by name. */
  shops: Array<Shop>;
};


export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  shopId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryShopArgs = {
  id: Scalars['ID']['input'];
};

/** A shop on the platform, run by one SHOP_OWNER. */
export type Shop = {
  __typename?: 'Shop';
  id: Scalars['ID']['output'];
  /** Stock at or under this count raises a low-stock alert for the owner. */
  lowStockThreshold: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  owner: User;
  /** The shop's products, by name. */
  products: Array<Product>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every later stock change of the given products, or else of every product of the
   * shop, over graphql-ws at the gateway. BAD_USER_INPUT when neither `productIds`
   * nor `shopId` is given. Changes only: nothing is sent on subscribing.
   */
  inventoryChanged: InventoryChange;
  /**
   * Every later time one of the shop's products falls to or under the shop's
   * `lowStockThreshold` (once per crossing: a restock above it arms the next alert),
   * over graphql-ws at the gateway, at least once. The shop's owner and admins may
   * subscribe; FORBIDDEN for anyone else, NOT_FOUND for an unknown shop,
   * UNAUTHORIZED_FIELD_OR_TYPE without a caller. Changes only: nothing is sent on subscribing.
   */
  lowStock: LowStockAlert;
};


export type SubscriptionInventoryChangedArgs = {
  productIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  shopId?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionLowStockArgs = {
  shopId: Scalars['ID']['input'];
};

/**
 * Changes some of a product's fields; the fields left out keep their value, and at
 * least one must be given.
 */
export type UpdateProductInput = {
  /** Up to 2000 characters; blank or null removes the description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 200 characters, surrounding spaces trimmed; null is refused. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** In cents: 1 to 10,000,000; null is refused. Orders placed from then on use it. */
  priceCents?: InputMaybe<Scalars['Int']['input']>;
  productId: Scalars['ID']['input'];
};

/** Users are owned by the users subgraph; catalog only refers to them. */
export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
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
  Product: Product;
  Shop: Shop;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  Shop:
    ( { __typename: 'Shop' }
    & GraphQLRecursivePick<FederationTypes['Shop'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Category: ResolverTypeWrapper<CategoryRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CreateProductInput: CreateProductInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreateShopInput: CreateShopInput;
  InventoryChange: ResolverTypeWrapper<InventoryChangeMessage>;
  LowStockAlert: ResolverTypeWrapper<Omit<LowStockAlert, 'product'> & { product: ResolversTypes['Product'] }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductRow>;
  ProductConnection: ResolverTypeWrapper<Omit<ProductConnection, 'edges'> & { edges: Array<ResolversTypes['ProductEdge']> }>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Shop: ResolverTypeWrapper<ShopRow>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateProductInput: UpdateProductInput;
  User: ResolverTypeWrapper<User>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Category: CategoryRow;
  ID: Scalars['ID']['output'];
  CreateProductInput: CreateProductInput;
  Int: Scalars['Int']['output'];
  CreateShopInput: CreateShopInput;
  InventoryChange: InventoryChangeMessage;
  LowStockAlert: Omit<LowStockAlert, 'product'> & { product: ResolversParentTypes['Product'] };
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: ProductRow;
  ProductConnection: Omit<ProductConnection, 'edges'> & { edges: Array<ResolversParentTypes['ProductEdge']> };
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  Query: Record<PropertyKey, never>;
  Shop: ShopRow;
  Subscription: Record<PropertyKey, never>;
  UpdateProductInput: UpdateProductInput;
  User: User;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
}>;

export type LiveDirectiveArgs = {
  channel: Scalars['String']['input'];
  current?: Scalars['Boolean']['input'];
  key: Scalars['String']['input'];
};

export type LiveDirectiveResolver<Result, Parent, ContextType = Context, Args = LiveDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CategoryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type InventoryChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InventoryChange'] = ResolversParentTypes['InventoryChange']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  previousStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type LowStockAlertResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LowStockAlert'] = ResolversParentTypes['LowStockAlert']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationCreateProductArgs, 'input'>>;
  createShop?: Resolver<ResolversTypes['Shop'], ParentType, ContextType, RequireFields<MutationCreateShopArgs, 'input'>>;
  restockProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationRestockProductArgs, 'productId' | 'quantity'>>;
  updateProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationUpdateProductArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  priceCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shop?: Resolver<ResolversTypes['Shop'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, Partial<QueryProductsArgs>>;
  shop?: Resolver<Maybe<ResolversTypes['Shop']>, ParentType, ContextType, RequireFields<QueryShopArgs, 'id'>>;
  shops?: Resolver<Array<ResolversTypes['Shop']>, ParentType, ContextType>;
}>;

export type ShopResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Shop'] = ResolversParentTypes['Shop'], FederationReferenceType extends FederationReferenceTypes['Shop'] = FederationReferenceTypes['Shop']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Shop']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lowStockThreshold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  inventoryChanged?: SubscriptionResolver<ResolversTypes['InventoryChange'], "inventoryChanged", ParentType, ContextType, Partial<SubscriptionInventoryChangedArgs>>;
  lowStock?: SubscriptionResolver<ResolversTypes['LowStockAlert'], "lowStock", ParentType, ContextType, RequireFields<SubscriptionLowStockArgs, 'shopId'>>;
}>;

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Category?: CategoryResolvers<ContextType>;
  InventoryChange?: InventoryChangeResolvers<ContextType>;
  LowStockAlert?: LowStockAlertResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Shop?: ShopResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  live?: LiveDirectiveResolver<any, any, ContextType>;
}>;
