/**
 * How long Amazon Cognito access tokens live: what an app client accepts, in which units, and Cognito's defaults.
 * Sources: Amazon Cognito API reference, `TokenValidityUnitsType` ("The default AccessTokenValidity time unit is
 * hours. AccessTokenValidity duration can range from five minutes to one day.") and `CreateUserPoolClient`
 * (`AccessTokenValidity`: without a setting, access tokens are valid for one hour).
 */

/** The shortest access-token validity Cognito accepts, in minutes. */
export const MIN_ACCESS_TOKEN_MINUTES = 5;
/** The longest access-token validity Cognito accepts, in minutes: one day. */
export const MAX_ACCESS_TOKEN_MINUTES = 24 * 60;
/** Cognito's access-token validity when an app client sets none, in minutes: one hour. */
export const DEFAULT_ACCESS_TOKEN_MINUTES = 60;

/** Minutes per unit of `token_validity_units` (`TokenValidityUnits`). */
const MINUTES_PER_UNIT: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 24 * 60 };
/** The unit of `access_token_validity` when `token_validity_units` does not say. */
const DEFAULT_UNIT = 'hours';

/**
 * An app client's access-token validity in minutes, from its `access_token_validity` and the `access_token` unit
 * of its `token_validity_units` (either may be absent); `undefined` for a unit Cognito does not know.
 */
export function accessTokenMinutes(validity: number | undefined, unit: string | undefined): number | undefined {
  if (validity === undefined) return DEFAULT_ACCESS_TOKEN_MINUTES;
  const perUnit = MINUTES_PER_UNIT[unit ?? DEFAULT_UNIT];
  return perUnit === undefined ? undefined : validity * perUnit;
}

/** Whether Cognito accepts an access-token validity of `minutes`. */
export function acceptedAccessTokenMinutes(minutes: number): boolean {
  return minutes >= MIN_ACCESS_TOKEN_MINUTES && minutes <= MAX_ACCESS_TOKEN_MINUTES;
}
