package com.redfour.shopping.session.store;

import com.redfour.shopping.devdb.EmbeddedDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The V2 migration on rows as the version before it wrote them: idempotency records that kept an HTTP
 * status keep the outcome instead, in the same order, and read back as the same outcomes, in every row
 * (a deleted session's expired tombstone too, and a row holding both forms). The service reads only
 * outcomes: this is what makes that safe.
 */
class AppliedKeyMigrationTest {

    @Test
    void statusesBecomeOutcomes() throws Exception {
        String server = "jdbc:" + EmbeddedDatabase.startOnce();
        String database = "migration_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(server, "postgres", "postgres");
                Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + database);
        }
        String url = server.substring(0, server.lastIndexOf('/') + 1) + database;
        Flyway.configure().dataSource(url, "postgres", "postgres").target("1").load().migrate();

        String old = """
                [{"key":"k-create","fingerprint":"f1","status":201,"at":1763892000123},
                 {"key":"k-change","fingerprint":"f2","status":200,"at":1763892000124},
                 {"key":"k-delete","fingerprint":"f3","status":204,"at":1763892000125}]""";
        String mixed = """
                [{"key":"k-new","fingerprint":"f4","outcome":"changed","at":1763892000126},
                 {"key":"k-old","fingerprint":"f5","status":204,"at":1763892000127}]""";
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
                Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO session (store, key, version, status, created_at, updated_at, expires_at, document, applied_keys)"
                    + " VALUES ('demo', 'k7Qm2v9XcL0pRt4sWz', 3, 'open', now(), now(), now() + interval '1 day', '{}', '"
                    + old + "'), ('demo', 'noKeys00000000000000', 1, 'open', now(), now(), now() + interval '1 day', '{}', '[]'),"
                    + " ('demo', 'tombstone00000000000', 4, 'open', now(), now(), now() - interval '1 hour', '{}', '"
                    + mixed + "')");
        }

        Flyway.configure().dataSource(url, "postgres", "postgres").load().migrate();

        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT key, applied_keys::text FROM session ORDER BY key")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("k7Qm2v9XcL0pRt4sWz");
            String migrated = rows.getString(2);
            assertThat(migrated).doesNotContain("status");
            assertThat(DocumentCodec.readKeys(migrated)).containsExactly(
                    new AppliedKey("k-create", "f1", AppliedKey.Kind.CREATED, Instant.ofEpochMilli(1763892000123L)),
                    new AppliedKey("k-change", "f2", AppliedKey.Kind.CHANGED, Instant.ofEpochMilli(1763892000124L)),
                    new AppliedKey("k-delete", "f3", AppliedKey.Kind.DELETED, Instant.ofEpochMilli(1763892000125L)));
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(2)).isEqualTo("[]");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("tombstone00000000000");
            assertThat(rows.getString(2)).doesNotContain("status");
            assertThat(DocumentCodec.readKeys(rows.getString(2))).containsExactly(
                    new AppliedKey("k-new", "f4", AppliedKey.Kind.CHANGED, Instant.ofEpochMilli(1763892000126L)),
                    new AppliedKey("k-old", "f5", AppliedKey.Kind.DELETED, Instant.ofEpochMilli(1763892000127L)));
            assertThat(rows.next()).isFalse();
        }
    }
}
