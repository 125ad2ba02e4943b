import type { Insertable, Selectable } from "kysely";
import type { QuoteStatus, QuoteTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type QuoteRow = Selectable<QuoteTable>;

/** Stores a quote unless its post is known already (delivered twice). */
export async function insertQuote(db: Db, quote: Insertable<QuoteTable>): Promise<boolean> {
  const result = await db.insertInto("quotes").values(quote).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function getQuote(db: Db, id: string): Promise<QuoteRow | undefined> {
  return await db.selectFrom("quotes").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function getQuoteByAuthorization(db: Db, authorizationId: string): Promise<QuoteRow | undefined> {
  return await db.selectFrom("quotes").selectAll().where("authorization_id", "=", authorizationId).executeTakeFirst();
}

export async function setQuoteStatus(db: Db, id: string, status: QuoteStatus, authorizationId?: string | null): Promise<void> {
  await db
    .updateTable("quotes")
    .set({ status, decided_at: new Date(), ...(authorizationId === undefined ? {} : { authorization_id: authorizationId }) })
    .where("id", "=", id)
    .execute();
}

/** The quotes of a post that stand (accepted), oldest first. */
export async function listAcceptedQuotes(db: Db, postId: string): Promise<QuoteRow[]> {
  return await db.selectFrom("quotes").selectAll().where("post_id", "=", postId).where("status", "=", "accepted").orderBy("created_at").execute();
}

/** For the owner: waiting requests first, then the latest quotes. */
export async function listQuotesForOwner(db: Db, limit = 100): Promise<QuoteRow[]> {
  return await db
    .selectFrom("quotes")
    .selectAll()
    .where("status", "in", ["pending", "accepted"])
    .orderBy((eb) => eb.case().when("status", "=", "pending").then(0).else(1).end())
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export async function deleteQuotesOf(db: Db, actorId: string): Promise<void> {
  await db.deleteFrom("quotes").where("actor_id", "=", actorId).execute();
}
