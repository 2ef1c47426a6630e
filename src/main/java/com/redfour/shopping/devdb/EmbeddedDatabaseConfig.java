package com.redfour.shopping.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * In dev mode with no datasource configured, points the application at an embedded PostgreSQL
 * (started on first use). Anything configured explicitly wins; in any other profile it does nothing.
 */
public class EmbeddedDatabaseConfig implements ConfigSourceFactory {

    private static final int ORDINAL = 200; // below application.properties (250) and the environment (300)

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean dev = context.getProfiles().contains("dev");
        boolean configured = context.getValue("quarkus.datasource.reactive.url").getValue() != null;
        if (!dev || configured || !EmbeddedDatabase.available()) {
            return List.of();
        }
        String url = EmbeddedDatabase.startOnce();
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.reactive.url", url,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgresql", ORDINAL));
    }
}
