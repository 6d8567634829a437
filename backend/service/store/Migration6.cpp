// Step 6: `extra` split into typed columns and the table sandbox_volumes. The SQLite step copies each
// sandbox's `extra` into them with the rules the code once applied when reading it: a wrongly typed key
// is dropped, except that a wrongly typed networkBlockAll or networkAllowList blocks all egress (fail
// closed). `extra` stays, unread.
#include "service/store/Migration6.h"

namespace cove::store {

namespace {
// The same DDL in both dialects (SQLite reads BIGINT as INTEGER).
constexpr const char* kDdl = R"sql(
ALTER TABLE sandboxes ADD COLUMN ip TEXT;
ALTER TABLE sandboxes ADD COLUMN network_block_all INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sandboxes ADD COLUMN network_allow_list TEXT;
ALTER TABLE sandboxes ADD COLUMN domain_allow_list TEXT;
ALTER TABLE sandboxes ADD COLUMN target TEXT;
ALTER TABLE sandboxes ADD COLUMN signing_key TEXT;
ALTER TABLE sandboxes ADD COLUMN preview_key TEXT;
ALTER TABLE sandboxes ADD COLUMN revoked_preview_tokens TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sandboxes ADD COLUMN pooled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sandboxes ADD COLUMN container_spec TEXT;
ALTER TABLE sandboxes ADD COLUMN archive_bytes BIGINT;
ALTER TABLE sandboxes ADD COLUMN archive_compressed_bytes BIGINT;
ALTER TABLE sandboxes ADD COLUMN build_info TEXT;
CREATE TABLE sandbox_volumes (
    sandbox_id TEXT NOT NULL REFERENCES sandboxes(id),
    mount_index INTEGER NOT NULL,
    volume_id TEXT NOT NULL,
    mount_path TEXT NOT NULL,
    subpath TEXT,
    read_only INTEGER, -- NULL: recorded before mounts were checked; such a mount is never bound
    PRIMARY KEY (sandbox_id, mount_index)
);
CREATE INDEX sandbox_volumes_volume ON sandbox_volumes(volume_id);
CREATE INDEX sandboxes_ip ON sandboxes(ip);
)sql";
} // namespace

std::string migration6Sqlite() {
    return std::string(kDdl) + R"sql(
UPDATE sandboxes SET extra = '{}'
    WHERE CASE WHEN json_valid(extra) THEN json_type(extra) <> 'object' ELSE 1 END;
UPDATE sandboxes SET
    network_block_all = CASE
        WHEN json_type(extra, '$.networkBlockAll') NOT IN ('true', 'false') THEN 1
        WHEN json_type(extra, '$.networkAllowList') <> 'text' THEN 1
        WHEN json_type(extra, '$.networkBlockAll') = 'true' THEN 1
        ELSE 0 END,
    ip = CASE WHEN json_type(extra, '$.ip') = 'text' THEN json_extract(extra, '$.ip') END,
    network_allow_list = CASE WHEN json_type(extra, '$.networkAllowList') = 'text'
        THEN json_extract(extra, '$.networkAllowList') END,
    domain_allow_list = CASE WHEN json_type(extra, '$.domainAllowList') = 'text'
        THEN json_extract(extra, '$.domainAllowList') END,
    target = CASE WHEN json_type(extra, '$.target') = 'text' THEN json_extract(extra, '$.target') END,
    signing_key = CASE WHEN json_type(extra, '$.signingKey') = 'text'
        THEN json_extract(extra, '$.signingKey') END,
    preview_key = CASE WHEN json_type(extra, '$.previewKey') = 'text'
        THEN json_extract(extra, '$.previewKey') END,
    revoked_preview_tokens = CASE WHEN json_type(extra, '$.revokedPreviewTokens') = 'array'
        THEN json_extract(extra, '$.revokedPreviewTokens') ELSE '[]' END,
    pooled = CASE WHEN json_type(extra, '$.pooled') = 'true' THEN 1 ELSE 0 END,
    container_spec = CASE WHEN json_type(extra, '$.containerSpec') = 'object'
        THEN json_extract(extra, '$.containerSpec') END,
    archive_bytes = CASE WHEN json_type(extra, '$.archive.bytes') IN ('integer', 'real')
        THEN CAST(json_extract(extra, '$.archive.bytes') AS INTEGER) END,
    archive_compressed_bytes = CASE WHEN json_type(extra, '$.archive.compressedBytes') IN ('integer', 'real')
        THEN CAST(json_extract(extra, '$.archive.compressedBytes') AS INTEGER) END,
    build_info = CASE WHEN json_type(extra, '$.buildInfo') = 'object'
        THEN json_extract(extra, '$.buildInfo') END;
INSERT INTO sandbox_volumes (sandbox_id, mount_index, volume_id, mount_path, subpath, read_only)
    SELECT s.id, CAST(m.key AS INTEGER), json_extract(m.value, '$.volumeId'),
           json_extract(m.value, '$.mountPath'),
           CASE WHEN json_type(m.value, '$.subpath') = 'text' THEN json_extract(m.value, '$.subpath') END,
           CASE json_type(m.value, '$.readOnly') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END
    FROM sandboxes s, json_each(s.extra, '$.volumes') m
    WHERE json_type(s.extra, '$.volumes') = 'array' AND m.type = 'object'
        AND json_type(m.value, '$.volumeId') = 'text' AND json_type(m.value, '$.mountPath') = 'text';
)sql";
}

std::string migration6Postgres() {
    return kDdl;
}

} // namespace cove::store
