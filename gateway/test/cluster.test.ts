import { gatewayWorkers } from '../src/cluster';

describe('GATEWAY_WORKERS', () => {
  it('defaults to one process, no cluster', () => {
    expect(gatewayWorkers({})).toBe(1);
    expect(gatewayWorkers({ GATEWAY_WORKERS: '' })).toBe(1);
  });

  it('reads a worker count', () => {
    expect(gatewayWorkers({ GATEWAY_WORKERS: '2' })).toBe(2);
  });

  it.each(['0', '-1', '1.5', 'two', '65'])('refuses %s, naming the variable', (raw) => {
    expect(() => gatewayWorkers({ GATEWAY_WORKERS: raw })).toThrow(/GATEWAY_WORKERS/);
  });
});
