import { inspect } from "node:util";

const HIDDEN = "***";

/**
 * A secret setting (an API key, a signing secret, a URL with a password). Whatever shows it - JSON.stringify,
 * String(), console.log, util.inspect - shows the redacted form; only `reveal()` gives the value, to the code
 * that uses it.
 */
export class Secret {
  readonly #value: string;
  readonly #shown: string;

  private constructor(value: string, shown: string) {
    this.#value = value;
    this.#shown = shown;
  }

  /** A value shown as "***". */
  static of(value: string): Secret {
    return new Secret(value, HIDDEN);
  }

  /** A URL shown with its password (if any) as "***": the host and database stay visible. */
  static url(value: string): Secret {
    return new Secret(value, redactUrl(value));
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return this.#shown;
  }

  toJSON(): string {
    return this.#shown;
  }

  [inspect.custom](): string {
    return `Secret(${this.#shown})`;
  }
}

/** The URL with its password replaced by "***"; a value that is not a URL is hidden whole. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = HIDDEN;
    return parsed.toString();
  } catch {
    return HIDDEN;
  }
}
