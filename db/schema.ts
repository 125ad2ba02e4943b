// Row types of Glose's tables, as Kysely sees them. Kept beside the migrations that create them.
import type { ColumnType, Generated, JSONColumnType, RawBuilder } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface ProfileField {
  readonly name: string;
  readonly value: string;
}

export interface AccountTable {
  id: Generated<number>;
  username: string;
  display_name: Generated<string>;
  summary: Generated<string>;
  avatar_url: string | null;
  header_url: string | null;
  fields: JSONColumnType<ProfileField[], string | undefined, string>;
  locked: Generated<boolean>;
  default_visibility: Generated<string>;
  language: Generated<string>;
  /** "auto", "en" or "fr". */
  interface_language: Generated<string>;
  quote_policy: Generated<QuotePolicy>;
  password_hash: string;
  api_secret: string;
  /** Actor ids of the owner's former accounts (ActivityPub `alsoKnownAs`). */
  also_known_as: ColumnType<string[], string[] | undefined, string[]>;
  /** Actor id of the account the blog moved to (`movedTo`), or null. */
  moved_to: string | null;
  /** Those of `also_known_as` whose account was seen to name this one as its `movedTo`. */
  moved_in_from: ColumnType<string[], string[] | undefined, string[]>;
  moved_in_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Whether tags can be followed as actors of their own. */
  tag_actors: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Who may quote public posts: anyone at once, the owner's approval each time, or nobody. */
export type QuotePolicy = "automatic" | "manual" | "nobody";

export interface KeyPairTable {
  algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519";
  private_key: JSONColumnType<JsonWebKey, string, string>;
  public_key: JSONColumnType<JsonWebKey, string, string>;
  created_at: CreatedAt;
}

export interface FollowerTable {
  actor_id: string;
  follow_id: string;
  inbox_url: string;
  shared_inbox_url: string | null;
  handle: string;
  name: string | null;
  url: string | null;
  icon_url: string | null;
  status: Generated<"accepted" | "pending">;
  /** The owner's former account (actor id) whose move brought this follower, or null. */
  moved_from: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A tag's actor: its handle, assigned once and never changed. */
export interface TagActorTable {
  handle: string;
  tag: string;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
}

export interface TagFollowerTable {
  handle: string;
  actor_id: string;
  follow_id: string;
  inbox_url: string;
  shared_inbox_url: string | null;
  status: Generated<"accepted" | "pending">;
  created_at: CreatedAt;
}

/** A post a tag actor announced, so that its edits and deletion reach that tag's followers. */
export interface TagAnnounceTable {
  post_id: string;
  handle: string;
}

export interface FedifyKvTable {
  key: string[];
  value: ColumnType<unknown, string, string>;
  expires_at: Date | null;
}

export interface FedifyQueueTable {
  id: Generated<number>;
  message: ColumnType<unknown, string, string>;
  ordering_key: string | null;
  /** The job's place among those of its ordering key; null: its id. */
  ordering_position: number | null;
  run_at: Timestamp;
  locked_until: Date | null;
  locked_by: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
  /** Fedify's message type: "fanout", "outbox" or "inbox". */
  kind: Generated<string>;
  /** For a delivery ("outbox"), the host of the inbox it goes to. */
  host: string | null;
  /** The hashes of the fedify_queue_parts rows the message names, if any. */
  parts: ColumnType<string[] | null, string[] | null | undefined, never>;
}

/** A part of queued messages stored once for all of them (a fan-out's activity, its keys). */
export interface FedifyQueuePartTable {
  /** SHA-256 of the value's JSON, base64url. */
  hash: string;
  value: ColumnType<unknown, string, string>;
  stored_at: Generated<Date>;
}

export interface SessionTable {
  id: string;
  created_at: CreatedAt;
  expires_at: Date;
  user_agent: string | null;
}

export interface KnownDeviceTable {
  /** SHA-256 of the device cookie's token. */
  id: string;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
}

export interface LoginFailureTable {
  /** What is throttled: `address:…`, `device:…` or `anonymous` (every attempt without a device cookie). */
  address: string;
  failures: number;
  last_failure_at: Date;
}

/** healthy: answers; moved: a permanent redirect leads elsewhere; failing: errors for less than a
 * week; dead: 404, 410, its name gone from DNS, or failing for a week; refused: a private address. */
export type LinkStatus = "unchecked" | "healthy" | "moved" | "failing" | "dead" | "refused";

export interface LinkCheckTable {
  post_id: string;
  url: string;
  status: ColumnType<LinkStatus, LinkStatus | undefined, LinkStatus>;
  http_status: number | null;
  /** Where the chain of permanent redirects ends. */
  final_url: string | null;
  error: string | null;
  last_checked_at: Date | null;
  last_alive_at: Date | null;
  consecutive_failures: Generated<number>;
  failing_since: Date | null;
  next_check_at: ColumnType<Date, Date | undefined, Date>;
}

export type Visibility = "public" | "unlisted" | "followers" | "private";

/** What the linked page says of itself, shown as a card. */
export interface LinkPreview {
  readonly url?: string;
  readonly title?: string;
  readonly description?: string;
  readonly siteName?: string;
  readonly image?: string;
  readonly imageAlt?: string;
  readonly language?: string;
}

/** An account a post mentions, as WebFinger and its actor document gave it when the post was saved. */
export interface PostMention {
  /** `@user@server`. */
  readonly handle: string;
  readonly actorId: string;
  readonly profileUrl: string;
  readonly inbox: string | null;
  readonly sharedInbox: string | null;
  /** No longer in the text: not shown as a mention, but still sent the post's edits and deletion. */
  readonly silent?: boolean;
}

export interface PostTable {
  id: string;
  url: string | null;
  title: Generated<string>;
  comment: Generated<string>;
  comment_html: Generated<string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  visibility: Visibility;
  language: string;
  pinned: Generated<boolean>;
  preview: ColumnType<LinkPreview | null, RawBuilder<string> | null | undefined, RawBuilder<string> | null>;
  mentions: ColumnType<PostMention[], RawBuilder<string> | undefined, RawBuilder<string>>;
  published_at: Timestamp;
  updated_at: Date | null;
  federated_at: Date | null;
  generation: Generated<number>;
  deleted_at: Date | null;
  /** Maintained by a trigger, never written by Glose. */
  search: ColumnType<string | null, never, never>;
}

export type HistoryEvent = "CREATED" | "UPDATED" | "DELETED" | "SETTINGS" | "IMPORT";

export interface PostHistoryTable {
  id: Generated<number>;
  event: HistoryEvent;
  post_id: string | null;
  at: CreatedAt;
}

export interface MediaTable {
  id: string;
  content_type: string;
  bytes: Uint8Array;
  created_at: CreatedAt;
}

export interface RemoteActorTable {
  id: string;
  handle: string;
  name: string | null;
  url: string | null;
  icon_url: string | null;
  inbox_url: string | null;
  shared_inbox_url: string | null;
  emojis: JSONColumnType<RemoteEmoji[], RawBuilder<string> | undefined, RawBuilder<string>>;
  fields: JSONColumnType<ProfileField[], RawBuilder<string> | undefined, RawBuilder<string>>;
  refreshed_at: Timestamp;
}

/** A custom emoji: its `:shortcode:` and its image (an http(s) URL, checked when stored). */
export interface RemoteEmoji {
  readonly name: string;
  readonly url: string;
}

/** A reply's attachment: its (checked) URL, media type and alt text. */
export interface RemoteAttachment {
  readonly url: string;
  readonly mediaType: string | null;
  readonly name: string | null;
}

export interface ReplyTable {
  id: string;
  post_id: string;
  in_reply_to: string;
  actor_id: string;
  url: string | null;
  content_html: string;
  summary: string | null;
  sensitive: Generated<boolean>;
  language: string | null;
  public: boolean;
  hidden: Generated<boolean>;
  published_at: Date;
  updated_at: Date | null;
  deleted_at: Date | null;
  emojis: JSONColumnType<RemoteEmoji[], RawBuilder<string> | undefined, RawBuilder<string>>;
  attachments: JSONColumnType<RemoteAttachment[], RawBuilder<string> | undefined, RawBuilder<string>>;
  created_at: CreatedAt;
}

export type ReactionKind = "like" | "announce" | "emoji";

export interface ReactionTable {
  activity_id: string;
  kind: ReactionKind;
  post_id: string;
  actor_id: string;
  /** An emoji reaction's emoji (":blobcat:" or a Unicode emoji); "" for likes and boosts. */
  emoji: Generated<string>;
  emoji_url: string | null;
  created_at: CreatedAt;
}

export type QuoteStatus = "pending" | "accepted" | "rejected" | "revoked";

export interface QuoteTable {
  id: string;
  post_id: string;
  target_id: string;
  actor_id: string;
  url: string | null;
  content_html: string;
  request_id: string | null;
  status: QuoteStatus;
  authorization_id: string | null;
  created_at: CreatedAt;
  decided_at: Date | null;
}

export type NotificationKind =
  | "follow"
  | "follow_request"
  | "reply"
  | "mention"
  | "like"
  | "announce"
  | "report"
  | "block"
  | "move"
  | "follower_gone"
  | "reaction"
  | "quote"
  | "quote_request";

export interface NotificationTable {
  id: Generated<number>;
  kind: NotificationKind;
  activity_id: string | null;
  actor_id: string;
  post_id: string | null;
  reply_id: string | null;
  body: string | null;
  created_at: CreatedAt;
  read_at: Date | null;
}

export interface BlockTable {
  kind: "actor" | "domain";
  value: string;
  created_at: CreatedAt;
}

/** The Shaarli short URL hash of an imported link: `/shaare/{hash}` and `/?{hash}` redirect to the post. */
export interface ShaarliHashTable {
  hash: string;
  post_id: string;
}

export type ImportJobStatus = "queued" | "running" | "done" | "failed";

export type DeliveryStatus = "pending" | "sent" | "failed" | "gone";

/** One activity of a post sent to one inbox, as the queue last saw it. */
export interface DeliveryTable {
  activity_id: string;
  inbox: string;
  post_id: string;
  host: string;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempts: Generated<number>;
  last_error: string | null;
  last_status_code: number | null;
  updated_at: Generated<Date>;
}

export interface ImportJobTable {
  id: Generated<number>;
  status: Generated<ImportJobStatus>;
  source: "file" | "shaarli-api";
  options: JSONColumnType<Record<string, unknown>, string, string>;
  file: Uint8Array | null;
  processed: Generated<number>;
  counts: JSONColumnType<Record<string, number> | null, string | null, string | null>;
  /** English, for the logs and jobs older than `issues`. */
  error: string | null;
  /** `{ problems: [{ place, code }] }` or `{ failure: { code, ...values } | null }` (null: not the source's fault). */
  issues: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface Schema {
  deliveries: DeliveryTable;
  shaarli_hashes: ShaarliHashTable;
  link_checks: LinkCheckTable;
  import_jobs: ImportJobTable;
  remote_actors: RemoteActorTable;
  replies: ReplyTable;
  reactions: ReactionTable;
  quotes: QuoteTable;
  notifications: NotificationTable;
  blocks: BlockTable;
  media: MediaTable;
  post_history: PostHistoryTable;
  posts: PostTable;
  account: AccountTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  known_devices: KnownDeviceTable;
  key_pairs: KeyPairTable;
  followers: FollowerTable;
  tag_actors: TagActorTable;
  tag_followers: TagFollowerTable;
  tag_announces: TagAnnounceTable;
  tag_spellings: { tag: string };
  fedify_kv: FedifyKvTable;
  fedify_queue: FedifyQueueTable;
  fedify_queue_parts: FedifyQueuePartTable;
}
