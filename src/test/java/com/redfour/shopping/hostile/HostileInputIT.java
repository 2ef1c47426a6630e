package com.redfour.shopping.hostile;

import com.redfour.shopping.support.ServerLog;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HostileInputTest} against the packaged application (the jar; the native executable where one
 * is built). The server runs in another process, so what it logged is read from its log file.
 */
@QuarkusIntegrationTest
class HostileInputIT extends HostileInputTest {

    private static ServerLog log;

    @BeforeAll
    static void markTheServerLog() {
        log = ServerLog.markEnd();
    }

    @AfterAll
    static void nothingEscapedIntoThePackagedServersLog() {
        List<String> errors = log.errorsSinceMark();
        assertEquals(List.of(), errors, "errors the hostile requests caused on the packaged server");
    }
}
