// The schema, one numbered step at a time. Never edit a step that has shipped; append a new one.
#include "service/store/Migration6.h"
#include "service/store/Store.h"

namespace cove::store {

const std::vector<std::string>& Database::migrations() {
    static const std::vector<std::string> steps = {
        // 1: organizations, keys, snapshots, sandboxes, audit log.
        R"sql(
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    key_suffix TEXT NOT NULL,
    scopes TEXT NOT NULL,          -- JSON array; ["*"] for the admin key
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE TABLE snapshots (
    id TEXT PRIMARY KEY,
    organization_id TEXT,          -- NULL for Cove's general snapshots
    name TEXT NOT NULL UNIQUE,
    image_name TEXT NOT NULL,
    state TEXT NOT NULL,
    general INTEGER NOT NULL DEFAULT 0,
    cpu INTEGER NOT NULL DEFAULT 1,
    memory INTEGER NOT NULL DEFAULT 1,
    disk INTEGER NOT NULL DEFAULT 3,
    size_bytes INTEGER,
    entrypoint TEXT,
    error_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE TABLE sandboxes (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    snapshot TEXT,
    image TEXT NOT NULL,
    os_user TEXT NOT NULL,
    env TEXT NOT NULL DEFAULT '{}',
    labels TEXT NOT NULL DEFAULT '{}',
    public INTEGER NOT NULL DEFAULT 0,
    cpu INTEGER NOT NULL,
    gpu INTEGER NOT NULL DEFAULT 0,
    memory INTEGER NOT NULL,
    disk INTEGER NOT NULL,
    auto_stop_interval INTEGER NOT NULL,
    auto_archive_interval INTEGER NOT NULL,
    auto_delete_interval INTEGER NOT NULL,
    state TEXT NOT NULL,
    desired_state TEXT NOT NULL,
    error_reason TEXT,
    container_id TEXT,
    extra TEXT NOT NULL DEFAULT '{}', -- request fields Cove stores and echoes (network, volumes, build info)
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL
);
CREATE INDEX sandboxes_org_created ON sandboxes(organization_id, created_at, id);
CREATE UNIQUE INDEX sandboxes_live_name ON sandboxes(organization_id, name) WHERE state <> 'destroyed';
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT,
    actor_key_id TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    status_code INTEGER,
    error_message TEXT,
    source TEXT,
    ip TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_org_time ON audit_log(organization_id, created_at);
)sql",
        // 2: service settings (this installation's id, which labels its containers), and when each
        // sandbox last changed state (the lifecycle timers count from it).
        R"sql(
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
ALTER TABLE sandboxes ADD COLUMN state_changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE sandboxes SET state_changed_at = updated_at;
)sql",
        // 3: governance. An organization's tier and its custom quota numbers (JSON; empty = the tier's),
        // the audit log's user agent, per-minute usage samples, and key names unique among live keys.
        R"sql(
ALTER TABLE organizations ADD COLUMN tier INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN quota TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organizations ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN user_agent TEXT;
CREATE INDEX audit_log_org_id ON audit_log(organization_id, id);
CREATE TABLE usage_samples (
    organization_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    cpu INTEGER NOT NULL,
    memory INTEGER NOT NULL,
    disk INTEGER NOT NULL,
    running INTEGER NOT NULL,
    PRIMARY KEY (organization_id, at)
);
CREATE UNIQUE INDEX api_keys_live_name ON api_keys(organization_id, name) WHERE revoked_at IS NULL;
)sql",
        // 4: snapshots made by Cove: the build they came from (JSON {dockerfileContent, contextHashes}) and
        // its hash (identical builds share one snapshot), the sandbox one was committed from, and whether
        // Cove made its image (built, pulled or committed; removed with the last snapshot using it).
        R"sql(
ALTER TABLE snapshots ADD COLUMN build_info TEXT;
ALTER TABLE snapshots ADD COLUMN build_hash TEXT;
ALTER TABLE snapshots ADD COLUMN source_sandbox_id TEXT;
ALTER TABLE snapshots ADD COLUMN image_owned INTEGER NOT NULL DEFAULT 0;
CREATE INDEX snapshots_build_hash ON snapshots(build_hash);
)sql",
        // 5: volumes, folders under <data>/volumes/<id>/. Names are unique among those not deleted;
        // size_bytes is the last measure of what their files hold.
        R"sql(
CREATE TABLE volumes (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    error_reason TEXT,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX volumes_org_created ON volumes(organization_id, created_at, id);
CREATE UNIQUE INDEX volumes_live_name ON volumes(organization_id, name) WHERE state <> 'deleted';
)sql",
        // 6: the sandbox fields kept in `extra` as typed columns, and mounts as rows (Migration6.cpp).
        migration6Sqlite(),
    };
    return steps;
}

} // namespace cove::store
