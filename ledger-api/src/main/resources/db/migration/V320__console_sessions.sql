-- Sessions of the /dashboard console. Kept in the database, not in one JVM, so a sign-in on one ledger
-- node is honoured by every node on this database. Only the SHA-256 of a session id is stored: a copy
-- of this table signs no one in. The CSRF token is worthless without the session cookie.
create table console_session (
    id_hash         bytea        primary key,
    principal_name  varchar(200) not null,
    csrf_token      varchar(64)  not null,
    created_at      timestamptz  not null,
    expires_at      timestamptz  not null
);

create index console_session_expiry on console_session (expires_at);
