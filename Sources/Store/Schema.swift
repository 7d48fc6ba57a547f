/// The state database's schema history. Append a step to change the schema; never edit a released one.
public enum Schema {
    /// Every migration step, in order.
    public static let migrations: [Migration] = [version1, volumes]

    /// The schema version this code writes.
    public static var version: Int { migrations.count }

    /// Version 1: containers, images and their tags, the event log, and daemon metadata.
    static let version1 = Migration(
        version: 1, summary: "create containers, images, image_tags, events, meta",
        sql: """
            CREATE TABLE containers (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT UNIQUE NOT NULL,
                image_ref TEXT,
                image_id TEXT,
                created_at REAL,
                state TEXT NOT NULL,
                pid INTEGER,
                monitor_pid INTEGER,
                exit_code INTEGER,
                oom_killed INTEGER NOT NULL DEFAULT 0,
                started_at REAL,
                finished_at REAL,
                restart_count INTEGER NOT NULL DEFAULT 0,
                labels TEXT NOT NULL DEFAULT '{}',
                config TEXT NOT NULL DEFAULT '{}',
                spec_hash TEXT,
                error TEXT
            );
            CREATE INDEX containers_image_id ON containers(image_id);
            CREATE TABLE images (
                id TEXT PRIMARY KEY NOT NULL,
                manifest_digest TEXT,
                config TEXT NOT NULL DEFAULT '{}',
                created_at REAL,
                size INTEGER NOT NULL DEFAULT 0,
                layers TEXT NOT NULL DEFAULT '[]'
            );
            CREATE TABLE image_tags (
                reference TEXT PRIMARY KEY NOT NULL,
                image_id TEXT NOT NULL REFERENCES images(id)
            );
            CREATE INDEX image_tags_image_id ON image_tags(image_id);
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                time REAL NOT NULL,
                type TEXT NOT NULL,
                action TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                attributes TEXT NOT NULL DEFAULT '{}'
            );
            CREATE INDEX events_time ON events(time);
            CREATE TABLE meta (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            );
            """)

    /// Volumes and which containers use them (issue 6). Its version is its place in `migrations`.
    static let volumes = Migration(
        version: 2, summary: "create volumes, volume_users",
        sql: """
            CREATE TABLE volumes (
                name TEXT PRIMARY KEY NOT NULL,
                driver TEXT NOT NULL DEFAULT 'local',
                labels TEXT NOT NULL DEFAULT '{}',
                options TEXT NOT NULL DEFAULT '{}',
                created_at TEXT NOT NULL,
                anonymous INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE volume_users (
                volume TEXT NOT NULL,
                container_id TEXT NOT NULL,
                PRIMARY KEY (volume, container_id)
            );
            CREATE INDEX volume_users_container ON volume_users(container_id);
            """)
}
