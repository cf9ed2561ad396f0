import { describe, expect, it } from 'vitest';
import { emailOfPersonKey, personKeyOf, personKeyOfContact, personKeyOfPathSegment } from '../src/domain/person';

describe('person keys of contacts and of /v1/people/{person}', () => {
  it('prefers the user id, then the e-mail address (lower-cased), then the phone number', () => {
    expect(personKeyOfContact({ id: 'u-1', email: 'A@B.com', phone: '+79991234567' })).toBe('id:u-1');
    expect(personKeyOfContact({ email: ' Anna@Example.COM ', phone: '+79991234567' })).toBe('email:anna@example.com');
    expect(personKeyOfContact({ phone: '+79991234567' })).toBe('phone:+79991234567');
    expect(personKeyOfContact({})).toBeUndefined();
    // The same key the feedback consumer computes for the same respondent.
    expect(personKeyOfContact({ email: 'Anna@Example.com' })).toBe(
      personKeyOf({ email: 'Anna@Example.com', verified: false, emailVerified: true }),
    );
  });

  it('keys feedback by proven identities only', () => {
    expect(personKeyOf({ id: 'u-1', email: 'a@b.co', verified: true, emailVerified: false })).toBe('id:u-1');
    expect(personKeyOf({ id: 'u-1', email: 'A@b.co', verified: false, emailVerified: true })).toBe('email:a@b.co');
    expect(
      personKeyOf({ id: 'u-1', email: 'a@b.co', anonymousId: 'anon-1', verified: false, emailVerified: false }),
    ).toBeUndefined();
  });

  it('reads a path segment as an address, a phone number, a person key or a user id', () => {
    expect(personKeyOfPathSegment('Anna@Example.com')).toBe('email:anna@example.com');
    expect(personKeyOfPathSegment('+79991234567')).toBe('phone:+79991234567');
    expect(personKeyOfPathSegment('email:Anna@Example.com')).toBe('email:anna@example.com');
    expect(personKeyOfPathSegment('id:customer-7')).toBe('id:customer-7');
    expect(personKeyOfPathSegment('customer-7')).toBe('id:customer-7');
    expect(emailOfPersonKey('email:anna@example.com')).toBe('anna@example.com');
    expect(emailOfPersonKey('id:customer-7')).toBeUndefined();
  });
});
