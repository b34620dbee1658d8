import { describe, it, expect } from 'vitest';
import { AddressError, addressPattern, fillAddress, parseAddress } from '../../templates/runtime/address.js';

describe('parseAddress', () => {
  it.each([
    ['no parameters', { given: 'orders.created', want: [{ literal: 'orders.created' }] }],
    ['only a parameter', { given: '{id}', want: [{ parameter: 'id' }] }],
    [
      'parameters between literals',
      {
        given: 'tenants/{tenantId}/orders/{orderId}',
        want: [{ literal: 'tenants/' }, { parameter: 'tenantId' }, { literal: '/orders/' }, { parameter: 'orderId' }],
      },
    ],
    ['parameter sharing a segment', { given: 'users.user-{id}.events', want: [{ literal: 'users.user-' }, { parameter: 'id' }, { literal: '.events' }] }],
  ])('%s', (_name, { given, want }) => {
    expect(parseAddress(given)).toEqual(want);
  });
});

describe('fillAddress', () => {
  it.each([
    ['dotted template', { template: 'tenants.{tenantId}.orders', values: { tenantId: 'acme' }, want: 'tenants.acme.orders' }],
    ['slash template', { template: 'tenants/{tenantId}/orders/{orderId}', values: { tenantId: 'acme', orderId: '42' }, want: 'tenants/acme/orders/42' }],
    ['parameter sharing a segment', { template: 'users/user-{id}/events', values: { id: '7' }, want: 'users/user-7/events' }],
    ['no parameters', { template: 'orders.created', values: {}, want: 'orders.created' }],
    ['extra values are ignored', { template: 'orders.created', values: { unused: 'x' }, want: 'orders.created' }],
    // Dots are only forbidden when the template uses them as separators.
    ['a dot is fine in a slash template', { template: 'devices/{deviceId}/state', values: { deviceId: 'sensor.1' }, want: 'devices/sensor.1/state' }],
    ['a slash is fine in a dotted template', { template: 'devices.{deviceId}.state', values: { deviceId: 'a/b' }, want: 'devices.a/b.state' }],
  ])('fills %s', (_name, { template, values, want }) => {
    expect(fillAddress(template, values)).toBe(want);
  });

  it.each([
    ['separator of a dotted template', { template: 'tenants.{tenantId}.orders', values: { tenantId: 'a.b' }, parameter: 'tenantId', found: '.' }],
    ['separator of a slash template', { template: 'tenants/{tenantId}/orders', values: { tenantId: 'a/b' }, parameter: 'tenantId', found: '/' }],
    ['NATS single-token wildcard', { template: 'tenants.{tenantId}', values: { tenantId: '*' }, parameter: 'tenantId', found: '*' }],
    ['NATS tail wildcard', { template: 'tenants.{tenantId}', values: { tenantId: 'a>' }, parameter: 'tenantId', found: '>' }],
    ['MQTT single-level wildcard', { template: 'tenants/{tenantId}', values: { tenantId: '+' }, parameter: 'tenantId', found: '+' }],
    ['MQTT multi-level wildcard', { template: 'tenants/{tenantId}', values: { tenantId: '#' }, parameter: 'tenantId', found: '#' }],
    ['a brace', { template: 'tenants/{tenantId}', values: { tenantId: '{x}' }, parameter: 'tenantId', found: '{' }],
    ['the second parameter', { template: 'a.{first}.{second}', values: { first: 'ok', second: 'x.y' }, parameter: 'second', found: '.' }],
  ])('refuses a value containing the %s', (_name, { template, values, parameter, found }) => {
    const fill = () => fillAddress(template, values);
    expect(fill).toThrow(AddressError);
    expect(fill).toThrow(`parameter "${parameter}"`);
    expect(fill).toThrow(`may not contain "${found}"`);
  });

  it.each([
    ['missing', { template: 'tenants.{tenantId}.orders', values: {} }],
    ['undefined', { template: 'tenants.{tenantId}.orders', values: { tenantId: undefined } }],
    ['empty', { template: 'tenants.{tenantId}.orders', values: { tenantId: '' } }],
  ])('refuses a %s value', (_name, { template, values }) => {
    const fill = () => fillAddress(template, values);
    expect(fill).toThrow(AddressError);
    expect(fill).toThrow('parameter "tenantId"');
    expect(fill).toThrow('non-empty');
  });

  it('AddressError is an Error with its own name', () => {
    try {
      fillAddress('a.{b}', {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('AddressError');
    }
  });
});

describe('addressPattern.match', () => {
  it.each([
    ['dotted, one parameter', { template: 'tenants.{tenantId}.orders', address: 'tenants.acme.orders', want: { tenantId: 'acme' } }],
    ['dotted, two parameters', { template: 'tenants.{tenantId}.orders.{orderId}', address: 'tenants.acme.orders.42', want: { tenantId: 'acme', orderId: '42' } }],
    ['slash, two parameters', { template: 'tenants/{tenantId}/orders/{orderId}', address: 'tenants/acme/orders/42', want: { tenantId: 'acme', orderId: '42' } }],
    ['parameter sharing a segment', { template: 'users/user-{id}/events', address: 'users/user-17/events', want: { id: '17' } }],
    ['parameter sharing a dotted segment', { template: 'users.user-{id}.events', address: 'users.user-17.events', want: { id: '17' } }],
    ['parameter at the start', { template: '{region}/orders', address: 'eu/orders', want: { region: 'eu' } }],
    ['no parameters', { template: 'orders.created', address: 'orders.created', want: {} }],
    ['dot inside a slash-template value', { template: 'devices/{deviceId}/state', address: 'devices/sensor.1/state', want: { deviceId: 'sensor.1' } }],
  ])('extracts params: %s', (_name, { template, address, want }) => {
    expect(addressPattern(template).match(address)).toEqual(want);
  });

  it.each([
    ['different literal', { template: 'tenants.{tenantId}.orders', address: 'tenants.acme.invoices' }],
    ['extra segment inside a parameter (dotted)', { template: 'tenants.{tenantId}.orders', address: 'tenants.a.b.orders' }],
    ['extra segment inside a parameter (slash)', { template: 'tenants/{tenantId}/orders', address: 'tenants/a/b/orders' }],
    ['trailing segment', { template: 'tenants.{tenantId}.orders', address: 'tenants.acme.orders.extra' }],
    ['prefix only', { template: 'tenants.{tenantId}.orders', address: 'tenants.acme' }],
    ['empty parameter value', { template: 'tenants.{tenantId}.orders', address: 'tenants..orders' }],
    ['segment text missing', { template: 'users/user-{id}/events', address: 'users/17/events' }],
    ['no-parameter template, other address', { template: 'orders.created', address: 'orders.createdX' }],
    // The template's dot is a literal, not a regular-expression wildcard.
    ['dot is literal', { template: 'orders.created', address: 'ordersXcreated' }],
    ['wildcard in the address', { template: 'tenants.{tenantId}.orders', address: 'tenants.*.orders' }],
  ])('does not match: %s', (_name, { template, address }) => {
    expect(addressPattern(template).match(address)).toBeUndefined();
  });

  it('records the template and its parts', () => {
    const pattern = addressPattern('tenants/{tenantId}/orders');
    expect(pattern.template).toBe('tenants/{tenantId}/orders');
    expect(pattern.parts).toEqual([{ literal: 'tenants/' }, { parameter: 'tenantId' }, { literal: '/orders' }]);
  });
});

describe('addressPattern with pinned parameters', () => {
  const template = 'tenants.{tenantId}.orders.{orderId}';

  it('matches only the pinned value and still reports it', () => {
    const pattern = addressPattern(template, { tenantId: 'acme' });
    expect(pattern.match('tenants.acme.orders.42')).toEqual({ tenantId: 'acme', orderId: '42' });
    expect(pattern.match('tenants.other.orders.42')).toBeUndefined();
  });

  it('turns the pinned parameter into a literal part', () => {
    const pattern = addressPattern(template, { tenantId: 'acme' });
    expect(pattern.parts).toEqual([{ literal: 'tenants.' }, { literal: 'acme' }, { literal: '.orders.' }, { parameter: 'orderId' }]);
    expect(pattern.template).toBe(template);
  });

  it('treats undefined as not pinned', () => {
    expect(addressPattern(template, { tenantId: undefined }).match('tenants.any.orders.1')).toEqual({ tenantId: 'any', orderId: '1' });
  });

  it('escapes regular-expression characters in a pinned value', () => {
    const pattern = addressPattern('devices/{deviceId}/state', { deviceId: 'sensor.1' });
    expect(pattern.match('devices/sensor.1/state')).toEqual({ deviceId: 'sensor.1' });
    expect(pattern.match('devices/sensorX1/state')).toBeUndefined();
  });

  it.each([
    ['a separator', { pinned: { tenantId: 'a.b' } }],
    ['a wildcard', { pinned: { tenantId: '*' } }],
    ['an empty value', { pinned: { tenantId: '' } }],
  ])('refuses pinning %s', (_name, { pinned }) => {
    expect(() => addressPattern(template, pinned)).toThrow(AddressError);
    expect(() => addressPattern(template, pinned)).toThrow('parameter "tenantId"');
  });
});

describe('addressPattern.toWildcard', () => {
  it.each([
    ['NATS, one parameter', { template: 'tenants.{tenantId}.orders', pinned: {}, separator: '.', wildcard: '*', want: 'tenants.*.orders' }],
    ['NATS, two parameters', { template: 'tenants.{tenantId}.orders.{orderId}', pinned: {}, separator: '.', wildcard: '*', want: 'tenants.*.orders.*' }],
    ['MQTT, two parameters', { template: 'tenants/{tenantId}/orders/{orderId}', pinned: {}, separator: '/', wildcard: '+', want: 'tenants/+/orders/+' }],
    ['NATS, shared segment widens', { template: 'users.user-{id}.events', pinned: {}, separator: '.', wildcard: '*', want: 'users.*.events' }],
    ['MQTT, shared segment widens', { template: 'users/user-{id}/events', pinned: {}, separator: '/', wildcard: '+', want: 'users/+/events' }],
    ['MQTT, two parameters in one segment', { template: 'logs/{app}-{level}/lines', pinned: {}, separator: '/', wildcard: '+', want: 'logs/+/lines' }],
    ['parameter first', { template: '{region}/orders', pinned: {}, separator: '/', wildcard: '+', want: '+/orders' }],
    ['pinned parameter stays literal', { template: 'tenants.{tenantId}.orders.{orderId}', pinned: { tenantId: 'acme' }, separator: '.', wildcard: '*', want: 'tenants.acme.orders.*' }],
    ['all parameters pinned', { template: 'tenants/{tenantId}/orders/{orderId}', pinned: { tenantId: 'acme', orderId: '42' }, separator: '/', wildcard: '+', want: 'tenants/acme/orders/42' }],
    ['no parameters', { template: 'orders.created', pinned: {}, separator: '.', wildcard: '*', want: 'orders.created' }],
  ])('%s', (_name, { template, pinned, separator, wildcard, want }) => {
    expect(addressPattern(template, pinned).toWildcard(separator, wildcard)).toBe(want);
  });

  it('a widened segment is narrowed again by match', () => {
    const pattern = addressPattern('users/user-{id}/events');
    expect(pattern.toWildcard('/', '+')).toBe('users/+/events');
    // The broker would deliver this for `users/+/events`; match refuses it.
    expect(pattern.match('users/admin-1/events')).toBeUndefined();
    expect(pattern.match('users/user-1/events')).toEqual({ id: '1' });
  });
});
