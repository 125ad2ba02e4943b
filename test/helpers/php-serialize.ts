// PHP's serialize() for test data: Shaarli's datastore.php as old and new versions write it.
import { deflateRawSync } from "node:zlib";

export type Php =
  | null
  | boolean
  | number
  | string
  | { array: [number | string, Php][] }
  | { object: string; properties: [name: string, value: Php, visibility?: "protected"][] };

export function serializePhp(value: Php): string {
  if (value === null) return "N;";
  if (typeof value === "boolean") return `b:${value ? 1 : 0};`;
  if (typeof value === "number") return `i:${value};`;
  if (typeof value === "string") return `s:${Buffer.byteLength(value)}:"${value}";`;
  if ("array" in value) {
    return `a:${value.array.length}:{${value.array.map(([key, item]) => serializePhp(key) + serializePhp(item)).join("")}}`;
  }
  const properties = value.properties.map(
    ([name, item, visibility]) => serializePhp(visibility === "protected" ? `\0*\0${name}` : name) + serializePhp(item),
  );
  return `O:${Buffer.byteLength(value.object)}:"${value.object}":${value.properties.length}:{${properties.join("")}}`;
}

export function datastoreFile(value: Php): Buffer {
  const data = deflateRawSync(Buffer.from(serializePhp(value))).toString("base64");
  return Buffer.from(`<?php /* ${data} */ ?>`);
}

export const phpDateTime = (date: string, zone: string): Php => ({
  object: "DateTime",
  properties: [
    ["date", `${date}.000000`],
    ["timezone_type", 3],
    ["timezone", zone],
  ],
});
