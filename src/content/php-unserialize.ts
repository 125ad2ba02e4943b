// A strict reader for the part of PHP's serialize() format that Shaarli's datastore uses: null,
// booleans, integers, floats, strings (counted in bytes), arrays and objects. Anything else
// (references, custom serializations) and any malformed byte is an error, never a guess.

export type PhpValue = null | boolean | number | string | PhpArray | PhpObject;

/** A PHP array: ordered keys, integers or strings. */
export type PhpArray = Map<number | string, PhpValue>;

export interface PhpObject {
  readonly className: string;
  /** Property names without PHP's `\0*\0` (protected) or `\0Class\0` (private) markers. */
  readonly properties: Map<string, PhpValue>;
}

/** What is wrong with the data. */
type PhpFault =
  | { readonly code: "trailing-data" | "bad-boolean" | "bad-float" | "ends-early" | "bad-key" | "string-too-long" | "string-not-utf8" | "bad-integer" | "bad-number" }
  | { readonly code: "too-deep"; readonly limit: number }
  | { readonly code: "unsupported-type" | "expected"; readonly char: string };

/** What is wrong with the data, and the byte where it was found. */
export type PhpFailure = PhpFault & { readonly byte: number };

export type PhpFailureTexts = { readonly [C in PhpFailure["code"]]: (failure: Extract<PhpFailure, { code: C }>) => string };

export const PHP_FAILURES_EN: PhpFailureTexts = {
  "trailing-data": () => "unexpected data after the value",
  "too-deep": ({ limit }) => `values nested deeper than ${limit} levels`,
  "bad-boolean": () => "a boolean other than 0 or 1",
  "bad-float": () => "a malformed float",
  "ends-early": () => "the data ends too early",
  "unsupported-type": ({ char }) => `an unsupported value type "${char}"`,
  "bad-key": () => "a key that is neither an integer nor a string",
  "string-too-long": () => "a string longer than the data",
  "string-not-utf8": () => "a string that is not UTF-8",
  "bad-integer": () => "a malformed integer",
  "bad-number": () => "a malformed number",
  expected: ({ char }) => `"${char}" expected`,
};

export class PhpFormatError extends Error {
  override name = "PhpFormatError";
  readonly failure: PhpFailure;

  constructor(failure: PhpFailure) {
    super(`${(PHP_FAILURES_EN[failure.code] as (failure: PhpFailure) => string)(failure)} at byte ${failure.byte}`);
    this.failure = failure;
  }
}

export function isPhpObject(value: PhpValue | undefined): value is PhpObject {
  return typeof value === "object" && value !== null && !(value instanceof Map);
}

export function unserializePhp(bytes: Uint8Array, maxDepth = 32): PhpValue {
  const reader = new Reader(bytes, maxDepth);
  const value = reader.value(0);
  if (reader.position !== bytes.length) reader.fail({ code: "trailing-data" });
  return value;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const QUOTE = 0x22;

class Reader {
  position = 0;
  readonly #bytes: Uint8Array;
  readonly #maxDepth: number;

  constructor(bytes: Uint8Array, maxDepth: number) {
    this.#bytes = bytes;
    this.#maxDepth = maxDepth;
  }

  fail(fault: PhpFault): never {
    throw new PhpFormatError({ ...fault, byte: this.position });
  }

  value(depth: number): PhpValue {
    if (depth > this.#maxDepth) this.fail({ code: "too-deep", limit: this.#maxDepth });
    const type = this.#bytes[this.position];
    this.position++;
    switch (type) {
      case 0x4e: // N;
        this.#expect(SEMICOLON);
        return null;
      case 0x62: {
        // b:0;
        this.#expect(COLON);
        const n = this.#integer(SEMICOLON);
        if (n !== 0 && n !== 1) this.fail({ code: "bad-boolean" });
        return n === 1;
      }
      case 0x69: // i:42;
        this.#expect(COLON);
        return this.#integer(SEMICOLON);
      case 0x64: {
        // d:1.5;
        this.#expect(COLON);
        const text = this.#until(SEMICOLON);
        if (!/^(-?(\d+(\.\d+)?([eE][+-]?\d+)?)|NAN|-?INF)$/.test(text)) this.fail({ code: "bad-float" });
        return Number(text.replace("INF", "Infinity"));
      }
      case 0x73: // s:5:"hello";
        this.#expect(COLON);
        return this.#string(SEMICOLON);
      case 0x61: {
        // a:2:{k;v;k;v}
        this.#expect(COLON);
        return this.#entries(depth, (key) => key);
      }
      case 0x4f: {
        // O:8:"stdClass":1:{s:4:"name";v}
        this.#expect(COLON);
        const className = this.#string(COLON);
        const entries = this.#entries(depth, (key) => {
          if (typeof key !== "string") return String(key);
          const marker = /^\0(\*|[^\0]+)\0/.exec(key);
          return marker === null ? key : key.slice(marker[0].length);
        });
        return { className, properties: entries as Map<string, PhpValue> };
      }
      case undefined:
        return this.fail({ code: "ends-early" });
      default:
        return this.fail({ code: "unsupported-type", char: String.fromCharCode(type) });
    }
  }

  #entries(depth: number, name: (key: number | string) => number | string): Map<number | string, PhpValue> {
    const count = this.#integer(COLON);
    this.#expect(0x7b);
    const entries = new Map<number | string, PhpValue>();
    for (let i = 0; i < count; i++) {
      const key = this.value(depth + 1);
      if (typeof key !== "number" && typeof key !== "string") this.fail({ code: "bad-key" });
      entries.set(name(key), this.value(depth + 1));
    }
    this.#expect(0x7d);
    return entries;
  }

  #string(terminator: number): string {
    const length = this.#integer(COLON);
    this.#expect(QUOTE);
    const end = this.position + length;
    if (end > this.#bytes.length) this.fail({ code: "string-too-long" });
    let text: string;
    try {
      text = utf8.decode(this.#bytes.subarray(this.position, end));
    } catch {
      return this.fail({ code: "string-not-utf8" });
    }
    this.position = end;
    this.#expect(QUOTE);
    this.#expect(terminator);
    return text;
  }

  #integer(terminator: number): number {
    const text = this.#until(terminator);
    if (!/^-?\d{1,18}$/.test(text)) this.fail({ code: "bad-integer" });
    return Number(text);
  }

  #until(terminator: number): string {
    const end = this.#bytes.indexOf(terminator, this.position);
    if (end < 0 || end - this.position > 40) this.fail({ code: "bad-number" });
    const text = String.fromCharCode(...this.#bytes.subarray(this.position, end));
    this.position = end + 1;
    return text;
  }

  #expect(byte: number): void {
    if (this.#bytes[this.position] !== byte) this.fail({ code: "expected", char: String.fromCharCode(byte) });
    this.position++;
  }
}
