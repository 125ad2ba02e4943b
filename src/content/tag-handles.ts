/** Tag actors' handles: a tag folded to what Mastodon accepts in a username. Pure. */

const MAX_HANDLE_LENGTH = 30;

/**
 * Lowercase ASCII letters, digits and `_`: accents dropped, any other run of characters one `_`
 * (`numérique` → `numerique`, `réseaux-sociaux` → `reseaux_sociaux`); `tag` when nothing is left.
 */
export function foldTagHandle(tag: string): string {
  const folded = tag
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_HANDLE_LENGTH)
    .replace(/_+$/, "");
  return folded === "" ? "tag" : folded;
}

/**
 * Handles for tags that have none yet. `tags` come most used first: among tags folding to the
 * same handle, the most used gets it, the others `_2`, `_3`…; `taken` (the owner's username and
 * handles already assigned) is never given again.
 */
export function assignTagHandles(tags: readonly string[], taken: Iterable<string>): Map<string, string> {
  const used = new Set(taken);
  const assigned = new Map<string, string>();
  for (const tag of tags) {
    const base = foldTagHandle(tag);
    let handle = base;
    for (let n = 2; used.has(handle); n++) handle = `${base.slice(0, MAX_HANDLE_LENGTH - String(n).length - 1)}_${n}`;
    used.add(handle);
    assigned.set(tag, handle);
  }
  return assigned;
}
