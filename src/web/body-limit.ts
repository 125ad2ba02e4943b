// Refuses request bodies over a limit with 413 before anything parses them, whether or not the
// client announced a Content-Length.
import type { MiddlewareHandler } from "hono";

export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return await next();
    const tooLarge = () => c.text(`Request body over ${maxBytes} bytes`, 413);
    const declared = Number(c.req.header("content-length") ?? NaN);
    if (declared > maxBytes) return tooLarge();
    const body = c.req.raw.body;
    if (body === null) return await next();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    await next();
  };
}
