/// The state database's schema history. Append a step to change the schema; never edit a released one.
public enum Schema {
    /// Every migration step, in order.
    public static let migrations: [Migration] = [version1, version2, volumes, deployments]

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

    /// Version 2: networks and their endpoints (a container's attachment: address, MAC, aliases, interface).
    ///
    /// An endpoint's container is a foreign key with `ON DELETE CASCADE` (deleting a container deletes its
    /// endpoints); its network one without (a network with endpoints cannot be deleted).
    static let version2 = Migration(
        version: 2, summary: "create networks, endpoints",
        sql: """
            CREATE TABLE networks (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT UNIQUE NOT NULL,
                driver TEXT NOT NULL DEFAULT 'bridge',
                scope TEXT NOT NULL DEFAULT 'local',
                subnet TEXT NOT NULL,
                gateway TEXT NOT NULL,
                ip_range TEXT,
                internal INTEGER NOT NULL DEFAULT 0,
                bridge TEXT UNIQUE NOT NULL,
                labels TEXT NOT NULL DEFAULT '{}',
                options TEXT NOT NULL DEFAULT '{}',
                created_at TEXT NOT NULL,
                is_default INTEGER NOT NULL DEFAULT 0,
                user_subnet INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE endpoints (
                id TEXT PRIMARY KEY NOT NULL,
                network_id TEXT NOT NULL REFERENCES networks(id),
                container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
                address TEXT NOT NULL,
                mac_address TEXT NOT NULL,
                aliases TEXT NOT NULL DEFAULT '[]',
                static_address INTEGER NOT NULL DEFAULT 0,
                interface_name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (network_id, address),
                UNIQUE (network_id, container_id),
                UNIQUE (container_id, interface_name)
            );
            """)

    /// Version 3: volumes and which containers use them (issue 6).
    ///
    /// A user row goes with its container (`ON DELETE CASCADE`); a volume with users cannot be deleted
    /// (the table refuses first, naming the containers; the foreign key is the backstop).
    static let volumes = Migration(
        version: 3, summary: "create volumes, volume_users",
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
                volume TEXT NOT NULL REFERENCES volumes(name),
                container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
                PRIMARY KEY (volume, container_id)
            );
            CREATE INDEX volume_users_container ON volume_users(container_id);
            """)

    /// Version 4: the deployment journal (issue 7): each plan stackd carries out, and which of its
    /// steps are done, so that an interrupted `up` is finished when stackd starts again.
    static let deployments = Migration(
        version: 4, summary: "create deployments, deployment_steps",
        sql: """
            CREATE TABLE deployments (
                id TEXT PRIMARY KEY NOT NULL,
                project TEXT NOT NULL,
                plan TEXT NOT NULL,
                created_at REAL NOT NULL,
                state TEXT NOT NULL,
                error TEXT
            );
            CREATE INDEX deployments_project ON deployments(project);
            CREATE TABLE deployment_steps (
                deployment TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                PRIMARY KEY (deployment, step)
            );
            """)
}
