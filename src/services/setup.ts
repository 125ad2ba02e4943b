// The owner's account: created once (from the environment or the setup page), never renamed,
// since every federated id is built from its username.
import { randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import { USERNAME_PATTERN } from "../config.ts";
import { POST_LANGUAGES } from "../content/language.ts";
import { getAccount, insertAccount, updateAccount, type AccountRow } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import { hashPassword, verifyPassword } from "./password.ts";

export const MIN_PASSWORD_LENGTH = 8;

export type SetUpResult =
  | { ok: true; account: AccountRow }
  | { ok: false; error: "exists" | "invalid-username" | "weak-password" | "invalid-language" };

export function newApiSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The setup page's action: creates the account unless one exists. */
export async function setUpAccount(
  db: Db,
  input: { username: string; password: string; language?: string; apiSecret?: string | null },
): Promise<SetUpResult> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username) || username.length > 64) return { ok: false, error: "invalid-username" };
  if (input.password.length < MIN_PASSWORD_LENGTH) return { ok: false, error: "weak-password" };
  const language = input.language === undefined || input.language === "" ? undefined : input.language;
  if (language !== undefined && !POST_LANGUAGES.includes(language)) return { ok: false, error: "invalid-language" };
  const created = await insertAccount(db, {
    username,
    display_name: username,
    password_hash: await hashPassword(input.password),
    // API_SECRET, when set, is the secret from the start, as with ACCOUNT and ADMIN_PASSWORD.
    api_secret: input.apiSecret ?? newApiSecret(),
    ...(language === undefined ? {} : { language }),
  });
  if (!created) return { ok: false, error: "exists" };
  return { ok: true, account: (await getAccount(db))! };
}

/**
 * With ACCOUNT and ADMIN_PASSWORD set, the account exists from the first start and the
 * environment stays the source of truth for the password and the API secret.
 */
export async function ensureConfiguredAccount(db: Db, config: Config): Promise<AccountRow | undefined> {
  const existing = await getAccount(db);
  if (config.account === null || config.adminPassword === null) {
    if (existing !== undefined && config.apiSecret !== null && config.apiSecret !== existing.api_secret) {
      await updateAccount(db, { api_secret: config.apiSecret });
      return await getAccount(db);
    }
    return existing;
  }
  if (existing === undefined) {
    await insertAccount(db, {
      username: config.account,
      display_name: config.account,
      password_hash: await hashPassword(config.adminPassword),
      api_secret: config.apiSecret ?? newApiSecret(),
    });
    return await getAccount(db);
  }
  if (existing.username !== config.account) {
    throw new Error(
      `ACCOUNT is "${config.account}" but this database belongs to @${existing.username}; ` +
        "a federated account cannot be renamed, so set ACCOUNT back",
    );
  }
  const changes: { password_hash?: string; api_secret?: string } = {};
  if (!(await verifyPassword(config.adminPassword, existing.password_hash))) {
    changes.password_hash = await hashPassword(config.adminPassword);
  }
  if (config.apiSecret !== null && config.apiSecret !== existing.api_secret) changes.api_secret = config.apiSecret;
  if (Object.keys(changes).length > 0) await updateAccount(db, changes);
  return await getAccount(db);
}
