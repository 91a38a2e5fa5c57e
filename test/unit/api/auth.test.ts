import { describe, expect, it } from 'vitest';
import { createApiKeyCheck } from '../../../server/api/auth.ts';

describe('createApiKeyCheck', () => {
  it('lets everything through when no key is configured', () => {
    const open = createApiKeyCheck(undefined);
    expect([open.required, open.checkHeader(undefined), open.checkKey(undefined)]).toEqual([false, true, true]);
    expect(createApiKeyCheck('').required).toBe(false);
  });

  it('takes the key as a Bearer token, the scheme in any case, with spaces around the token', () => {
    const check = createApiKeyCheck('s3cret');
    expect(check.required).toBe(true);
    for (const header of ['Bearer s3cret', 'bearer s3cret', 'BEARER   s3cret', 'Bearer s3cret  ']) expect(check.checkHeader(header), header).toBe(true);
  });

  it('refuses a missing, wrong, prefixed or differently framed key', () => {
    const check = createApiKeyCheck('s3cret');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Bearer s3cre', 'Bearer s3cret2', 'Basic s3cret', 's3cret', 'Bearer s3cret extra', 'Bearers3cret']) {
      expect(check.checkHeader(header), String(header)).toBe(false);
    }
  });

  it('checks a bare key (tRPC connectionParams) the same way', () => {
    const check = createApiKeyCheck('s3cret');
    expect([check.checkKey('s3cret'), check.checkKey('S3CRET'), check.checkKey(''), check.checkKey(undefined)]).toEqual([true, false, false, false]);
  });
});
