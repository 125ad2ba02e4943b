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

export class PhpFormatError extends Error {
  override name = "PhpFormatError";
}

export function isPhpObject(value: PhpValue | undefined): value is PhpObject {
  return typeof value === "object" && value !== null && !(value instanceof Map);
}

export function unserializePhp(bytes: Uint8Array, maxDepth = 32): PhpValue {
  const reader = new Reader(bytes, maxDepth);
  const value = reader.value(0);
  if (reader.position !== bytes.length) reader.fail("unexpected data after the value");
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

  fail(message: string): never {
    throw new PhpFormatError(`${message} at byte ${this.position}`);
  }

  value(depth: number): PhpValue {
    if (depth > this.#maxDepth) this.fail(`values nested deeper than ${this.#maxDepth} levels`);
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
        if (n !== 0 && n !== 1) this.fail("a boolean other than 0 or 1");
        return n === 1;
      }
      case 0x69: // i:42;
        this.#expect(COLON);
        return this.#integer(SEMICOLON);
      case 0x64: {
        // d:1.5;
        this.#expect(COLON);
        const text = this.#until(SEMICOLON);
        if (!/^(-?(\d+(\.\d+)?([eE][+-]?\d+)?)|NAN|-?INF)$/.test(text)) this.fail("a malformed float");
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
        return this.fail("the data ends too early");
      default:
        return this.fail(`an unsupported value type "${String.fromCharCode(type)}"`);
    }
  }

  #entries(depth: number, name: (key: number | string) => number | string): Map<number | string, PhpValue> {
    const count = this.#integer(COLON);
    this.#expect(0x7b);
    const entries = new Map<number | string, PhpValue>();
    for (let i = 0; i < count; i++) {
      const key = this.value(depth + 1);
      if (typeof key !== "number" && typeof key !== "string") this.fail("a key that is neither an integer nor a string");
      entries.set(name(key), this.value(depth + 1));
    }
    this.#expect(0x7d);
    return entries;
  }

  #string(terminator: number): string {
    const length = this.#integer(COLON);
    this.#expect(QUOTE);
    const end = this.position + length;
    if (end > this.#bytes.length) this.fail("a string longer than the data");
    let text: string;
    try {
      text = utf8.decode(this.#bytes.subarray(this.position, end));
    } catch {
      return this.fail("a string that is not UTF-8");
    }
    this.position = end;
    this.#expect(QUOTE);
    this.#expect(terminator);
    return text;
  }

  #integer(terminator: number): number {
    const text = this.#until(terminator);
    if (!/^-?\d{1,18}$/.test(text)) this.fail("a malformed integer");
    return Number(text);
  }

  #until(terminator: number): string {
    const end = this.#bytes.indexOf(terminator, this.position);
    if (end < 0 || end - this.position > 40) this.fail("a malformed number");
    const text = String.fromCharCode(...this.#bytes.subarray(this.position, end));
    this.position = end + 1;
    return text;
  }

  #expect(byte: number): void {
    if (this.#bytes[this.position] !== byte) this.fail(`"${String.fromCharCode(byte)}" expected`);
    this.position++;
  }
}
