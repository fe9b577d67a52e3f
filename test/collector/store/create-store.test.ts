import { describe, expect, it } from 'vitest';
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import { parseClickHouseUrl } from '../../../collector/store/clickhouse-url.js';
import { createStore } from '../../../collector/store/create-store.js';
import { ServerStore } from '../../../collector/store/server-store.js';

describe('parseClickHouseUrl', () => {
  it('takes user, password, host, port and database from the URL', () => {
    expect(parseClickHouseUrl('http://baton:s%40cret@127.0.0.1:8123/sweeps')).toEqual({
      origin: 'http://127.0.0.1:8123',
      username: 'baton',
      password: 's@cret',
      database: 'sweeps',
      redacted: 'http://baton@127.0.0.1:8123/sweeps',
    });
  });

  it('defaults to user default, database baton', () => {
    expect(parseClickHouseUrl('https://ch.example.com')).toMatchObject({
      origin: 'https://ch.example.com',
      username: 'default',
      password: '',
      database: 'baton',
    });
    expect(parseClickHouseUrl('http://default:@127.0.0.1:8123/').database).toBe('baton');
  });

  it.each([
    ['ftp://u:pw-123@host/db', /http:\/\/ or https:\/\//],
    ['http://u:pw-123@host/db/extra', /one segment/],
    ['http://u:pw-123@host/bad-name', /not a plain identifier/],
    ['http://u:pw-123@host/db?x=1', /query string/],
    ['http://u:pw-123@ho st/db', /not a URL/],
  ])('refuses %s with BATON_ERR_CONFIG_CLICKHOUSE_URL, never printing the password', (url, reason) => {
    let caught: unknown;
    try {
      parseClickHouseUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'BATON_ERR_CONFIG_CLICKHOUSE_URL', retryable: false });
    expect((caught as Error).message).toMatch(reason);
    expect((caught as Error).message).not.toContain('pw-123');
    expect((caught as Error).cause).toBeUndefined();
  });
});

describe('createStore', () => {
  it('no URL and no BATON_CLICKHOUSE_URL: embedded chDB at .baton/chdb or the given directory', () => {
    const store = createStore(undefined, { env: {} });
    expect(store).toBeInstanceOf(ChdbStore);
    expect((store as ChdbStore).path).toBe('.baton/chdb');
    expect((createStore('', { env: {}, dataDir: '/tmp/x' }) as ChdbStore).path).toBe('/tmp/x');
    expect(store.database).toBe('baton');
  });

  it('an http(s) URL: the server store, database from the path', () => {
    const store = createStore('http://u:p@127.0.0.1:8123/team_a', { env: {} });
    expect(store).toBeInstanceOf(ServerStore);
    expect(store.engine).toBe('server');
    expect(store.database).toBe('team_a');
    expect((store as ServerStore).url).toBe('http://u@127.0.0.1:8123/team_a');
  });

  it('BATON_CLICKHOUSE_URL is used when no URL is given; an explicit URL wins', () => {
    const env = { BATON_CLICKHOUSE_URL: 'http://127.0.0.1:8123/from_env' };
    expect(createStore(undefined, { env }).database).toBe('from_env');
    expect(createStore('http://127.0.0.1:8123/explicit', { env }).database).toBe('explicit');
  });

  it('a cluster without a server URL is BATON_ERR_CONFIG_CLICKHOUSE_URL (chDB has no cluster)', () => {
    expect(() => createStore(undefined, { env: {}, cluster: 'analytics' })).toThrow(
      expect.objectContaining({ code: 'BATON_ERR_CONFIG_CLICKHOUSE_URL', message: expect.stringContaining('needs a ClickHouse server URL') }),
    );
  });

  it('anything else is BATON_ERR_CONFIG_CLICKHOUSE_URL', () => {
    expect(() => createStore('clickhouse://u:pw-9@h/db', { env: {} })).toThrow(expect.objectContaining({ code: 'BATON_ERR_CONFIG_CLICKHOUSE_URL' }));
    expect(() => createStore('127.0.0.1:8123', { env: {} })).toThrow(expect.objectContaining({ code: 'BATON_ERR_CONFIG_CLICKHOUSE_URL' }));
    expect(() => createStore(undefined, { env: { BATON_CLICKHOUSE_URL: 'nonsense' } })).toThrow(
      expect.objectContaining({ code: 'BATON_ERR_CONFIG_CLICKHOUSE_URL' }),
    );
  });
});
