package com.redfour.shopping.support;

import com.redfour.shopping.devdb.EmbeddedDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The PostgreSQL server the tests that start the packaged service use: the one named by the
 * {@code QUARKUS_DATASOURCE_*} variables when they are set, else the embedded server.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** The reactive URL of the database tests use (the embedded server unless one is configured). */
    public static String serverUrl() {
        String configured = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        return configured != null ? configured : EmbeddedDatabase.startOnce();
    }

    public static String username() {
        return System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
    }

    public static String password() {
        return System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    }

    /** A new, empty database on the test server; answers its reactive URL. */
    public static String fresh(String prefix) {
        String server = serverUrl();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection("jdbc:" + server, username(), password())) {
            connection.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return server.substring(0, server.lastIndexOf('/') + 1) + name;
    }
}
