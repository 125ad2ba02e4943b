// Glose's entry point. Node keeps the code it compiled between starts (its compile cache, in
// NODE_COMPILE_CACHE or the system's temporary folder), so that a restart skips most of the
// parsing; the cache must be on before the rest is loaded, hence the dynamic import.
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./serve.ts");
