import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_KEY_PATTERN, createCustomerKeyer, customerIdentity, customerKeyOf, parseCustomerKey, parseCustomerKeySecrets } from './customer-key.ts';

const V1 = { version: 1, secret: 'test-customer-key-secret-one-0001' };
const V2 = { version: 2, secret: 'test-customer-key-secret-two-0002' };
const keyer = createCustomerKeyer([V1]);

describe('customer keys', () => {
  it('are the same for one bank customer id over web, mobile and the hotline', () => {
    const keys = (['web', 'mobile', 'hotline'] as const).map((source) => keyer(source, { id: 'c-1029' }, `fb_${source}`).customerKey);

    expect(new Set(keys).size).toBe(1);
  });

  it('differ between two bank customer ids', () => {
    expect(keyer('web', { id: 'c-1029' }, 'fb_a').customerKey).not.toBe(keyer('web', { id: 'c-1030' }, 'fb_b').customerKey);
  });

  it('are the same for one platform identity on one platform, whatever the message', () => {
    expect(keyer('whatsapp', { id: '8613800000001' }, 'fb_a').customerKey).toBe(keyer('whatsapp', { id: '8613800000001' }, 'fb_b').customerKey);
  });

  it('keep platforms apart: the same id on two platforms is two customers', () => {
    expect(keyer('messenger', { id: '123456' }, 'fb_a').customerKey).not.toBe(keyer('x', { id: '123456' }, 'fb_a').customerKey);
  });

  it("treat a platform's id as a platform identity, not as the bank's customer id", () => {
    expect(keyer('wechat', { id: 'c-1029' }, 'fb_a').customerKey).not.toBe(keyer('web', { id: 'c-1029' }, 'fb_a').customerKey);
  });

  it("key the hotline caller's number alike from Twilio and from the CTI without a customer id", () => {
    const twilio = keyer('twilio', { id: '+86 138-0000-0001', contact: '+86 138-0000-0001' }, 'fb_a').customerKey;
    const cti = keyer('hotline', { contact: '+8613800000001' }, 'fb_b').customerKey;

    expect(twilio).toBe(cti);
  });

  it('give an anonymous message a key of its own', () => {
    expect(keyer('web', {}, 'fb_a').customerKey).not.toBe(keyer('web', {}, 'fb_b').customerKey);
  });

  it('carry their version and never the id', () => {
    const { customerKey } = createCustomerKeyer([V2])('web', { id: 'c-1029' }, 'fb_a');

    expect(customerKey).toMatch(/^ck2_[0-9a-f]{32}$/);
    expect(customerKey).not.toContain('1029');
  });

  it('depend on the secret', () => {
    const identity = customerIdentity('web', { id: 'c-1029' }, 'fb_a');

    expect(customerKeyOf(identity, V1).slice(4)).not.toBe(customerKeyOf(identity, { version: 1, secret: `${V1.secret}x` }).slice(4));
  });

  it('during a rotation: the first secret keys the item, the others give aliases', () => {
    const keys = createCustomerKeyer([V2, V1])('web', { id: 'c-1029' }, 'fb_a');

    expect(keys.customerKey).toBe(createCustomerKeyer([V2])('web', { id: 'c-1029' }, 'fb_x').customerKey);
    expect(keys.customerAliases).toEqual([keyer('web', { id: 'c-1029' }, 'fb_y').customerKey]);
  });
});

describe('parseCustomerKeySecrets', () => {
  it('reads versioned and bare entries, first first', () => {
    expect(parseCustomerKeySecrets(`v2:${V2.secret}, ${V1.secret}`)).toEqual([V2, V1]);
  });

  it('refuses a version listed twice', () => {
    expect(() => parseCustomerKeySecrets(`v1:${V1.secret},v1:${V2.secret}`)).toThrow(/listed twice/);
  });

  it('refuses a short secret', () => {
    expect(() => parseCustomerKeySecrets('v1:short')).toThrow(/at least 16/);
  });

  it('is empty when unset', () => {
    expect(parseCustomerKeySecrets(undefined)).toEqual([]);
  });
});

describe('parseCustomerKey', () => {
  it('accepts every key the keyer makes', () => {
    fc.assert(
      fc.property(fc.constantFrom('web', 'mobile', 'hotline', 'whatsapp', 'x', 'wechat', 'messenger', 'instagram', 'twilio' as const), fc.string(), fc.string(), (source, id, contact) => {
        const { customerKey } = keyer(source, { id, contact }, 'fb_a');
        expect(parseCustomerKey(customerKey)).toBe(customerKey);
      }),
    );
  });

  it('accepts only the key shape, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^ck[0-9]{1,4}_[0-9a-fA-F]{30,34}$/)), (text) => {
        const parsed = parseCustomerKey(text);
        expect(parsed === undefined || CUSTOMER_KEY_PATTERN.test(text)).toBe(true);
      }),
    );
  });

  it.each(['ck0_' + 'a'.repeat(32), 'ck1_' + 'A'.repeat(32), 'ck1_' + 'a'.repeat(31), 'CK1_' + 'a'.repeat(32), 'ck1_' + 'a'.repeat(32) + '\n'])('refuses %j', (text) => {
    expect(parseCustomerKey(text)).toBeUndefined();
  });
});
