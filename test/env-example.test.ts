import { readFileSync } from 'node:fs';
import path from 'node:path';
import { baseEnv, loadConfig } from '@commerce/service-kit';

/** `.env.example` lists each variable commented out, as `# NAME=default`. */
const listed = new Map(
  [...readFileSync(path.resolve(__dirname, '../.env.example'), 'utf8').matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name!, value!]),
);

describe('.env.example', () => {
  it('lists every variable every service reads', () => {
    expect(Object.keys(baseEnv).filter((name) => !listed.has(name))).toEqual([]);
  });

  it("gives each the service's own default: uncommented as it stands, it changes nothing", () => {
    const given = Object.fromEntries(Object.keys(baseEnv).flatMap((name) => (listed.get(name) ? [[name, listed.get(name)]] : [])));

    expect(loadConfig(baseEnv, given)).toEqual(loadConfig(baseEnv, {}));
  });

  it('leaves empty only variables that are unset by default', () => {
    const emptyWithDefault = Object.entries(baseEnv).filter(([name, schema]) => listed.get(name) === '' && schema.safeParse(undefined).data !== undefined);
    expect(emptyWithDefault.map(([name]) => name)).toEqual([]);
  });
});
