import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { JwtSettings } from '@commerce/service-kit/src/jwt';
import type { Admission } from '../operations/admission';
import type { SubscriptionService } from './service';

/** What every subscription transport shares. */
export interface TransportOptions {
  service: SubscriptionService;
  /** Which client sends the operation and whether it may: persisted ids become documents here. */
  admission: Admission;
  jwt: JwtSettings;
  /** Masks unexpected errors as HTTP responses do. */
  formatError: (error: GraphQLError) => GraphQLFormattedError;
  production: boolean;
}
