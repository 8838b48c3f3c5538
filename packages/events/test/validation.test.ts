import { randomUUID } from 'node:crypto';
import { createEvent, InvalidEventError, parseEnvelope, topicMatches, validatePayload } from '../src';

describe('parseEnvelope', () => {
  it('accepts what createEvent makes, after a trip through JSON', () => {
    const event = createEvent('order.placed', randomUUID(), { any: 'thing' }, { traceparent: '00-abc-def-01' });

    expect(parseEnvelope(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('names every field that is missing or malformed', () => {
    const event = createEvent('order.placed', randomUUID(), {});
    const { payload: _payload, ...withoutPayload } = event;

    expect(() => parseEnvelope({ ...withoutPayload, id: 'nope', occurredAt: 'yesterday' })).toThrow(
      /Invalid event envelope: id: .*; occurredAt: .*; payload: Required/,
    );
    expect(() => parseEnvelope('{}')).toThrow(InvalidEventError);
  });
});

describe('validatePayload', () => {
  const shopId = randomUUID();

  it('returns the event when its payload meets the contract of its type', () => {
    const event = createEvent('catalog.shop.changed', shopId, { shopId, ownerId: randomUUID(), name: 'Corner shop' });

    expect(validatePayload(event)).toEqual(event);
  });

  it('rejects a payload that breaks the contract, naming the field', () => {
    const event = createEvent('catalog.shop.changed', shopId, { shopId, name: 'Corner shop' });

    expect(() => validatePayload(event)).toThrow('Invalid payload for "catalog.shop.changed": ownerId:');
  });

  it('rejects an event type that has no contract', () => {
    expect(() => validatePayload(createEvent('catalog.shop.exploded', shopId, {}))).toThrow('Unknown event type "catalog.shop.exploded"');
  });
});

describe('topicMatches', () => {
  it.each([
    ['order.placed', 'order.placed', true],
    ['order.placed', 'order.cancelled', false],
    ['order.*', 'order.placed', true],
    ['order.*', 'order', false],
    ['order.*', 'order.item.added', false],
    ['order.#', 'order', true],
    ['order.#', 'order.item.added', true],
    ['#.added', 'order.item.added', true],
    ['order.#.added', 'order.added', true],
    ['order.#.added', 'order.item.added', true],
    ['#', 'anything.at.all', true],
    ['*.*', 'order', false],
  ])('matches pattern %s against key %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
