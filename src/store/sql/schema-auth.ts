// The sign-in tables (users, API tokens, browser sessions), part of `Database` in schema.ts.

/** Users: people, the built-in local admin and node service users. */
export interface UsersTable {
  id: string;
  name: string;
  role: string;
  kind: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_confirmed_at: number | null;
  created_at: number;
  disabled_at: number | null;
}

/** API tokens: only the SHA-256 of the token is stored. */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  access: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** Browser sessions, keyed by the SHA-256 of the cookie value. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_hash: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}
