// Node has no global Temporal yet; Fedify runs on this polyfill but types its API with the
// standard lib's Temporal, so the polyfill is exported here under the standard type.
import { Temporal as TemporalPolyfill } from "@js-temporal/polyfill";

export const Temporal = TemporalPolyfill as unknown as typeof globalThis.Temporal;
