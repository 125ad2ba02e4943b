// A browser stand-in for the admin: keeps cookies, logs in, and submits forms with the CSRF token.
export class AdminClient {
  readonly origin: string;
  readonly #cookies = new Map<string, string>();

  constructor(origin: string) {
    this.origin = origin;
  }

  get csrf(): string {
    return this.#cookies.get("glose_csrf") ?? "";
  }

  /** The Cookie header this client sends, for requests made by other means. */
  get cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set("Cookie", this.cookieHeader);
    const response = await fetch(new URL(path, this.origin), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/Max-Age=0|expires=Thu, 01 Jan 1970/i.test(cookie)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /** Submits a form as a browser would, with the CSRF token of this client's cookie. */
  async submit(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    if (this.csrf === "") await (await this.request("/admin")).body?.cancel();
    return await this.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.origin, ...headers },
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
    });
  }

  /** Submits a multipart form with files, as a browser would, with the CSRF token of this client's cookie. */
  async upload(path: string, fields: Record<string, string>, files: Record<string, File> = {}, headers: Record<string, string> = {}): Promise<Response> {
    const form = new FormData();
    form.set("_csrf", this.csrf);
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    for (const [name, file] of Object.entries(files)) form.set(name, file);
    return await this.request(path, { method: "POST", headers: { Origin: this.origin, ...headers }, body: form });
  }

  async logIn(password: string): Promise<void> {
    const response = await this.submit("/admin/login", { password });
    await response.body?.cancel();
    if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
  }

  /** Publishes a post through the editor and returns its id. */
  async publish(fields: Record<string, string>, path = "/admin/posts"): Promise<string> {
    const response = await this.submit(path, { action: "save", visibility: "public", language: "fr", ...fields });
    await response.body?.cancel();
    const location = response.headers.get("location") ?? "";
    const match = /^\/p\/([a-z0-9]+)$/.exec(location);
    if (response.status !== 303 || match === null) throw new Error(`publishing failed: ${response.status} ${location}`);
    return match[1]!;
  }
}
