import { GraphQLError } from 'graphql';
import { badInput, ErrorCode, maskUnexpectedErrors } from '../src/errors';

describe('maskUnexpectedErrors', () => {
  it('passes coded errors through without a stack trace', () => {
    const error = badInput('input.quantity', 'Quantity must be positive');
    const formatted = maskUnexpectedErrors({ message: error.message, extensions: { ...error.extensions, stacktrace: ['at x'] } });
    expect(formatted).toEqual({ message: 'Quantity must be positive', extensions: { code: 'BAD_USER_INPUT', field: 'input.quantity' } });
  });

  it('hides anything unexpected behind INTERNAL_SERVER_ERROR and reports it', () => {
    const reported: unknown[] = [];
    const driverError = new GraphQLError('relation "orders.orders" does not exist', { extensions: { code: 'SOMETHING_ELSE' } });
    const formatted = maskUnexpectedErrors({ message: driverError.message, path: ['order'] }, (e) => reported.push(e), driverError);
    expect(formatted).toEqual({ message: 'Internal server error', path: ['order'], locations: undefined, extensions: { code: ErrorCode.InternalServerError } });
    expect(reported).toEqual([driverError]);
  });
});

describe('maskUnexpectedErrors with an INTERNAL_SERVER_ERROR raised elsewhere', () => {
  it('replaces its message, which may carry addresses or SQL', () => {
    const formatted = maskUnexpectedErrors({ message: 'connect ECONNREFUSED 127.0.0.1:4004', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatted.message).toBe('Internal server error');
  });
});
