import type { Config } from "../config.ts";
import type { Db } from "../data/client.ts";

/** What every Fedify dispatcher and listener gets as its context data. */
export interface GloseContext {
  readonly db: Db;
  readonly config: Config;
}
