package com.redfour.shopping.deploy;

import com.redfour.shopping.support.Packaged;
import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.redfour.shopping.deploy.Manifests.Workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Knative manifests' native options held against a real start of the native executable, each
 * run as Kubernetes runs the image (the entry point's own arguments from Dockerfile.native, then the
 * container's args): the migrate Job's args migrate a fresh database, the Knative Service's args and
 * environment answer the storefront's first {@code PUT} with Flyway inactive, and the purge CronJob as
 * the Knative overlays render it purges. Skipped, with a message, unless the build is native.
 */
class DeployCrossCheckIT {

    private static final String KNATIVE_BASE = "overlays/knative/base-native/kustomization.yaml";

    /** Variables the manifests take from Secrets; {@link PackagedApp} gives them test values. */
    private static final Set<String> FROM_SECRETS = Set.of(
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "REDFOUR_API_KEYS");

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(120);
    private static final Duration FIRST_PUT_LIMIT = Duration.ofSeconds(60);

    @Test
    void knativeManifestsRunTheNativeExecutable() throws IOException {
        Packaged.assumeNative("DeployCrossCheckIT");
        Container service = Workload.of(Manifests.one("overlays/knative/knative-service.yaml",
                io.fabric8.knative.serving.v1.Service.class)).containers().get(0);
        Container migrate = Workload.of(Manifests.one("overlays/knative/migrate/migrate-job.yaml", Job.class)).containers().get(0);
        Container purge = Workload.of(Manifests.patched("base/purge-cronjob.yaml", CronJob.class, KNATIVE_BASE)).containers().get(0);
        ConfigMap config = Manifests.one("base/configmap.yaml", ConfigMap.class);
        List<String> entryPoint = DeployPackagingTest.entrypoint(DeployPackagingTest.dockerfile("Dockerfile.native"));
        assertEquals("./application", entryPoint.get(0), "Dockerfile.native starts the executable");
        String database = TestDatabase.fresh("deploy_it");

        PackagedApp.Finished migrated = as(migrate, config, database)
                .run(arguments(entryPoint, migrate), "deploy-migrate", COMMAND_LIMIT);
        assertTrue(migrated.exited(), "migrate did not exit within " + COMMAND_LIMIT + ":\n" + migrated.output());
        assertEquals(0, migrated.exitCode(), migrated.output());
        assertTrue(migrated.output().contains("migrate applied "), migrated.output());
        assertTrue(migrated.output().contains("org.flywaydb"), "Flyway's log lines, which the server below must not print");

        try (PackagedApp.Serving server = as(service, config, database)
                .serve(arguments(entryPoint, service), "deploy-knative-service")) {
            PackagedApp.Answered first = server.firstPut(FIRST_PUT_LIMIT);
            assertEquals(201, first.status(), server.output());
            System.out.printf("DeployCrossCheckIT: first answered PUT %d ms after exec (native executable, args %s)%n",
                    first.afterStart().toMillis(), service.getArgs());
            // Flyway logs the database it connects to when it starts (as the migrate run did); with the
            // Service's QUARKUS_FLYWAY_MIGRATE_AT_START=false and QUARKUS_FLYWAY_ACTIVE=false it must not.
            // (The log cannot tell an inactive Flyway from an active one that does not migrate at start;
            // DeployCrossCheckTest holds the manifest's value.)
            assertFalse(server.output().contains("org.flywaydb"), "Flyway started:\n" + server.output());
            assertFalse(server.output().contains("Flyway"), "Flyway started:\n" + server.output());
        }

        PackagedApp.Finished purged = as(purge, config, database)
                .run(arguments(entryPoint, purge), "deploy-purge", COMMAND_LIMIT);
        assertTrue(purged.exited(), "purge did not exit within " + COMMAND_LIMIT + ":\n" + purged.output());
        assertEquals(0, purged.exitCode(), purged.output());
        assertTrue(purged.output().contains("purge deleted"), purged.output());
    }

    /**
     * The packaged executable configured as the container is: the ConfigMap's values and the
     * container's literal variables, with the test database in place of the ConfigMap's URL, test
     * values for what comes from Secrets, and a free HTTP port.
     */
    private static PackagedApp as(Container container, ConfigMap config, String database) {
        PackagedApp app = PackagedApp.on(database);
        config.getData().forEach((name, value) -> {
            if (!name.equals("QUARKUS_DATASOURCE_REACTIVE_URL")) {
                app.env(name, value);
            }
        });
        Set<String> fromSecrets = new TreeSet<>();
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() != null) {
                fromSecrets.add(e.getName());
            } else if (!e.getName().equals("QUARKUS_HTTP_PORT")) {
                app.env(e.getName(), e.getValue());
            }
        }
        assertEquals(FROM_SECRETS, fromSecrets, container.getName() + ": the variables from Secrets this test replaces");
        return app;
    }

    /** What follows the executable: the entry point's own arguments, then the container's args. */
    private static List<String> arguments(List<String> entryPoint, Container container) {
        List<String> arguments = new ArrayList<>(entryPoint.subList(1, entryPoint.size()));
        arguments.addAll(container.getArgs());
        return arguments;
    }
}
