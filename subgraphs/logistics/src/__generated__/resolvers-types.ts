import { GraphQLResolveInfo } from 'graphql';
import { ShipmentRow } from '../data/rows';
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

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Takes a waiting shipment: it becomes ASSIGNED to the calling courier, with an ETA
   * 30 minutes from now. Of two couriers accepting at once exactly one wins; the other
   * gets INVALID_STATUS_TRANSITION (with `from` and `to`), as does anyone accepting a
   * shipment no longer waiting. FORBIDDEN for anyone but a courier; NOT_FOUND for an
   * unknown id. This and the other courier mutations need the `deliveries:write` scope
   * (couriers' tokens carry it): UNAUTHORIZED_FIELD_OR_TYPE without it.
   */
  acceptShipment: Shipment;
  /**
   * The assigned courier handed the parcel over: PICKED_UP → DELIVERED, and the order
   * is delivered. FORBIDDEN for anyone but the assigned courier;
   * INVALID_STATUS_TRANSITION from any other status.
   */
  deliverShipment: Shipment;
  /**
   * The assigned courier has the parcel: ASSIGNED → PICKED_UP, and the order goes out
   * for delivery. FORBIDDEN for anyone but the assigned courier;
   * INVALID_STATUS_TRANSITION from any other status.
   */
  pickUpShipment: Shipment;
  /**
   * The assigned courier's position, while the shipment is ASSIGNED or PICKED_UP.
   * BAD_USER_INPUT (with `field`) for a latitude outside -90 to 90 or a longitude
   * outside -180 to 180; FORBIDDEN for anyone but the assigned courier;
   * INVALID_STATUS_TRANSITION once the shipment is delivered or cancelled.
   */
  reportPosition: Shipment;
};


export type MutationAcceptShipmentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeliverShipmentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPickUpShipmentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReportPositionArgs = {
  lat: Scalars['Float']['input'];
  lng: Scalars['Float']['input'];
  shipmentId: Scalars['ID']['input'];
};

export type Order = {
  __typename?: 'Order';
  id: Scalars['ID']['output'];
  /** The order's shipment, once the shop has it ready for pickup. */
  shipment: Maybe<Shipment>;
};

/** A point reported by a courier. */
export type Position = {
  __typename?: 'Position';
  /** ISO-8601 time of the report. */
  at: Scalars['String']['output'];
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Shipments waiting for a courier, oldest first; for couriers. */
  availableShipments: Array<Shipment>;
  /** Shipments assigned to the signed-in courier, newest first. */
  myShipments: Array<Shipment>;
};

/** The delivery of one order. */
export type Shipment = {
  __typename?: 'Shipment';
  /** The courier carrying it, once one has accepted. */
  courier: Maybe<User>;
  /** Where to deliver it, as the customer gave it with the order. */
  deliveryAddress: Scalars['String']['output'];
  /** ISO-8601 estimated time of arrival, once known. */
  eta: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The order being delivered. */
  order: Order;
  /** The courier's last reported position. */
  position: Maybe<Position>;
  status: ShipmentStatus;
};

/**
 * WAITING_FOR_COURIER → ASSIGNED → PICKED_UP → DELIVERED; CANCELLED when the order is
 * cancelled before a courier picked it up.
 */
export type ShipmentStatus =
  | 'ASSIGNED'
  | 'CANCELLED'
  | 'DELIVERED'
  | 'PICKED_UP'
  | 'WAITING_FOR_COURIER';

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
  Order: Order;
  Shipment: Shipment;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Shipment:
    ( { __typename: 'Shipment' }
    & GraphQLRecursivePick<FederationTypes['Shipment'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Order: ResolverTypeWrapper<Omit<Order, 'shipment'> & { shipment?: Maybe<ResolversTypes['Shipment']> }>;
  Position: ResolverTypeWrapper<Position>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Shipment: ResolverTypeWrapper<ShipmentRow>;
  ShipmentStatus: ShipmentStatus;
  User: ResolverTypeWrapper<User>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  Order: Omit<Order, 'shipment'> & { shipment?: Maybe<ResolversParentTypes['Shipment']> } | FederationReferenceTypes['Order'];
  Position: Position;
  String: Scalars['String']['output'];
  Query: Record<PropertyKey, never>;
  Shipment: ShipmentRow;
  User: User;
  Boolean: Scalars['Boolean']['output'];
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  acceptShipment?: Resolver<ResolversTypes['Shipment'], ParentType, ContextType, RequireFields<MutationAcceptShipmentArgs, 'id'>>;
  deliverShipment?: Resolver<ResolversTypes['Shipment'], ParentType, ContextType, RequireFields<MutationDeliverShipmentArgs, 'id'>>;
  pickUpShipment?: Resolver<ResolversTypes['Shipment'], ParentType, ContextType, RequireFields<MutationPickUpShipmentArgs, 'id'>>;
  reportPosition?: Resolver<ResolversTypes['Shipment'], ParentType, ContextType, RequireFields<MutationReportPositionArgs, 'lat' | 'lng' | 'shipmentId'>>;
}>;

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  shipment?: Resolver<Maybe<ResolversTypes['Shipment']>, ParentType, ContextType>;
}>;

export type PositionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Position'] = ResolversParentTypes['Position']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  availableShipments?: Resolver<Array<ResolversTypes['Shipment']>, ParentType, ContextType>;
  myShipments?: Resolver<Array<ResolversTypes['Shipment']>, ParentType, ContextType>;
}>;

export type ShipmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Shipment'] = ResolversParentTypes['Shipment'], FederationReferenceType extends FederationReferenceTypes['Shipment'] = FederationReferenceTypes['Shipment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Shipment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  courier?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  deliveryAddress?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eta?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  position?: Resolver<Maybe<ResolversTypes['Position']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ShipmentStatus'], ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  Position?: PositionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Shipment?: ShipmentResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

