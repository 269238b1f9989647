import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { envVariables, numberSetting, parseEnv, resourceName, setting } from './runtime-config.ts';

const Env = z.object({ REDRESS_TABLE_NAME: resourceName(), REDRESS_QUEUE_URL: resourceName(), REDRESS_MODE: setting(), REDRESS_SECONDS: numberSetting(0, 60) });

describe('runtime configuration', () => {
  it('parses the variables it declares, leaves unset settings to their defaults and drops the rest', () => {
    const env = parseEnv('test', Env, { REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: '30', OTHER: 'x' });
    expect(env).toEqual({ REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: '30' });
    expect(parseEnv('test', Env, { REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: ' ' }).REDRESS_SECONDS).toBe(' ');
  });

  it('fails naming every variable that is missing or wrong, never a value', () => {
    const fail = () => parseEnv('sweeper', Env, { REDRESS_QUEUE_URL: '  ', REDRESS_SECONDS: 'soon', REDRESS_MODE: 'secret-value' });
    expect(fail).toThrow('sweeper configuration: REDRESS_TABLE_NAME is required; REDRESS_QUEUE_URL is required; REDRESS_SECONDS must be a number from 0 to 60');
    expect(() => parseEnv('x', Env, { REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: '61' })).toThrow(/REDRESS_SECONDS must be a number from 0 to 60/);
    try {
      fail();
    } catch (err) {
      expect((err as Error).message).not.toContain('soon');
    }
  });

  it('lists the variables a schema reads', () => {
    expect(envVariables(Env)).toEqual(['REDRESS_TABLE_NAME', 'REDRESS_QUEUE_URL', 'REDRESS_MODE', 'REDRESS_SECONDS']);
  });
});
