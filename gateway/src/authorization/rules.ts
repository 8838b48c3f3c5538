import {
  buildASTSchema,
  isEnumType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql';
import type { Identity } from '@commerce/service-kit';

/** The Federation authorization features this gateway enforces, by the @link URL that brings each into a supergraph. */
export const enforcedFeatures = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
} as const;

/** Who is asking, as the directives see it. */
export interface Caller {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
}

export function callerOf(identity: Identity | null): Caller {
  return { authenticated: identity !== null, scopes: new Set(identity?.scopes ?? []) };
}

/** Identical callers get identical decisions, so decisions are cached under this. */
export function callerKey(caller: Caller): string {
  return caller.authenticated ? `+${[...caller.scopes].sort().join(' ')}` : '-';
}

/**
 * What one field or type asks of a caller. `scopes` holds one entry per
 * @requiresScopes application, each met when any of its inner lists is
 * wholly held (OR of ANDs, as Apollo documents it); every entry must be met.
 */
interface AccessRule {
  authenticated: boolean;
  scopes: (readonly (readonly string[])[])[];
}

function isScopeList(value: unknown): value is string[][] {
  return Array.isArray(value) && value.every((inner) => Array.isArray(inner) && inner.every((scope) => typeof scope === 'string'));
}

/** The name each feature's directive has in this supergraph (an @link may rename it with `as:`), or none when it is not linked. */
function linkedDirectiveNames(schema: GraphQLSchema): { authenticated?: string; requiresScopes?: string } {
  const names: { authenticated?: string; requiresScopes?: string } = {};
  for (const link of schema.astNode?.directives ?? []) {
    if (link.name.value !== 'link') continue;
    const argument = (name: string) => {
      const value = link.arguments?.find((arg) => arg.name.value === name)?.value;
      return value?.kind === 'StringValue' ? value.value : undefined;
    };
    const url = argument('url') ?? '';
    for (const feature of Object.keys(enforcedFeatures) as (keyof typeof enforcedFeatures)[]) {
      if (url.startsWith(enforcedFeatures[feature])) names[feature] = argument('as') ?? feature;
    }
  }
  return names;
}

/**
 * The @authenticated and @requiresScopes applications of a supergraph, by
 * type and by field, read from the composed SDL (@apollo/gateway reads none
 * of them). Only directives the supergraph links to the Federation specs
 * count, so an unrelated directive of the same name means nothing here.
 */
export class AuthorizationRules {
  private readonly types = new Map<string, AccessRule>();
  private readonly fields = new Map<string, AccessRule>();

  private constructor(schema: GraphQLSchema) {
    const names = linkedDirectiveNames(schema);
    const ruleOf = (directives: readonly ConstDirectiveNode[]): AccessRule | null => {
      const rule: AccessRule = { authenticated: false, scopes: [] };
      for (const directive of directives) {
        if (directive.name.value === names.authenticated) rule.authenticated = true;
        if (directive.name.value === names.requiresScopes) {
          const scopes = directive.arguments?.find((arg) => arg.name.value === 'scopes');
          const value = scopes ? valueFromASTUntyped(scopes.value) : null;
          // Composition checks the argument; a malformed one must still deny rather than allow.
          rule.scopes.push(isScopeList(value) ? value : []);
        }
      }
      return rule.authenticated || rule.scopes.length > 0 ? rule : null;
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!isObjectType(type) && !isInterfaceType(type) && !isScalarType(type) && !isEnumType(type)) continue;
      const typeRule = ruleOf([type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []));
      if (typeRule) this.types.set(type.name, typeRule);
      if (isScalarType(type) || isEnumType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const fieldRule = ruleOf(field.astNode?.directives ?? []);
        if (fieldRule) this.fields.set(`${type.name}.${field.name}`, fieldRule);
      }
    }
  }

  /** From a supergraph as graphql-js holds it (the subscription planner's). */
  static of(supergraphSchema: GraphQLSchema): AuthorizationRules {
    let rules = cache.get(supergraphSchema);
    if (!rules) {
      rules = new AuthorizationRules(supergraphSchema);
      cache.set(supergraphSchema, rules);
    }
    return rules;
  }

  /** From the composed supergraph SDL. */
  static fromSdl(supergraphSdl: string): AuthorizationRules {
    // The supergraph defines every directive it uses, and only the AST is read, so no validation is needed.
    return new AuthorizationRules(buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true }));
  }

  /** True when no field or type in the supergraph asks anything: nothing to check per request. */
  get empty(): boolean {
    return this.types.size === 0 && this.fields.size === 0;
  }

  /** May `caller` see values of this type (and so select fields returning it, or spread fragments on it)? */
  allowsType(typeName: string, caller: Caller): boolean {
    return meets(this.types.get(typeName), caller);
  }

  /** May `caller` select this field, by the field's own directives (its type is checked with allowsType)? */
  allowsField(typeName: string, fieldName: string, caller: Caller): boolean {
    return meets(this.fields.get(`${typeName}.${fieldName}`), caller);
  }
}

const cache = new WeakMap<GraphQLSchema, AuthorizationRules>();

function meets(rule: AccessRule | undefined, caller: Caller): boolean {
  if (!rule) return true;
  if (rule.authenticated && !caller.authenticated) return false;
  return rule.scopes.every((alternatives) => alternatives.some((required) => required.every((scope) => caller.scopes.has(scope))));
}
