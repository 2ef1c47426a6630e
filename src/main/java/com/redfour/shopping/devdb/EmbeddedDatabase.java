package com.redfour.shopping.devdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A throw-away PostgreSQL server for dev mode and tests, so that neither needs Docker nor an
 * installed database. Its library is a {@code provided} dependency: present in dev mode and tests,
 * absent from the packaged application, which never touches this class.
 */
public final class EmbeddedDatabase {

    /** JVM-wide, so that dev-mode restarts (new class loaders) reuse the one server. */
    private static final String URL_PROPERTY = "embedded-postgresql.url";

    private EmbeddedDatabase() {
    }

    /** Starts the server once per JVM; answers its reactive URL ({@code postgresql://…}). */
    public static synchronized String startOnce() {
        String url = System.getProperty(URL_PROPERTY);
        if (url != null) {
            return url;
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the server's files are in a temporary directory
                }
            }, "embedded-postgresql-stop"));
            url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
            System.setProperty(URL_PROPERTY, url);
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
        }
    }
}
