package com.redfour.shopping.support;

import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Another replica, as far as a session row can tell: it writes the row directly in the database
 * (taking the next version), so the service's version checks fail and its retries have to do the work.
 */
public final class Rival implements AutoCloseable {

    // Another replica's change takes the next version (what it changed matters not here; its log
    // entries would go to session_log, which no version check looks at).
    private static final String WRITE = """
            UPDATE session
               SET version = version + 1
             WHERE store = ? AND key = ?
            """;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong writes = new AtomicLong();
    private final Thread thread;

    private Rival(String store, String key) {
        thread = new Thread(() -> run(store, key), "rival-replica");
    }

    /** Starts writing {@code store/key} as fast as it can, until closed. */
    public static Rival start(String store, String key) {
        Rival rival = new Rival(store, key);
        rival.thread.start();
        return rival;
    }

    private void run(String store, String key) {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres");
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        try (Connection db = DriverManager.getConnection(url, user, password);
                PreparedStatement write = db.prepareStatement(WRITE)) {
            write.setString(1, store);
            write.setString(2, key);
            while (running.get()) {
                writes.addAndGet(write.executeUpdate());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the rival replica could not write", e);
        }
    }

    /** How many writes the rival made (valid once closed). */
    public long writes() {
        return writes.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
