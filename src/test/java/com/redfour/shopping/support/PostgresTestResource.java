package com.redfour.shopping.support;

import com.redfour.shopping.devdb.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The real PostgreSQL every test runs against: the one named by {@code QUARKUS_DATASOURCE_*}
 * variables when they are set, else an embedded server started once for the whole test run.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        if (System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null) {
            return Map.of("redfour.api.keys", Api.KEYS);
        }
        String url = EmbeddedDatabase.startOnce();
        return Map.of(
                // the packaged application (integration tests) runs in the prod profile: give it the demo key
                "redfour.api.keys", Api.KEYS,
                "quarkus.datasource.reactive.url", url,
                "quarkus.datasource.jdbc.url", "jdbc:" + url,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // One server serves every test class; it stops with the JVM.
    }
}
