-- Replay verifications: progress and outcome, visible from every ledger process.
create table audit_replay (
    replay_id        varchar(40)  primary key,
    institution_id   varchar(18),
    status           varchar(20)  not null,
    events_total     bigint       not null default 0,
    events_processed bigint       not null default 0,
    matches          boolean,
    differences      text,
    failure          varchar(1000),
    requested_by     varchar(200) not null,
    started_at       timestamptz  not null default now(),
    finished_at      timestamptz
);
