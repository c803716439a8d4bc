// Sign-in throttling on the shared rate limits: every attempt is counted before its password
// is checked (one atomic statement per limit), so simultaneous guesses cannot slip past.
import { admitOrThrow, type LimiterFactory } from "../../db";
import { TooManyRequests } from "../../errors";
import {
  ACCOUNT_POLICY,
  ADDRESS_BLOCKS_POLICY,
  ADDRESS_POLICY,
  DEVICE_POLICY,
  RESET_ACCOUNT_POLICY,
  RESET_ADDRESS_POLICY,
  SIGNUP_POLICY,
  accountKey,
  addressBlockSeconds,
  inMinutes,
} from "./throttle";

const tooMany = (seconds: number) =>
  new TooManyRequests(`Too many failed sign-in attempts. Try again in ${inMinutes(seconds)}.`, seconds);

export type SignInAttempt = { email: string; ip: string; device?: string | undefined };

export function signInThrottle(limiter: LimiterFactory) {
  const account = limiter(ACCOUNT_POLICY);
  const device = limiter(DEVICE_POLICY);
  const address = limiter(ADDRESS_POLICY);
  const addressBlocks = limiter(ADDRESS_BLOCKS_POLICY);
  const signUp = limiter(SIGNUP_POLICY);
  const resetAccount = limiter(RESET_ACCOUNT_POLICY);
  const resetAddress = limiter(RESET_ADDRESS_POLICY);

  /** The address limit; the attempt that crosses it blocks the address, longer each time. */
  async function admitAddress(ip: string): Promise<void> {
    const result = await address.consume(ip);
    if (result.allowed) return;
    if (result.consumed !== ADDRESS_POLICY.points + 1) throw tooManyFromAddress(result.retryAfterSeconds);
    const blocks = await addressBlocks.consume(ip);
    const seconds = addressBlockSeconds(blocks.consumed);
    await address.block(ip, seconds);
    throw tooManyFromAddress(seconds);
  }

  return {
    /**
     * Counts a sign-in attempt, or throws TooManyRequests. A browser holding the account's
     * device cookie is counted on its own (an attacker elsewhere cannot lock it out, and a
     * busy shared address does not stop it); any other attempt counts for the account and,
     * until it succeeds, for the address. Returns what to call when the password was right.
     */
    async admit(input: SignInAttempt): Promise<{ succeeded(): Promise<void> }> {
      if (input.device) {
        const result = await device.consume(input.device);
        if (!result.allowed) throw tooMany(result.retryAfterSeconds);
        return { succeeded: () => device.reset(input.device!) };
      }
      const key = accountKey(input.email);
      const result = await account.consume(key);
      if (!result.allowed) throw tooMany(result.retryAfterSeconds);
      try {
        await admitAddress(input.ip);
      } catch (error) {
        await account.refund(key); // not checked, so not a guess at this account
        throw error;
      }
      return {
        succeeded: async () => {
          await Promise.all([account.reset(key), address.refund(input.ip)]);
        },
      };
    },

    /** Sign-up attempts per address. */
    admitSignUp: (ip: string) =>
      admitOrThrow(signUp, ip, (s) => `Too many sign-ups from your network. Try again in ${inMinutes(s)}.`),

    /** For the password-reset flow: requests per account and per address. */
    async admitPasswordReset(input: { email: string; ip: string }): Promise<void> {
      const message = (s: number) => `Too many password-reset requests. Try again in ${inMinutes(s)}.`;
      await admitOrThrow(resetAddress, input.ip, message);
      await admitOrThrow(resetAccount, accountKey(input.email), message);
    },
  };
}

function tooManyFromAddress(seconds: number) {
  return new TooManyRequests(
    `Too many failed sign-in attempts from your network. Try again in ${inMinutes(seconds)}; a browser you have signed in with before is not held back.`,
    seconds,
  );
}

export type SignInThrottle = ReturnType<typeof signInThrottle>;
