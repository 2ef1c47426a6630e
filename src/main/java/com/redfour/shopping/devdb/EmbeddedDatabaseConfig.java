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

    /**
     * Called reflectively so that nothing reachable from this factory (which is registered in every
     * build) names the embedded server's library: a native image, built without that library, then
     * never has to resolve it.
     */
    /** Whether the embedded server's library is on the class path (dev mode and tests only). */
    private static boolean libraryPresent() {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
                    EmbeddedDatabaseConfig.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String startEmbeddedDatabase() {
        try {
            return (String) Class.forName("com.redfour.shopping.devdb.EmbeddedDatabase")
                    .getMethod("startOnce").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL server", e);
        }
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean dev = context.getProfiles().contains("dev");
        boolean configured = context.getValue("quarkus.datasource.reactive.url").getValue() != null;
        if (!dev || configured || !libraryPresent()) {
            return List.of();
        }
        String url = startEmbeddedDatabase();
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.reactive.url", url,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgresql", ORDINAL));
    }
}
