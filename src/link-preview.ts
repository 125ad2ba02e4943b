// TEMPORARY placeholder while the real module is being written; never committed.
export async function fetchLinkPreview(_url: string, _options: { allowPrivateAddress: boolean }): Promise<
  { ok: true; preview: { url: string; title?: string; description?: string; siteName?: string; image?: string; imageAlt?: string } } | { ok: false; error: string }
> {
  return { ok: false, error: "network" };
}
