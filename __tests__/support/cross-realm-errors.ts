/**
 * Jest runs each test file in its own VM context, so errors raised by Node.js core (sockets: ECONNREFUSED,
 * ECONNRESET...) are instances of the outer realm's `Error`, and `error instanceof Error` is false for them inside
 * the tests. The AWS SDK relies on that check and, when it fails, wraps the error into a new one without its `code`
 * (and does not retry it). In Lambda there is a single realm. This makes `instanceof Error` (and only `Error`
 * itself, not its subclasses) realm-independent, so tests see the SDK behave as in production.
 */
const nativeHasInstance = Function.prototype[Symbol.hasInstance];

if (!Object.prototype.hasOwnProperty.call(Error, Symbol.hasInstance)) {
  Object.defineProperty(Error, Symbol.hasInstance, {
    configurable: true,
    value(this: unknown, value: unknown): boolean {
      if (this !== Error) return nativeHasInstance.call(this, value);
      return nativeHasInstance.call(Error, value) || Object.prototype.toString.call(value) === '[object Error]';
    },
  });
}

export {};
