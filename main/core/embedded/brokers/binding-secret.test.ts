import { describe, expect, it } from 'vitest';
import { bindingSecretData } from './binding-secret.js';

const info = { instance_guid: 'g', instance_name: 'db', plan: 'dev', type: 'postgresql' };
const creds = { host: '127.0.0.1', port: 5432, password: 'p' };

describe('binding Secret formats', () => {
  it('default: one key per credential, non-strings as JSON, plus instance facts', () => {
    expect(bindingSecretData(creds, info, {})).toEqual({ host: '127.0.0.1', port: '5432', password: 'p', ...info });
  });
  it('secretKey: the credentials as one JSON string', () => {
    const d = bindingSecretData(creds, info, { secretKey: 'creds' });
    expect(JSON.parse(d.creds!)).toEqual(creds);
    expect(d.instance_name).toBe('db');
  });
  it('secretRootKey: credentials and facts as one object', () => {
    const d = bindingSecretData(creds, info, { secretRootKey: 'binding' });
    expect(Object.keys(d)).toEqual(['binding']);
    expect(JSON.parse(d.binding!)).toEqual({ ...creds, ...info });
  });
});
