package com.redfour.shopping.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On Linux x86-64 the HTTP server and the PostgreSQL client run on Netty's native epoll transport
 * ({@code quarkus.vertx.prefer-native-transport} and the {@code netty-transport-native-epoll} jar):
 * about 12 % less JVM CPU per change than Java NIO in one side-by-side run (docs/performance.md).
 * Elsewhere Vert.x falls back to NIO.
 */
@QuarkusTest
class NativeTransportTest {

    @Inject
    Vertx vertx;

    @Test
    void linuxX64RunsOnEpoll() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the native transport is shipped for Linux x86-64 only; this is " + os + " " + arch);
        assertThat(vertx.isNativeTransportEnabled())
                .as("native transport (unavailability cause: %s)", vertx.unavailableNativeTransportCause())
                .isTrue();
    }
}
