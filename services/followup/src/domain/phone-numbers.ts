import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import * as z from 'zod';

/**
 * Phone numbers as they come in (`POST /v1/people`). A module of its own: libphonenumber's metadata is most of a
 * function's bundle, so only the functions that take numbers in import it.
 */

/**
 * A phone number in E.164 (`+79991234567`) that is valid for its country (libphonenumber's metadata: country code,
 * length and leading digits), normalised to its E.164 form.
 */
export const phoneNumberSchema = /* @__PURE__ */ z.string().transform((value, context) => {
  const parsed = value.startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
  if (!parsed?.isValid()) {
    context.addIssue({ code: 'custom', message: 'a valid phone number in E.164, e.g. +79991234567' });
    return z.NEVER;
  }
  return parsed.number;
});
