import { getNamedType, isObjectType, Kind, type DirectiveNode, type GraphQLField, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { liveChannel } from '@commerce/pubsub';
import { refusal, RefusalCode } from '../errors/registry';

/** What the gateway needs to serve one subscription field from the live pub/sub. */
export interface LiveField {
  /** The root field's key in the response (its alias, if any). */
  responseKey: string;
  /** Channel names without the namespace, which the pub/sub adds. */
  channels: string[];
  /** The message that resolves the current state on subscribing; null when there is none to send. */
  initialEvent: object | null;
  /** When the stream ends (the field's `@liveUntil`); null when it runs until the client leaves. */
  until: LiveUntil | null;
}

/** `@liveUntil(field:, values:)`: the stream completes after sending a value whose `field` is one of `values`. */
export interface LiveUntil {
  field: string;
  values: ReadonlySet<string>;
}

/** One `@live(channel:, key:, current:)` of a subscription field, as its subgraph declared it. */
export interface LiveSource {
  channel: string;
  /** The field's argument whose value completes the channel's name. */
  key: string;
  current: boolean;
}

/**
 * The directive (composed from the subgraphs, see the orders and catalog
 * schemas) that says which channel feeds a subscription field.
 */
const liveDirective = 'live';
/** The directive (composed from the subgraphs too) that says which values of a live field end its stream. */
const untilDirective = 'liveUntil';

/** A field's `@liveUntil`, checked against the type the field returns; null without one. */
function untilOf(field: GraphQLField<unknown, unknown>): LiveUntil | null {
  const directive = field.astNode?.directives?.find((d) => d.name.value === untilDirective);
  if (!directive) return null;
  const argument = (name: string) => directive.arguments?.find((arg) => arg.name.value === name)?.value;
  const watched = argument('field');
  const values = argument('values');
  const where = `Subscription.${field.name} @${untilDirective}`;
  const returned = getNamedType(field.type);
  if (watched?.kind !== Kind.STRING || !isObjectType(returned) || !returned.getFields()[watched.value]) {
    throw new Error(`${where}: field must name a field of ${returned.name}`);
  }
  const listed = values?.kind === Kind.LIST ? values.values : values ? [values] : [];
  if (listed.length === 0 || listed.some((value) => value.kind !== Kind.STRING)) throw new Error(`${where}: values must list the final values`);
  return { field: watched.value, values: new Set(listed.map((value) => (value.kind === Kind.STRING ? value.value : ''))) };
}

function sourceOf(field: GraphQLField<unknown, unknown>, directive: DirectiveNode): LiveSource {
  const argument = (name: string) => directive.arguments?.find((arg) => arg.name.value === name)?.value;
  const channel = argument('channel');
  const key = argument('key');
  const current = argument('current');
  const where = `Subscription.${field.name} @${liveDirective}`;
  if (channel?.kind !== Kind.STRING || channel.value === '') throw new Error(`${where}: needs a channel`);
  if (key?.kind !== Kind.STRING || !field.args.some((arg) => arg.name === key.value)) {
    throw new Error(`${where}: key must name one of the field's arguments (${field.args.map((arg) => arg.name).join(', ')})`);
  }
  return { channel: channel.value, key: key.value, current: current?.kind === Kind.BOOLEAN && current.value };
}

/** The values an argument gives for a channel's key: one per distinct item of a list, none when absent or empty. */
function keysOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return [...new Set(items.filter((item) => item !== null && item !== undefined).map(String))];
}

/**
 * Which channels feed each subscription field, read from the supergraph's
 * `@live` declarations when a supergraph is loaded: the gateway knows no
 * field by name, so a new live field is one subgraph's schema and publisher.
 */
export class LiveFields {
  private constructor(
    private readonly byField: ReadonlyMap<string, readonly LiveSource[]>,
    private readonly untilByField: ReadonlyMap<string, LiveUntil>,
  ) {}

  /** Throws, naming the field, for a declaration that could never feed it (the supergraph is then not loaded). */
  static fromSupergraph(supergraphSchema: GraphQLSchema): LiveFields {
    const byField = new Map<string, LiveSource[]>();
    const untilByField = new Map<string, LiveUntil>();
    for (const field of Object.values(supergraphSchema.getSubscriptionType()?.getFields() ?? {})) {
      const declared = field.astNode?.directives?.filter((directive) => directive.name.value === liveDirective) ?? [];
      if (declared.length > 0) byField.set(field.name, declared.map((directive) => sourceOf(field, directive)));
      const until = untilOf(field);
      if (until) untilByField.set(field.name, until);
    }
    return new LiveFields(byField, untilByField);
  }

  /** The declarations of a field, in the order its subgraph wrote them. */
  sourcesOf(fieldName: string): readonly LiveSource[] | undefined {
    return this.byField.get(fieldName);
  }

  /**
   * The channels of a validated subscription operation (which has exactly
   * one root field): the first declaration whose key argument has a value.
   */
  of(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): LiveField {
    const field = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    const definition = field ? schema.getSubscriptionType()?.getFields()[field.name.value] : undefined;
    const sources = field ? this.byField.get(field.name.value) : undefined;
    if (!field || !definition || !sources) throw refusal(RefusalCode.BadRequest, 'This subscription field is not served live');
    const args = getArgumentValues(definition, field, variables);
    for (const source of sources) {
      const keys = keysOf(args[source.key]);
      if (keys.length === 0) continue;
      return {
        responseKey: field.alias?.value ?? field.name.value,
        channels: keys.map((key) => liveChannel(source.channel, key)),
        initialEvent: source.current ? { [source.key]: args[source.key] } : null,
        until: this.untilByField.get(field.name.value) ?? null,
      };
    }
    throw refusal(RefusalCode.BadUserInput, `${field.name.value} needs ${sources.map((source) => source.key).join(' or ')}`);
  }
}
