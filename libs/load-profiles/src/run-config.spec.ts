import { resolveRunConfig, runTags } from './run-config';

describe('resolveRunConfig', () => {
  it('has defaults for a local smoke run', () => {
    const c = resolveRunConfig({});
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.workload.id).toBe('readings-post');
    expect(c.profile.id).toBe('normal-smoke');
    expect(c.settings.devices).toBe(50);
    expect(runTags(c)).toEqual({
      workload: 'readings-post',
      profile: 'normal-smoke',
      distribution: 'normal',
    });
  });

  it('reads overrides', () => {
    const c = resolveRunConfig({
      BASE_URL: 'http://api:8080/',
      PROFILE: 'exponential-5000vu-15m',
      WORKLOAD: 'iot-list',
      DURATION: '30s',
      VUS: '20',
      API_KEY: 'k',
      BATCH_SIZE: '10',
    });
    expect(c).toMatchObject({ baseUrl: 'http://api:8080', apiKey: 'k', seed: '1' });
    expect(c.profile).toMatchObject({ id: 'exponential-20vu-30s', vus: 20, durationS: 30 });
    expect(c.settings).toMatchObject({ devices: 20, batchSize: 10 });
  });

  it.each([
    [{ VUS: '0' }, /VUS/],
    [{ VUS: '2.5' }, /VUS/],
    [{ BASE_URL: 'ftp://x' }, /BASE_URL/],
    [{ DURATION: 'later' }, /duration/],
    [{ WORKLOAD: 'nope' }, /unknown workload/],
  ])('rejects %p', (env, message) => {
    expect(() => resolveRunConfig(env)).toThrow(message);
  });
});
