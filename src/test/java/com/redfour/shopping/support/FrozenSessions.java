package com.redfour.shopping.support;

import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sessions whose row no write can change while they are frozen, as if another replica won every race
 * for them: a trigger in the database cancels each update of a frozen row, so the service's versioned
 * write finds its version check failed on every attempt, runs out of retries and answers 409
 * {@code version-conflict}. Unlike {@link Rival}, every request loses, so one request is enough.
 */
public final class FrozenSessions implements AutoCloseable {

    private static final String INSTALL = """
            CREATE TABLE IF NOT EXISTS test_frozen_session (store text NOT NULL, key text NOT NULL, PRIMARY KEY (store, key));
            CREATE OR REPLACE FUNCTION test_frozen_session() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM test_frozen_session f WHERE f.store = OLD.store AND f.key = OLD.key) THEN
                    RETURN NULL;
                END IF;
                RETURN NEW;
            END $$;
            DROP TRIGGER IF EXISTS test_frozen_session ON session;
            CREATE TRIGGER test_frozen_session BEFORE UPDATE ON session FOR EACH ROW EXECUTE FUNCTION test_frozen_session();
            """;
    private static final String UNINSTALL = """
            DROP TRIGGER IF EXISTS test_frozen_session ON session;
            DROP FUNCTION IF EXISTS test_frozen_session();
            DROP TABLE IF EXISTS test_frozen_session;
            """;

    private final Connection db;

    private FrozenSessions(Connection db) {
        this.db = db;
    }

    /** Installs the trigger in the test database; {@link #close()} removes it again. */
    public static FrozenSessions install() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres"),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        try (Statement statement = db.createStatement()) {
            statement.execute(INSTALL);
        }
        return new FrozenSessions(db);
    }

    /** From now on, no write changes the row of {@code store/key}. */
    public void freeze(String store, String key) throws SQLException {
        run("INSERT INTO test_frozen_session (store, key) VALUES (?, ?) ON CONFLICT DO NOTHING", store, key);
    }

    public void thaw(String store, String key) throws SQLException {
        run("DELETE FROM test_frozen_session WHERE store = ? AND key = ?", store, key);
    }

    private void run(String sql, String store, String key) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, store);
            statement.setString(2, key);
            statement.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        try (db; Statement statement = db.createStatement()) {
            statement.execute(UNINSTALL);
        }
    }
}
