import { withoutSealedValues } from './sealed-values';

describe('reading stored data without the keys', () => {
  const sealed = { $enc: 'v1', kid: 'k-1', iv: 'aXY=', ct: 'Y3Q=' };

  it('reads every encrypted value as unknown (null), wherever it sits, and leaves the rest', () => {
    const data = { complaintId: 'c-1', customer: { id: 'cust-1', name: sealed }, personal: sealed, tags: ['a', sealed] };
    expect(withoutSealedValues(data)).toEqual({ complaintId: 'c-1', customer: { id: 'cust-1', name: null }, personal: null, tags: ['a', null] });
  });

  it('gives back the same data when nothing in it is encrypted (events written before encryption)', () => {
    const data = { complaintId: 'c-1', customer: { id: 'cust-1', name: '王先生' }, personal: { phone: '13800138000' } };
    expect(withoutSealedValues(data)).toBe(data);
  });
});
