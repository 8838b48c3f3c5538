import type { GraphQLDataSource } from '@apollo/gateway';
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites';
// The package index exports the options type but not the enum that discriminates it.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan';
import { OpenTelemetrySpanNames, recordExceptions, tracer, type OpenTelemetryConfig } from '@apollo/gateway/dist/utilities/opentelemetry';
import { assert, ERRORS, errorCodeDef, type Operation } from '@apollo/federation-internals';
import { evaluateCondition, getResponseName, type FetchNode, type PlanNode, type QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { SpanStatusCode } from '@opentelemetry/api';
import { GraphQLError, TypeNameMetaFieldDef, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { deepMerge } from './deep-merge';
import { shapeResponse, type OperationShape } from './response-shaper';

// Read once: a named import of @apollo/federation-internals is a getter call per use.
const check: typeof assert = assert;

/**
 * Runs a query plan @apollo/gateway's planner made, as its executeQueryPlan does (same fetches,
 * merges, error paths and errors), for the plans plan-support.ts accepts: no @defer, no
 * subscriptions, no traces to capture. What differs is the cost: the operation and its shape are
 * read once per plan instead of per request, and the response is shaped over plain objects
 * (response-shaper.ts) instead of @apollo/federation-internals' model.
 */
export interface PreparedPlan {
  node: PlanNode | undefined;
  /** The operation against the API schema (what executeQueryPlan rebuilds per request). */
  operation: Operation;
  shape: OperationShape;
}

/** Subgraph answers and the trees merged from them: untyped JSON, read and written by key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonTree = any;

type ResultPath = (string | number)[];

interface Cursor {
  path: ResultPath;
  data: JsonTree;
  fullResult: Record<string, unknown>;
}

interface Execution {
  operation: Operation;
  serviceMap: Record<string, GraphQLDataSource>;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  errors: GraphQLError[];
  telemetry: OpenTelemetryConfig | undefined;
}

function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

async function executeNode(execution: Execution, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(execution, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(execution, child, cursor)));
      return;
    case 'Flatten':
      return executeNode(execution, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await executeFetch(execution, node, cursor);
      } catch (error) {
        execution.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const condition = evaluateCondition(node, execution.operation.variableDefinitions, execution.requestContext.request.variables);
      const picked = condition ? node.ifClause : node.elseClause;
      if (picked) await executeNode(execution, picked, cursor);
      return;
    }
    case 'Defer':
      // plan-support.ts never lets a plan with @defer here.
      assert(false, '@defer support is not available in the gateway');
  }
}

function executeFetch(execution: Execution, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = execution.serviceMap[fetch.serviceName];
  return tracer.startActiveSpan(OpenTelemetrySpanNames.FETCH, { attributes: { service: fetch.serviceName } }, async (span) => {
    try {
      if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
      const entities: JsonTree[] = Array.isArray(cursor.data) ? cursor.data.filter(isPresent) : [cursor.data];
      if (entities.length < 1) return;
      const variables: Record<string, unknown> = Object.create(null);
      if (fetch.variableUsages) {
        const provided = execution.requestContext.request.variables;
        for (const name of fetch.variableUsages) {
          if (provided && Object.prototype.hasOwnProperty.call(provided, name) && typeof provided[name] !== 'undefined') variables[name] = provided[name];
        }
      }
      if (!fetch.requires) {
        const received = await sendOperation(execution, service, fetch, cursor, variables);
        if (received) applyRewrites(execution.supergraphSchema, fetch.outputRewrites, received);
        for (const entity of entities) deepMerge(entity, received);
        return;
      }
      const representations: Record<string, unknown>[] = [];
      const representationToEntity: number[] = [];
      entities.forEach((entity, index) => {
        const representation = executeSelectionSet(execution.supergraphSchema, entity, fetch.requires!);
        if (representation && representation[TypeNameMetaFieldDef.name]) {
          applyRewrites(execution.supergraphSchema, fetch.inputRewrites, representation);
          representations.push(representation);
          representationToEntity.push(index);
        }
      });
      if (representations.length < 1) return;
      if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);
      const received = await sendOperation(execution, service, fetch, cursor, { ...variables, representations });
      if (!received) return;
      if (!(received._entities && Array.isArray(received._entities))) throw new Error(`Expected "data._entities" in response to be an array`);
      const receivedEntities = received._entities as JsonTree[];
      if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
      // As executeQueryPlan does, over every entity (not only those with a representation).
      for (let i = 0; i < entities.length; i += 1) {
        const receivedEntity = receivedEntities[i];
        const existingEntity = entities[representationToEntity[i]!];
        if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existingEntity.__typename;
        applyRewrites(execution.supergraphSchema, fetch.outputRewrites, receivedEntity);
        deepMerge(entities[representationToEntity[i]!], receivedEntity);
      }
    } catch (error) {
      recordExceptions(span, [error as Error], execution.telemetry);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

async function sendOperation(
  execution: Execution,
  service: GraphQLDataSource,
  fetch: FetchNode,
  cursor: Cursor,
  variables: Record<string, unknown>,
): Promise<Record<string, JsonTree> | null | undefined> {
  const { requestContext } = execution;
  const response = await service.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName, http: undefined },
    incomingRequestContext: requestContext,
    context: requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  } as Parameters<GraphQLDataSource['process']>[0]);
  if (response.errors) {
    const errorPath = lazyErrorPaths(fetch, cursor);
    execution.errors.push(...response.errors.map((error) => downstreamServiceError(error, fetch.serviceName, errorPath)));
    if (!response.extensions?.ftv1) {
      const errorPaths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      const metrics = requestContext.metrics as { nonFtv1ErrorPaths?: { subgraph: string; path: unknown }[] };
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...errorPaths);
      else metrics.nonFtv1ErrorPaths = errorPaths;
    }
  }
  return response.data;
}

function lazyErrorPaths(fetch: FetchNode, cursor: Cursor): (path: readonly (string | number)[] | undefined) => ResultPath | undefined {
  let hydratedPaths: ResultPath[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydratedPaths) {
        hydratedPaths = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydratedPaths);
      }
      return [...(hydratedPaths[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath.slice()] : undefined;
  };
}

function downstreamServiceError(
  originalError: GraphQLFormattedError,
  serviceName: string,
  errorPath: (path: readonly (string | number)[] | undefined) => ResultPath | undefined,
): GraphQLError {
  const { extensions } = originalError;
  const message = originalError.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: originalError as Error,
    path: errorPath(originalError.path),
    extensions: { ...extensions, serviceName },
  };
  const codeDef = errorCodeDef(originalError as GraphQLError);
  if (!codeDef && extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

/** executeQueryPlan's executeSelectionSet: an entity's representation from the `requires` selection. */
function executeSelectionSet(schema: GraphQLSchema, source: JsonTree, selections: readonly QueryPlanSelectionNode[]): Record<string, JsonTree> | null {
  if (source === null) return null;
  const result: Record<string, JsonTree> = Object.create(null);
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = getResponseName(selection);
      const subselections = selection.selections;
      if (!Object.prototype.hasOwnProperty.call(source, responseName) || typeof source[responseName] === 'undefined') return null;
      const value = source[responseName];
      if (Array.isArray(value)) {
        result[responseName] = value.map((element) => (subselections ? executeSelectionSet(schema, element, subselections) : element));
      } else if (subselections) {
        result[responseName] = executeSelectionSet(schema, value, subselections);
      } else {
        result[responseName] = value;
      }
    } else {
      if (!selection.typeCondition || !source) continue;
      if (isObjectOfType(schema, source, selection.typeCondition)) deepMerge(result, executeSelectionSet(schema, source, selection.selections));
    }
  }
  return result;
}

function moveIntoCursor(cursor: Cursor, pathInCursor: ResultPath): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, pathInCursor, 0);
  return data ? { path: cursor.path.concat(pathInCursor), data, fullResult: cursor.fullResult } : undefined;
}

function flattenResultsAtPath(value: JsonTree, path: ResultPath, from: number): JsonTree {
  if (from === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[from];
  if (current === '@') {
    const flattened: unknown[] = [];
    for (const element of value as unknown[]) {
      const inner = flattenResultsAtPath(element, path, from + 1);
      if (Array.isArray(inner)) for (const item of inner) flattened.push(item);
      else flattened.push(inner);
    }
    return flattened;
  }
  check(typeof current === 'string', () => `Unexpected ${typeof current} found in path`);
  check(!Array.isArray(value), () => `Unexpected array in result for path element ${current}`);
  return flattenResultsAtPath(Object.prototype.hasOwnProperty.call(value, current) ? value[current] : undefined, path, from + 1);
}

/** The errors executeQueryPlan reports when shaping the response throws. */
function shapingFailure(error: unknown, requestContext: GatewayGraphQLRequestContext): GatewayExecutionResult {
  if (error instanceof GraphQLError) return { errors: [error] };
  if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
  (requestContext.logger || console).error('Unexpected error during query plan execution: ' + String(error));
  return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
}

export function executePreparedPlan(
  plan: PreparedPlan,
  serviceMap: Record<string, GraphQLDataSource>,
  requestContext: GatewayGraphQLRequestContext,
  supergraphSchema: GraphQLSchema,
  telemetry: OpenTelemetryConfig | undefined,
): Promise<GatewayExecutionResult> {
  return tracer.startActiveSpan(OpenTelemetrySpanNames.EXECUTE, async (span) => {
    try {
      const execution: Execution = { operation: plan.operation, serviceMap, requestContext, supergraphSchema, errors: [], telemetry };
      const unfilteredData: Record<string, unknown> = Object.create(null);
      if (plan.node) await executeNode(execution, plan.node, { path: [], data: unfilteredData, fullResult: unfilteredData });
      const result = tracer.startActiveSpan(OpenTelemetrySpanNames.POST_PROCESSING, (postSpan): GatewayExecutionResult => {
        try {
          const { data, errors } = shapeResponse(plan.shape, requestContext.request.variables, unfilteredData);
          if (execution.errors.length === 0 && errors.length > 0) {
            recordExceptions(postSpan, errors, telemetry);
            postSpan.setStatus({ code: SpanStatusCode.ERROR });
            return { extensions: { valueCompletion: errors }, data };
          }
          return execution.errors.length === 0 ? { data } : { errors: execution.errors, data };
        } catch (error) {
          recordExceptions(postSpan, [error as Error], telemetry);
          postSpan.setStatus({ code: SpanStatusCode.ERROR });
          return shapingFailure(error, requestContext);
        } finally {
          postSpan.end();
        }
      });
      if (result.errors) {
        recordExceptions(span, result.errors, telemetry);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return result;
    } catch (error) {
      recordExceptions(span, [error as Error], telemetry);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
