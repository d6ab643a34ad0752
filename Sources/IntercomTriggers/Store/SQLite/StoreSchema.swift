import GRDB

/// The store's schema, as an ordered list of migrations. Never edit a released migration: append one.
enum StoreSchema {
    /// The value of `meta.store_format` written by the first migration.
    static let format = "1"

    /// All migrations, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE topic_state (
                        topic TEXT PRIMARY KEY NOT NULL,
                        watermark INTEGER NOT NULL,
                        start_at INTEGER NOT NULL,
                        last_poll_at INTEGER,
                        last_result TEXT,
                        last_error TEXT,
                        reset_requested_to INTEGER,
                        -- Seen versions below this were pruned: versions under it must not fire again.
                        pruned_below INTEGER
                    );

                    CREATE TABLE seen_version (
                        topic TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        seen_at INTEGER NOT NULL,
                        PRIMARY KEY (topic, item_id, version)
                    ) WITHOUT ROWID;
                    -- reset (version >= T) and pruning (version < horizon) work per topic by version.
                    CREATE INDEX seen_version_by_version ON seen_version (topic, version);

                    -- AUTOINCREMENT: a pruned seq is never handed out again, so tail cursors stay valid.
                    CREATE TABLE event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        topic TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        detected_at INTEGER NOT NULL,
                        item BLOB NOT NULL
                    );
                    CREATE INDEX event_by_detected_at ON event (detected_at);

                    CREATE TABLE outbox (
                        destination TEXT NOT NULL,
                        event_seq INTEGER NOT NULL REFERENCES event (seq) ON DELETE CASCADE,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        first_sent_at INTEGER,
                        last_attempt_at INTEGER,
                        last_status INTEGER,
                        last_error TEXT,
                        delivered_at INTEGER,
                        PRIMARY KEY (destination, event_seq)
                    ) WITHOUT ROWID;
                    -- A lane's "next due pending rows in seq order"; also queue depth per destination.
                    CREATE INDEX outbox_pending ON outbox (destination, event_seq, next_attempt_at)
                        WHERE state = 'pending';
                    -- Retention pruning of delivered rows.
                    CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE state = 'delivered';
                    -- Dead letters per destination, and pruning events nothing refers to any more.
                    CREATE INDEX outbox_dead ON outbox (destination, event_seq) WHERE state = 'dead';
                    CREATE INDEX outbox_by_event ON outbox (event_seq);

                    CREATE TABLE destination_state (
                        name TEXT PRIMARY KEY NOT NULL,
                        disabled_at INTEGER,
                        disabled_reason TEXT
                    );

                    -- A contact's role when last seen: a lead that becomes a user signs up, it is not a new user.
                    -- One row per contact ever seen; never pruned.
                    CREATE TABLE item_role (
                        item_id TEXT PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL,
                        -- Once a lead, never a new user: kept when the role moves on.
                        was_lead INTEGER NOT NULL DEFAULT 0
                    ) WITHOUT ROWID;
                    """
            )
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('store_format', ?)",
                arguments: [format]
            )
        }
        migrator.registerMigration("v2") { db in
            // Items of search pages that could not be read, per topic of their resource (`status`).
            try db.execute(sql: "ALTER TABLE topic_state ADD COLUMN skipped_items INTEGER NOT NULL DEFAULT 0")
            // Items dated beyond the clock plus a margin, which did not move the watermark past it.
            try db.execute(sql: "ALTER TABLE topic_state ADD COLUMN future_dated_items INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v3") { db in
            // When the last completed pass started (the clock it read by): the next pass re-reads from
            // `min(watermark, last_pass_start - lookback)`, whatever happened in between.
            try db.execute(sql: "ALTER TABLE topic_state ADD COLUMN last_pass_start INTEGER")
        }
        migrator.registerMigration("v4") { db in
            // What the classifier remembered about a contact *when* it saw each version, so a version read
            // again (within the lookback, or after a reset) is classified as it was the first time: the same
            // topics, the same event ids, never a new one. `first_version` is the contact's `updated_at` at
            // its first sighting (NULL for contacts remembered before v4); a change row keeps the role and
            // lead flag before the sighting at `version` changed them. Role changes are rare; never pruned.
            try db.execute(
                sql: """
                    ALTER TABLE item_role ADD COLUMN first_version INTEGER;
                    CREATE TABLE item_role_change (
                        item_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        from_role TEXT NOT NULL,
                        from_was_lead INTEGER NOT NULL,
                        PRIMARY KEY (item_id, version)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5") { db in
            // The workspace an event was detected in: its `app_id` on the wire, whatever token the daemon
            // holds later. NULL for events queued before v5 (they take the store's `workspace_id`).
            try db.execute(sql: "ALTER TABLE event ADD COLUMN workspace_id TEXT")
        }
        migrator.registerMigration("v6") { db in
            // Where an unfinished pass over a resource stands (``ResumePoint``), committed with each page.
            try db.execute(
                sql: """
                    CREATE TABLE pass_resume (
                        resource TEXT PRIMARY KEY NOT NULL,
                        field TEXT NOT NULL,
                        pass_start INTEGER NOT NULL,
                        bound INTEGER NOT NULL,
                        newest INTEGER,
                        reached INTEGER NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v7") { db in
            // What changed in an update (#14): the `changes` object computed when the event was detected (NULL
            // when it is no update, or no earlier version of the item had been seen), and the last version of
            // each contact an event carried, to compare the next one with.
            try db.execute(sql: "ALTER TABLE event ADD COLUMN changes BLOB")
            try db.execute(
                sql: """
                    CREATE TABLE item_snapshot (
                        item_id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        item BLOB NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v8") { db in
            // #14: updates suppressed because only `ignore_fields` moved, per topic, and events a destination's
            // filter skipped, per destination name (kept when the destination is disabled and enabled again).
            try db.execute(sql: "ALTER TABLE topic_state ADD COLUMN suppressed_updates INTEGER NOT NULL DEFAULT 0")
            // A snapshot points at the event carrying its item while that event is kept (`item` empty), and holds
            // the item deflated once retention pruned the event (``SnapshotCodec``).
            try db.execute(sql: "ALTER TABLE item_snapshot ADD COLUMN event_seq INTEGER")
            try db.execute(
                sql: """
                    CREATE TABLE destination_filtered (
                        name TEXT PRIMARY KEY NOT NULL,
                        skipped INTEGER NOT NULL
                    ) WITHOUT ROWID
                    """)
        }
        migrator.registerMigration("v9") { db in
            // #14: a contact's snapshot lives in its `item_role` row, written in every page anyway: one random-key
            // B-tree less to touch per new contact. The snapshot also stands for the update version its created
            // event superseded in the same sighting (`covers_topic` at `covers_version`), so a new contact costs
            // no `seen_version` rows for its update topic; the mark moves into `seen_version` whenever the snapshot
            // moves on or goes (a trigger). A snapshot without a role row (no contact event comes without a role) is dropped.
            try db.execute(
                sql: """
                    ALTER TABLE item_role ADD COLUMN snapshot_version INTEGER;
                    ALTER TABLE item_role ADD COLUMN snapshot_item BLOB;
                    ALTER TABLE item_role ADD COLUMN snapshot_event_seq INTEGER;
                    ALTER TABLE item_role ADD COLUMN covers_topic TEXT;
                    ALTER TABLE item_role ADD COLUMN covers_version INTEGER;
                    UPDATE item_role SET (snapshot_version, snapshot_item, snapshot_event_seq) = (
                        SELECT version, CASE WHEN event_seq IS NULL THEN item END, event_seq FROM item_snapshot
                        WHERE item_snapshot.item_id = item_role.item_id)
                    WHERE item_id IN (SELECT item_id FROM item_snapshot);
                    DROP TABLE item_snapshot;
                    -- Whatever replaces or clears a mark (a snapshot moving on, a deleted contact, snapshots
                    -- dropped) keeps the version it stood for seen; a reset deletes it from seen_version after.
                    CREATE TRIGGER item_role_settle_cover AFTER UPDATE OF covers_topic, covers_version ON item_role
                    WHEN old.covers_topic IS NOT NULL
                        AND (new.covers_topic IS NOT old.covers_topic OR new.covers_version IS NOT old.covers_version)
                    BEGIN
                        INSERT OR IGNORE INTO seen_version (topic, item_id, version, seen_at)
                        VALUES (old.covers_topic, old.item_id, old.covers_version, CAST(strftime('%s', 'now') AS INTEGER));
                    END;
                    """)
        }
        migrator.registerMigration("v10") { db in
            // #15: one store, many workspaces. Every per-workspace row carries its `workspace` (first in its key);
            // an existing store's rows become workspace 1, `default`, with the app id it held in `meta`. Tables
            // whose key changes are rebuilt in key order (one INSERT … SELECT each, no per-row work); `event` only
            // gains a column (no rewrite), so its ids and seqs stay; outbox rows follow their event.
            try db.execute(
                sql: """
                    CREATE TABLE workspace (
                        id INTEGER PRIMARY KEY,
                        -- The configuration's workspace name (`default` for the single-workspace form).
                        name TEXT NOT NULL UNIQUE,
                        -- The Intercom app id its rows were read from, once known: another's token is refused.
                        app_id TEXT
                    );
                    INSERT INTO workspace (id, name, app_id)
                    VALUES (1, 'default', (SELECT value FROM meta WHERE key = 'workspace_id'));
                    DELETE FROM meta WHERE key = 'workspace_id';
                    -- Recreated below for the new tables: a rename re-reads every trigger, and this one would name
                    -- a dropped table in between.
                    DROP TRIGGER item_role_settle_cover;

                    CREATE TABLE topic_state_v10 (
                        workspace INTEGER NOT NULL REFERENCES workspace (id),
                        topic TEXT NOT NULL,
                        watermark INTEGER NOT NULL,
                        start_at INTEGER NOT NULL,
                        last_poll_at INTEGER,
                        last_result TEXT,
                        last_error TEXT,
                        reset_requested_to INTEGER,
                        pruned_below INTEGER,
                        skipped_items INTEGER NOT NULL DEFAULT 0,
                        future_dated_items INTEGER NOT NULL DEFAULT 0,
                        last_pass_start INTEGER,
                        suppressed_updates INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (workspace, topic)
                    );
                    INSERT INTO topic_state_v10 (
                        workspace, topic, watermark, start_at, last_poll_at, last_result, last_error,
                        reset_requested_to, pruned_below, skipped_items, future_dated_items, last_pass_start,
                        suppressed_updates)
                    SELECT 1, topic, watermark, start_at, last_poll_at, last_result, last_error, reset_requested_to,
                        pruned_below, skipped_items, future_dated_items, last_pass_start, suppressed_updates
                    FROM topic_state ORDER BY topic;
                    DROP TABLE topic_state;
                    ALTER TABLE topic_state_v10 RENAME TO topic_state;

                    CREATE TABLE seen_version_v10 (
                        workspace INTEGER NOT NULL REFERENCES workspace (id),
                        topic TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        seen_at INTEGER NOT NULL,
                        PRIMARY KEY (workspace, topic, item_id, version)
                    ) WITHOUT ROWID;
                    INSERT INTO seen_version_v10 (workspace, topic, item_id, version, seen_at)
                    SELECT 1, topic, item_id, version, seen_at FROM seen_version ORDER BY topic, item_id, version;
                    DROP TABLE seen_version;
                    ALTER TABLE seen_version_v10 RENAME TO seen_version;
                    CREATE INDEX seen_version_by_version ON seen_version (workspace, topic, version);

                    CREATE TABLE item_role_v10 (
                        workspace INTEGER NOT NULL REFERENCES workspace (id),
                        item_id TEXT NOT NULL,
                        role TEXT NOT NULL,
                        was_lead INTEGER NOT NULL DEFAULT 0,
                        first_version INTEGER,
                        snapshot_version INTEGER,
                        snapshot_item BLOB,
                        snapshot_event_seq INTEGER,
                        covers_topic TEXT,
                        covers_version INTEGER,
                        PRIMARY KEY (workspace, item_id)
                    ) WITHOUT ROWID;
                    INSERT INTO item_role_v10 (
                        workspace, item_id, role, was_lead, first_version, snapshot_version, snapshot_item,
                        snapshot_event_seq, covers_topic, covers_version)
                    SELECT 1, item_id, role, was_lead, first_version, snapshot_version, snapshot_item,
                        snapshot_event_seq, covers_topic, covers_version
                    FROM item_role ORDER BY item_id;
                    DROP TABLE item_role;
                    ALTER TABLE item_role_v10 RENAME TO item_role;
                    CREATE TRIGGER item_role_settle_cover AFTER UPDATE OF covers_topic, covers_version ON item_role
                    WHEN old.covers_topic IS NOT NULL
                        AND (new.covers_topic IS NOT old.covers_topic OR new.covers_version IS NOT old.covers_version)
                    BEGIN
                        INSERT OR IGNORE INTO seen_version (workspace, topic, item_id, version, seen_at)
                        VALUES (old.workspace, old.covers_topic, old.item_id, old.covers_version,
                            CAST(strftime('%s', 'now') AS INTEGER));
                    END;

                    CREATE TABLE item_role_change_v10 (
                        workspace INTEGER NOT NULL REFERENCES workspace (id),
                        item_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        from_role TEXT NOT NULL,
                        from_was_lead INTEGER NOT NULL,
                        PRIMARY KEY (workspace, item_id, version)
                    ) WITHOUT ROWID;
                    INSERT INTO item_role_change_v10 (workspace, item_id, version, from_role, from_was_lead)
                    SELECT 1, item_id, version, from_role, from_was_lead FROM item_role_change ORDER BY item_id, version;
                    DROP TABLE item_role_change;
                    ALTER TABLE item_role_change_v10 RENAME TO item_role_change;

                    CREATE TABLE pass_resume_v10 (
                        workspace INTEGER NOT NULL REFERENCES workspace (id),
                        resource TEXT NOT NULL,
                        field TEXT NOT NULL,
                        pass_start INTEGER NOT NULL,
                        bound INTEGER NOT NULL,
                        newest INTEGER,
                        reached INTEGER NOT NULL,
                        PRIMARY KEY (workspace, resource)
                    );
                    INSERT INTO pass_resume_v10 (workspace, resource, field, pass_start, bound, newest, reached)
                    SELECT 1, resource, field, pass_start, bound, newest, reached FROM pass_resume;
                    DROP TABLE pass_resume;
                    ALTER TABLE pass_resume_v10 RENAME TO pass_resume;

                    -- Added, not rebuilt: no rewrite of the largest table. No index: only admin reads filter by it,
                    -- and they walk events in seq order anyway. (A REFERENCES column cannot be added with a default.)
                    ALTER TABLE event ADD COLUMN workspace INTEGER NOT NULL DEFAULT 1;
                    """)
        }
        migrator.registerMigration("v11") { db in
            // #15: a lane serves the workspaces sharing it fairly (round-robin, ``StateStore/dueOutbox``), so an
            // outbox row carries its event's workspace and the pending index is per workspace: a lane finds the
            // workspaces with pending rows by one seek each and reads each one's due rows in event order. Added,
            // not rebuilt (rows of workspace 1 keep the default); only other workspaces' rows are written.
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN workspace INTEGER NOT NULL DEFAULT 1;
                    UPDATE outbox SET workspace = (SELECT workspace FROM event WHERE seq = outbox.event_seq)
                    WHERE event_seq IN (SELECT seq FROM event WHERE workspace <> 1);
                    DROP INDEX outbox_pending;
                    CREATE INDEX outbox_pending ON outbox (destination, workspace, event_seq, next_attempt_at)
                        WHERE state = 'pending';
                    """)
        }
        return migrator
    }
}
