import { describe, expect, it } from 'vitest';
import { complaintFixture } from './test-fixtures.ts';
import { maskCustomer, toView } from './view.ts';

describe('admin view', () => {
  it.each(['messenger', 'instagram', 'whatsapp', 'x', 'wechat', 'twilio'] as const)('masks the platform identity of %s customers', (source) => {
    const masked = maskCustomer({ id: '447700900123', name: 'Pat' }, source);
    expect(masked.id).not.toContain('4477009');
    expect(masked.id).toMatch(/^\*\*\*0123$/);
    expect(masked.name).toBe('Pat');
  });

  it('keeps our own back ends\' customer numbers and masks a contact that is not masked yet', () => {
    expect(maskCustomer({ id: 'c-1029', contact: 'pat@example.com' }, 'web')).toEqual({ id: 'c-1029', contact: '***om' });
    expect(maskCustomer({ contact: '***@example.com' }, 'web').contact).toBe('***@example.com');
  });

  it('drops internal clock records and evaluates clocks now', () => {
    const item = complaintFixture();
    expect((item as { clockPlans?: unknown }).clockPlans).toBeDefined();
    const view = toView(item, '2026-03-20T00:00:00.000Z');
    expect('clockPlans' in view).toBe(false);
    expect(view.clocks.find((c) => c.name === 'first_response')?.state).toBe('breached');
  });
});
