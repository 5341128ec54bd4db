-- Gateway accounts (services/gateway). A user logs in with a password
-- hashed by libsodium's argon2id (crypto_pwhash_str, the whole encoded
-- string); roles are 'user' (own strategies and runs), 'trader' (also live
-- trading) and 'admin'. Refresh tokens are stored only as SHA-256 digests:
-- every token belongs to a family (one login); using a token rotates it
-- (the old row gets used_at, a new row of the same family is issued), and
-- presenting a token that was already used revokes the whole family.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'trader', 'admin')),
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,          -- SHA-256 of the token
    family      uuid NOT NULL,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,                -- rotated: a second use is a reuse
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
