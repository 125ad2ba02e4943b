// Row types of Glose's tables, as Kysely sees them. Kept beside the migrations that create them.
import type { ColumnType, Generated, JSONColumnType } from "kysely";

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
  password_hash: string;
  api_secret: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

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
  created_at: CreatedAt;
  updated_at: Timestamp;
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
  run_at: Timestamp;
  locked_until: Date | null;
  locked_by: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
}

export interface Schema {
  account: AccountTable;
  key_pairs: KeyPairTable;
  followers: FollowerTable;
  fedify_kv: FedifyKvTable;
  fedify_queue: FedifyQueueTable;
}
