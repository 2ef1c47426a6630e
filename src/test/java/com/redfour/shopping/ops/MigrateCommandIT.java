package com.redfour.shopping.ops;

import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged application's {@code migrate} command, as a Kubernetes Job runs it before pods that
 * serve with {@code QUARKUS_FLYWAY_MIGRATE_AT_START=false}: on an empty database it creates the
 * schema and exits 0, and a server started afterwards with migration at start turned off serves.
 */
class MigrateCommandIT {

    @Test
    void migrateThenServeWithoutMigratingAtStart() {
        String database = TestDatabase.fresh("migrate_it");
        int migrations = migrationsInTheBuild();
        int version = highestVersionInTheBuild(); // versions may have gaps while parallel branches land

        // The Job shares the serving pods' environment, migrate-at-start=false included.
        PackagedApp.Finished migrate = PackagedApp.on(database)
                .env("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                .run("migrate", Duration.ofSeconds(120));
        assertThat(migrate.exited()).as("migrate exited within 120 s; output:%n%s", migrate.output()).isTrue();
        assertThat(migrate.exitCode()).as(migrate.output()).isZero();
        assertThat(migrate.output()).contains("migrate applied " + migrations + " migrations; schema version " + version);

        // Again: nothing left to do, still 0.
        PackagedApp.Finished again = PackagedApp.on(database)
                .env("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                .run("migrate", Duration.ofSeconds(120));
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("migrate applied 0 migrations; schema version " + version);

        try (PackagedApp.Serving server = PackagedApp.on(database)
                .env("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                .serve("serve-after-migrate")) {
            assertThat(server.firstPut(Duration.ofSeconds(90)).status()).as(server.output()).isEqualTo(201);
            // Flyway did not run at start (it logs the database it connects to when it does).
            assertThat(server.output()).doesNotContain("org.flywaydb");
        }
    }

    /** How many versioned migrations the build carries (V1__…, V2__…). */
    private static int highestVersionInTheBuild() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src", "main", "resources", "db", "migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElse(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int migrationsInTheBuild() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src", "main", "resources", "db", "migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
