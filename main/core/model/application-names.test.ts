import { describe, expect, it } from 'vitest';
import { cleanTypeOrName, clusterGatewayUrl, normalizeServiceName } from './application-names.js';

describe('application names as upstream derives them', () => {
  it.each([
    ['Orders API', 'orders-api'],
    ['SAP Commerce Cloud - Commerce Webservices', 'sap-commerce-cloud-commerce-webservices'],
    ['  padded  ', 'padded'],
    ['--Leading & trailing!!', 'leading-trailing'],
    ['ÄÖÜ Umlauts', 'umlauts'],
    ['a'.repeat(60), 'a'.repeat(57)],
    // Cut after the dashes are made: a dash at position 57 stays, as in upstream's NormalizeName.
    [`${'a'.repeat(56)} b`, `${'a'.repeat(56)}-`],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeServiceName(input)).toBe(expected);
  });

  it('builds the in-cluster gateway URL from the normalized display name', () => {
    expect(clusterGatewayUrl('commerce', 'Orders API')).toBe('http://central-application-gateway.kyma-system:8080/commerce/orders-api');
  });

  it('uses the application-type label (any case) or the name, without non-word characters and _, as the event source', () => {
    expect(cleanTypeOrName('my-shop_1', undefined)).toBe('myshop1');
    expect(cleanTypeOrName('my-shop', { 'Application-Type': 'sap.commerce' })).toBe('sapcommerce');
  });
});
