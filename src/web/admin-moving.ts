// The owner's moving page: imports (a file, or a live Shaarli), exports, backups, restore, and
// account moves both ways.
import { Readable, PassThrough } from "node:stream";
import { Hono, type Context } from "hono";
import { ImportFormatError } from "../content/imported-link.ts";
import { getAccount } from "../data/account.ts";
import { countMovedFollowers } from "../data/followers.ts";
import { countRows } from "../data/table-rows.ts";
import { createMoveFederation } from "../federation/moving.ts";
import { shaarliBase } from "../remote/shaarli-api.ts";
import { BackupError, restoreBackup, writeBackup } from "../services/backup.ts";
import { exportNetscape, type ExportSelection } from "../services/exporting.ts";
import { listImportJobs, queueImportJob } from "../services/import-jobs.ts";
import type { ImportOptions } from "../services/importing.ts";
import { addAlias, moveAway, removeAlias, type MovingDeps } from "../services/moving.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { movingPage } from "./views/moving.ts";

export function adminMovingRoutes(deps: WebDeps): Hono<WebEnv> {
  const { db, config } = deps;
  const routes = new Hono<WebEnv>();
  const moving: MovingDeps = {
    db,
    federation: createMoveFederation(deps.federation, { db, config }),
    profileChanged: deps.profile.profileChanged,
  };

  const show = async (c: Context<WebEnv>, status: 200 | 400 = 200, error?: string) => {
    const account = await getAccount(db);
    const notice = Object.entries(adminMessages(c.get("locale")).movingNotices).find(([key]) => c.req.query(key) !== undefined)?.[1];
    return c.html(
      movingPage({
        csrf: c.get("csrf"), locale: c.get("locale"),
        jobs: await listImportJobs(db),
        aliases: account?.also_known_as ?? [],
        movedFollowers: await countMovedFollowers(db),
        movedTo: account?.moved_to ?? null,
        actorId: await moving.federation.ownActorId().catch(() => ""),
        notice: error === undefined ? notice : undefined,
        error,
      }),
      status,
    );
  };

  routes.get("/moving", (c) => show(c));

  routes.post("/moving/import", async (c) => {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) return await show(c, 400, t(c).chooseImportFile);
    const bytes = new Uint8Array(await file.arrayBuffer());
    await queueImportJob(db, { source: "file", file: bytes, options: importOptions(form) });
    return c.redirect("/admin/moving?queued", 303);
  });

  routes.post("/moving/shaarli", async (c) => {
    const form = await c.req.parseBody();
    const secret = String(form.secret ?? "").trim();
    let url: URL;
    try {
      url = shaarliBase(String(form.url ?? ""));
    } catch (error) {
      if (error instanceof ImportFormatError) return await show(c, 400, t(c).shaarliUrlInvalid);
      throw error;
    }
    if (secret === "") return await show(c, 400, t(c).shaarliSecretNeeded);
    await queueImportJob(db, { source: "shaarli-api", options: { ...importOptions(form), url: url.href, secret } });
    return c.redirect("/admin/moving?queued", 303);
  });

  routes.get("/moving/export", (c) => {
    const asked = c.req.query("selection") ?? "all";
    if (!["all", "public", "private"].includes(asked)) return c.text(t(c).exportSelection, 400);
    const selection = asked as ExportSelection;
    const stream = Readable.toWeb(Readable.from(exportNetscape(db, config.origin, selection))) as ReadableStream;
    return c.body(stream, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="glose-bookmarks-${selection}-${today()}.html"`,
    });
  });

  routes.post("/moving/backup", async (c) => {
    const form = await c.req.parseBody();
    const keys = form.keys === "1";
    const output = new PassThrough();
    writeBackup(db, output, { keys }).catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
    return c.body(Readable.toWeb(output) as ReadableStream, 200, {
      "Content-Type": "application/gzip",
      "Content-Disposition": `attachment; filename="glose-backup-${today()}.jsonl.gz"`,
      "Cache-Control": "no-store",
    });
  });

  routes.post("/moving/restore", async (c) => {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) return await show(c, 400, t(c).chooseBackup);
    if ((await countRows(db, "posts")) > 0) return await show(c, 400, t(c).restoreNotEmpty);
    try {
      const report = await restoreBackup(db, Readable.from([new Uint8Array(await file.arrayBuffer())]));
      return c.redirect(`/admin/moving?restored=${report.rows}`, 303);
    } catch (error) {
      if (error instanceof BackupError) return await show(c, 400, t(c).backupErrors[error.code](error.detail));
      throw error;
    }
  });

  routes.post("/moving/alias", async (c) => {
    const form = await c.req.parseBody();
    const result = await addAlias(moving, String(form.handle ?? ""));
    return result.ok ? c.redirect("/admin/moving?alias", 303) : await show(c, 400, t(c).moveErrors[result.error]);
  });

  routes.post("/moving/alias/remove", async (c) => {
    const form = await c.req.parseBody();
    await removeAlias(moving, String(form.id ?? ""));
    return c.redirect("/admin/moving?unaliased", 303);
  });

  routes.post("/moving/move", async (c) => {
    const form = await c.req.parseBody();
    const result = await moveAway(moving, String(form.handle ?? ""));
    return result.ok ? c.redirect("/admin/moving?moved", 303) : await show(c, 400, t(c).moveErrors[result.error]);
  });

  return routes;
}

const t = (c: Context<WebEnv>) => adminMessages(c.get("locale"));

function importOptions(form: Record<string, unknown>): ImportOptions {
  return {
    duplicates: form.duplicates === "update" ? "update" : "skip",
    dryRun: form.dry_run === "1",
    foldersAsTags: form.folders_as_tags === "1",
    announce: form.announce === "1",
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
