import packageJson from "../package.json" with { type: "json" };

/** Glose's version, from package.json. */
export const VERSION: string = packageJson.version;
