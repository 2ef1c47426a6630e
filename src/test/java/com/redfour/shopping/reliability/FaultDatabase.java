package com.redfour.shopping.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that a fault test owns and may stop and start again: zonky's embedded
 * binaries on a fixed data directory and port, so a restart finds the same data at the same
 * address, exactly as a service sees a database that went away and came back.
 */
final class FaultDatabase implements AutoCloseable {

    private final Path dataDirectory;
    private final Path log;
    private final int port;
    private EmbeddedPostgres server;

    private FaultDatabase(Path dataDirectory, Path log, int port) {
        this.dataDirectory = dataDirectory;
        this.log = log;
        this.port = port;
    }

    /** A new server (fresh data directory under {@code target/}) on a free port, started. */
    static FaultDatabase startNew(String name) {
        try {
            Path parent = Files.createDirectories(Path.of("target", "fault-databases"));
            Path directory = Files.createTempDirectory(parent, name + "-");
            Files.delete(directory); // zonky runs initdb only where there is no cluster yet
            Path log = Files.createDirectories(Path.of("target", "fault-logs")).resolve(name + "-postgresql.log");
            Files.deleteIfExists(log);
            FaultDatabase database = new FaultDatabase(directory.toAbsolutePath(), log.toAbsolutePath(), freePort());
            database.start();
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server on the same data directory and port; answers once it accepts connections. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "100")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fault-test PostgreSQL", e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: sessions are terminated, then it refuses connections). */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    String reactiveUrl() {
        return "postgresql://localhost:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
    }

    /** How many statements are waiting for a lock right now (seen from a connection of its own). */
    int statementsWaitingOnLocks() {
        try (Connection c = connect();
                java.sql.ResultSet rows = c.createStatement().executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes an ACCESS EXCLUSIVE lock on the session table in a transaction of its own, so that every
     * statement on it waits; closing the answer releases the lock.
     */
    AutoCloseable lockSessionTable() throws SQLException {
        Connection c = connect();
        c.setAutoCommit(false);
        c.createStatement().execute("LOCK TABLE session IN ACCESS EXCLUSIVE MODE");
        return () -> {
            try (c) {
                c.rollback();
            }
        };
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // already gone, or left for mvn clean
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
