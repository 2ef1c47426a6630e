package com.redfour.shopping.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.redfour.shopping.deploy.Manifests.Workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests agree with each other and with the application: selectors find the API pods
 * (and not the purge job's), probes hit the health endpoints on real ports, every referenced
 * Secret and ConfigMap key exists, the pods are hardened, shutdown fits the grace period and
 * the heap fits the memory limit: through JVM options for the JVM workloads (the Deployment, the
 * base purge CronJob), on the command line for the native ones (the Knative Service, the migrate
 * Job, the purge CronJob as the Knative overlays patch it). Reads the source manifests (and applies
 * the Knative overlays' patch itself), so it needs no kubectl.
 */
class DeployCrossCheckTest {

    /** quarkus.shutdown.timeout agreed for the application, used when application.properties does not set it yet. */
    private static final Duration AGREED_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Memory the JVM used outside the heap under load (docs/deploy.md, "Memory"): ~113 MiB
     * committed (metaspace, code cache, threads, GC) plus ~50 MiB of mapped libraries.
     */
    private static final double MEASURED_NON_HEAP_MIB = 165;

    /**
     * The most heap in use after a collection under load with a webhook delivering and four event
     * streams open (docs/deploy.md, "Memory"): 26 MiB. The heap must hold four times that.
     */
    private static final double MEASURED_LIVE_HEAP_MIB = 26;

    /**
     * Memory the native executable needs beside its heap (docs/performance.md, "Native executable",
     * Memory): after the spread load it held 83 MiB with -Xmx32m, where the heap is no longer the main
     * part, so about 51 MiB are the executable itself; with -Xmx64m it held 86 MiB, peak 103 MiB.
     */
    private static final double MEASURED_NATIVE_NON_HEAP_MIB = 51;

    /**
     * The most of a native workload's memory limit its heap may take. A native executable does not
     * size its heap from the limit (it reads no cgroup limits), so a -Xmx above the limit would only
     * show as an OOM kill under load; half leaves room beside the measured need for what that load did
     * not exercise (webhook deliveries, event streams).
     */
    private static final double MAX_NATIVE_HEAP_SHARE_OF_LIMIT = 0.5;

    /** Overlay that patches the base purge CronJob for the native image the Knative overlays run. */
    private static final String KNATIVE_BASE = "overlays/knative/base-native/kustomization.yaml";

    /** Keys of the Secret "<cluster>-app" that CloudNativePG generates. */
    private static final Set<String> CNPG_APP_SECRET_KEYS = Set.of(
            "username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass");

    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/started", "/q/health/ready", "/q/health/live");

    private final Deployment deployment = Manifests.one("components/deployment/deployment.yaml", Deployment.class);
    private final Service service = Manifests.one("components/deployment/service.yaml", Service.class);
    private final PodDisruptionBudget pdb = Manifests.one("components/deployment/poddisruptionbudget.yaml", PodDisruptionBudget.class);
    private final NetworkPolicy networkPolicy = Manifests.one("components/deployment/networkpolicy.yaml", NetworkPolicy.class);
    private final NetworkPolicy knativeNetworkPolicy = Manifests.one("overlays/knative/networkpolicy.yaml", NetworkPolicy.class);
    private final HorizontalPodAutoscaler hpa = Manifests.one("overlays/kubernetes/horizontalpodautoscaler.yaml", HorizontalPodAutoscaler.class);
    private final CronJob purge = Manifests.one("base/purge-cronjob.yaml", CronJob.class);
    private final ConfigMap config = Manifests.one("base/configmap.yaml", ConfigMap.class);
    private final ServiceAccount serviceAccount = Manifests.one("base/serviceaccount.yaml", ServiceAccount.class);
    private final io.fabric8.knative.serving.v1.Service knative =
            Manifests.one("overlays/knative/knative-service.yaml", io.fabric8.knative.serving.v1.Service.class);

    private final Job migrate = Manifests.one("overlays/knative/migrate/migrate-job.yaml", Job.class);
    private final CronJob knativePurge = Manifests.patched("base/purge-cronjob.yaml", CronJob.class, KNATIVE_BASE);

    private final Workload api = Workload.of(deployment);
    private final Workload purgeJob = Workload.of(purge);
    private final Workload knativeApi = Workload.of(knative);
    private final Workload migrateJob = Workload.of(migrate);
    private final Workload knativePurgeJob = Workload.of(knativePurge).as("CronJob (Knative overlays)");
    /** Run on the JVM image: JVM options in JAVA_OPTS_APPEND, sized from the cgroup limit. */
    private final List<Workload> jvmWorkloads = List.of(api, purgeJob);
    /** Run on the native image: heap and processor count in their args. */
    private final List<Workload> nativeWorkloads = List.of(knativeApi, migrateJob, knativePurgeJob);
    private final List<Workload> workloads = List.of(api, purgeJob, knativeApi, migrateJob, knativePurgeJob);

    // --- selectors -------------------------------------------------------------------------------

    @Test
    void selectorsFindTheApiPodsAndNotThePurgeJob() {
        Map<String, String> apiPods = api.podLabels();
        Map<String, String> purgePods = purgeJob.podLabels();
        assertTrue(matches(deployment.getSpec().getSelector(), apiPods), "Deployment selector vs its own template");
        assertTrue(matchesLabels(service.getSpec().getSelector(), apiPods), "Service selector");
        assertFalse(matchesLabels(service.getSpec().getSelector(), purgePods), "Service would route to purge pods");
        assertTrue(matches(pdb.getSpec().getSelector(), apiPods), "PodDisruptionBudget selector");
        assertFalse(matches(pdb.getSpec().getSelector(), purgePods), "PodDisruptionBudget would count purge pods");
        assertTrue(matches(networkPolicy.getSpec().getPodSelector(), apiPods), "NetworkPolicy podSelector");
        assertTrue(matches(knativeNetworkPolicy.getSpec().getPodSelector(), knativeApi.podLabels()),
                "Knative NetworkPolicy podSelector");
        assertTrue(matches(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().get(0).getLabelSelector(),
                apiPods), "topologySpreadConstraints selector");
    }

    @Test
    void servicePortTargetsTheContainerPort() {
        Container app = api.containers().get(0);
        assertEquals(1, service.getSpec().getPorts().size());
        var port = service.getSpec().getPorts().get(0);
        assertTrue(portExists(app, port.getTargetPort().getStrVal(), port.getTargetPort().getIntVal()),
                "Service targetPort " + port.getTargetPort() + " is not a container port");
        assertEquals("TCP", port.getProtocol());
    }

    // --- autoscaling and disruption ----------------------------------------------------------------

    @Test
    void hpaScalesTheDeploymentOnCpuWithDampedScaleDown() {
        var target = hpa.getSpec().getScaleTargetRef();
        assertEquals("apps/v1", target.getApiVersion());
        assertEquals("Deployment", target.getKind());
        assertEquals(deployment.getMetadata().getName(), target.getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2, "at least two pods for availability");
        assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
        assertTrue(hpa.getSpec().getMaxReplicas() <= 20, "a sane upper bound");
        var metric = hpa.getSpec().getMetrics().get(0);
        assertEquals("Resource", metric.getType());
        assertEquals("cpu", metric.getResource().getName());
        assertEquals("Utilization", metric.getResource().getTarget().getType());
        int utilization = metric.getResource().getTarget().getAverageUtilization();
        assertTrue(utilization >= 50 && utilization <= 90, "CPU target " + utilization + "%");
        Integer window = hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds();
        assertNotNull(window, "scaleDown.stabilizationWindowSeconds");
        assertTrue(window >= 60 && window <= 3600, "scale-down window " + window + "s");
        assertNotNull(api.containers().get(0).getResources().getRequests().get("cpu"),
                "CPU utilization needs a CPU request");
        assertNull(deployment.getSpec().getReplicas(), "the HPA owns replicas; a fixed count would fight it on apply");
        int maxUnavailable = pdb.getSpec().getMaxUnavailable().getIntVal();
        assertTrue(maxUnavailable >= 1 && maxUnavailable < hpa.getSpec().getMinReplicas(),
                "PDB allows drains yet keeps a pod");
        assertNull(pdb.getSpec().getMinAvailable(), "PDB: maxUnavailable or minAvailable, not both");
    }

    @Test
    void poolSizeTimesMaxPodsFitsPostgresDefaultConnections() {
        int pool = Integer.parseInt(config.getData().get("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE"));
        int knativeMax = Integer.parseInt(knativeAnnotation("autoscaling.knative.dev/max-scale"));
        int maxPods = Math.max(hpa.getSpec().getMaxReplicas(), knativeMax);
        assertTrue(maxPods * pool + pool <= 100,
                maxPods + " pods x " + pool + " connections (+ the purge job) exceed PostgreSQL's default max_connections");
    }

    // --- Knative -----------------------------------------------------------------------------------

    @Test
    void knativeServiceScalesToZeroOnConcurrency() {
        assertEquals("0", knativeAnnotation("autoscaling.knative.dev/min-scale"));
        assertEquals("concurrency", knativeAnnotation("autoscaling.knative.dev/metric"));
        int target = Integer.parseInt(knativeAnnotation("autoscaling.knative.dev/target"));
        int maxScale = Integer.parseInt(knativeAnnotation("autoscaling.knative.dev/max-scale"));
        assertTrue(target >= 1 && target <= 1000, "concurrency target " + target);
        assertTrue(maxScale >= 1 && maxScale <= 20, "max-scale " + maxScale);
        long hardLimit = knative.getSpec().getTemplate().getSpec().getContainerConcurrency();
        assertTrue(hardLimit == 0 || hardLimit >= target, "containerConcurrency below the soft target");
        assertTrue(knative.getSpec().getTemplate().getSpec().getTimeoutSeconds() > 0);
        assertNull(knative.getSpec().getTemplate().getMetadata().getAnnotations()
                        .get("autoscaling.knative.dev/scale-to-zero-pod-retention-period"),
                "a native cold start takes tens of milliseconds: no idle pod kept for it (Knative's default)");
    }

    /**
     * The Knative Service runs the native image with the Deployment's configuration: the same
     * variables, ConfigMap, Secrets and hardening, apart from its cold-start settings and the JVM's
     * JAVA_OPTS_APPEND (the native executable takes its options as args). Its resources differ on
     * purpose: sized for the native executable.
     */
    @Test
    void knativeServiceRunsTheDeploymentsConfiguration() {
        Container k = knativeApi.containers().get(0);
        Container d = api.containers().get(0);
        assertEquals(d.getImage(), k.getImage(), "same image name; each overlay sets its tag");
        assertEquals(d.getEnvFrom(), k.getEnvFrom(), "same ConfigMap");
        Set<String> coldStart = Set.of("QUARKUS_FLYWAY_MIGRATE_AT_START", "QUARKUS_FLYWAY_ACTIVE",
                "QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER");
        assertEquals(d.getEnv().stream().filter(e -> !e.getName().equals("JAVA_OPTS_APPEND")).toList(),
                k.getEnv().stream().filter(e -> !coldStart.contains(e.getName())).toList(),
                "same variables and secrets, the cold-start settings and the JVM's options aside");
        assertEquals(Optional.empty(), env(k, "JAVA_OPTS_APPEND"), "a native executable ignores JAVA_OPTS_APPEND");
        assertTrue(d.getArgs().isEmpty(), "the Deployment serves: no args");
        assertEquals(d.getResources().getLimits().get("cpu"), k.getResources().getLimits().get("cpu"),
                "one CPU at most, as the Deployment");
        assertTrue(k.getResources().getLimits().get("memory").getNumericalAmount()
                        .compareTo(d.getResources().getLimits().get("memory").getNumericalAmount()) < 0,
                "the native executable is given less memory than the JVM");
        assertEquals(d.getSecurityContext(), k.getSecurityContext(), "same container hardening");
        assertEquals(api.serviceAccount(), knativeApi.serviceAccount());
        assertEquals(1, k.getPorts().size(), "Knative routes exactly one port");
        assertEquals("http1", k.getPorts().get(0).getName());
        assertEquals(d.getPorts().get(0).getContainerPort(), k.getPorts().get(0).getContainerPort());
        for (Probe p : probes(k).values()) {
            assertNull(p.getHttpGet().getPort(), "Knative probes the container port; a port here must match it");
        }
    }

    @Test
    void knativeServesWhatTheMigrateJobMigrated() throws IOException {
        Container k = knativeApi.containers().get(0);
        assertEquals(Optional.of("false"), env(k, "QUARKUS_FLYWAY_MIGRATE_AT_START"),
                "Knative pods leave the schema to the migrate Job: no Flyway on the cold-start path");
        assertEquals(Optional.empty(), env(api.containers().get(0), "QUARKUS_FLYWAY_MIGRATE_AT_START"),
                "the Deployment keeps the default: it migrates at start");
        assertEquals(Optional.of("false"), env(k, "QUARKUS_FLYWAY_ACTIVE"),
                "nor do they set Flyway up at start");
        assertEquals(Optional.empty(), env(api.containers().get(0), "QUARKUS_FLYWAY_ACTIVE"));
        assertEquals(Optional.of("true"), env(k, "QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER"),
                "Knative pods write the OpenAPI document per request, not at start");
        assertEquals(Optional.empty(), env(api.containers().get(0), "QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER"));

        Container job = migrateJob.containers().get(0);
        assertEquals(k.getImage(), job.getImage(), "same image as the Knative Service");
        assertEquals(with(k.getArgs(), "migrate"), job.getArgs(),
                "the Knative Service's runtime options, then the mode, appended to the image's entry point");
        assertTrue(job.getCommand().isEmpty(), "a command would replace the entry point");
        assertEquals(k.getEnvFrom(), job.getEnvFrom(), "same configuration");
        assertEquals(Optional.empty(), env(job, "QUARKUS_FLYWAY_ACTIVE"), "the Job is what migrates: its Flyway stays active");
        for (String name : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "REDFOUR_API_KEYS")) {
            assertEquals(k.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst(),
                    job.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst(), "the Job's " + name);
        }
        var spec = migrate.getSpec();
        assertEquals("Never", spec.getTemplate().getSpec().getRestartPolicy());
        assertNotNull(spec.getActiveDeadlineSeconds(), "a stuck migration must end");
        assertNotNull(spec.getBackoffLimit());
        assertNotNull(spec.getTtlSecondsAfterFinished(), "a finished Job must go, or the next release cannot apply it");
        assertTrue(job.getPorts().isEmpty() && job.getReadinessProbe() == null, "the job serves nothing");

        JsonNode overlay = Manifests.tree("overlays/knative/kustomization.yaml");
        JsonNode migration = Manifests.tree("overlays/knative/migrate/kustomization.yaml");
        assertEquals(overlay.path("images"), migration.path("images"), "the Job runs the image the Knative Service runs");
        assertEquals(overlay.path("namespace"), migration.path("namespace"));
        assertEquals(1, overlay.path("images").size());
        assertTrue(overlay.path("images").get(0).path("newTag").asText().endsWith("-native"),
                "Knative runs the native image (src/main/docker/Dockerfile.native)");
        JsonNode kubernetes = Manifests.tree("overlays/kubernetes/kustomization.yaml");
        assertFalse(kubernetes.path("images").get(0).path("newTag").asText().endsWith("-native"),
                "the Deployment and its purge CronJob stay on the JVM image");
        assertEquals(List.of("base-native", "knative-service.yaml", "networkpolicy.yaml"), texts(overlay.path("resources")),
                "the Knative overlay takes the base through base-native (its purge CronJob on the native image)");
        assertEquals(List.of("../base-native", "migrate-job.yaml"), texts(migration.path("resources")),
                "so does the migration, so that applying it leaves the same CronJob");
    }

    @Test
    void knativeProbesReadinessAggressively() {
        Probe readiness = probes(knativeApi.containers().get(0)).get("readiness");
        assertEquals(0, readiness.getPeriodSeconds(),
                "periodSeconds 0: the queue-proxy probes every 50 ms until ready instead of waiting for the next period");
    }

    /** Fields Knative Serving accepts without feature flags (its PodSpec and Container field masks). */
    @Test
    void knativeServiceUsesOnlyFieldsKnativeAccepts() {
        JsonNode spec = Manifests.tree("overlays/knative/knative-service.yaml").path("spec").path("template").path("spec");
        Set<String> podFields = Set.of("serviceAccountName", "containers", "volumes", "imagePullSecrets",
                "enableServiceLinks", "automountServiceAccountToken", "containerConcurrency", "timeoutSeconds",
                "responseStartTimeoutSeconds", "idleTimeoutSeconds");
        Set<String> containerFields = Set.of("name", "args", "command", "env", "workingDir", "envFrom", "image",
                "imagePullPolicy", "livenessProbe", "readinessProbe", "startupProbe", "ports", "resources",
                "securityContext", "terminationMessagePath", "terminationMessagePolicy", "volumeMounts");
        Set<String> rejected = new TreeSet<>();
        spec.fieldNames().forEachRemaining(f -> {
            if (!podFields.contains(f)) {
                rejected.add("spec.template.spec." + f);
            }
        });
        spec.path("containers").forEach(c -> c.fieldNames().forEachRemaining(f -> {
            if (!containerFields.contains(f)) {
                rejected.add("container." + f);
            }
        }));
        spec.path("volumes").forEach(v -> v.fieldNames().forEachRemaining(f -> {
            if (!Set.of("name", "emptyDir", "secret", "configMap", "projected").contains(f)) {
                rejected.add("volume." + f);
            }
        }));
        assertTrue(rejected.isEmpty(), "Knative's webhook would reject " + rejected);
        assertEquals("false", spec.path("automountServiceAccountToken").asText(), "Knative only accepts false here");
    }

    // --- probes, ports ----------------------------------------------------------------------------

    @Test
    void probesUseTheHealthEndpointsOnExistingPorts() {
        for (Workload w : List.of(api, knativeApi)) {
            Container app = w.containers().get(0);
            Map<String, Probe> probes = probes(app);
            assertEquals("/q/health/started", probes.get("startup").getHttpGet().getPath(), w + " startup");
            assertEquals("/q/health/ready", probes.get("readiness").getHttpGet().getPath(), w + " readiness");
            assertEquals("/q/health/live", probes.get("liveness").getHttpGet().getPath(), w + " liveness");
            for (var e : probes.entrySet()) {
                var get = e.getValue().getHttpGet();
                assertTrue(HEALTH_PATHS.contains(get.getPath()), w + " " + e.getKey());
                if (get.getPort() != null) {
                    assertTrue(portExists(app, get.getPort().getStrVal(), get.getPort().getIntVal()),
                            w + " " + e.getKey() + " probe port " + get.getPort() + " is not a container port");
                }
            }
            Probe startup = probes.get("startup");
            assertTrue(startup.getPeriodSeconds() * startup.getFailureThreshold() >= 60,
                    w + ": allow at least a minute for startup (Flyway may run then)");
            String port = env(app, "QUARKUS_HTTP_PORT").orElseThrow(() -> new AssertionError(w + " sets no QUARKUS_HTTP_PORT"));
            assertEquals(app.getPorts().get(0).getContainerPort(), Integer.valueOf(port),
                    w + ": QUARKUS_HTTP_PORT must equal the container port");
        }
    }

    // --- configuration references -------------------------------------------------------------------

    @Test
    void everyReferencedSecretAndConfigMapKeyExists() throws IOException {
        Map<String, Set<String>> secretKeys = new HashMap<>();
        for (var doc : Manifests.load(Manifests.K8S.resolve("base/secrets.template.yaml"))) {
            Secret s = (Secret) doc.model();
            secretKeys.put(s.getMetadata().getName(), s.getStringData().keySet());
        }
        String cnpgCluster = Manifests.tree("components/cloudnative-pg/cluster.yaml").path("metadata").path("name").asText();
        secretKeys.put(cnpgCluster + "-app", CNPG_APP_SECRET_KEYS);
        Map<String, Set<String>> configMapKeys = Map.of(config.getMetadata().getName(), config.getData().keySet());

        List<String> problems = new ArrayList<>();
        for (Workload w : workloads) {
            for (Container c : w.containers()) {
                for (var from : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null && !configMapKeys.containsKey(from.getConfigMapRef().getName())) {
                        problems.add(w + ": envFrom unknown ConfigMap " + from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null && !secretKeys.containsKey(from.getSecretRef().getName())) {
                        problems.add(w + ": envFrom unknown Secret " + from.getSecretRef().getName());
                    }
                }
                Set<String> names = new HashSet<>();
                for (EnvVar e : c.getEnv()) {
                    if (!names.add(e.getName())) {
                        problems.add(w + ": " + e.getName() + " set twice");
                    }
                    if (e.getValueFrom() == null) {
                        continue;
                    }
                    var secret = e.getValueFrom().getSecretKeyRef();
                    if (secret != null && !secretKeys.getOrDefault(secret.getName(), Set.of()).contains(secret.getKey())) {
                        problems.add(w + ": " + e.getName() + " -> Secret " + secret.getName() + "/" + secret.getKey());
                    }
                    var cm = e.getValueFrom().getConfigMapKeyRef();
                    if (cm != null && !configMapKeys.getOrDefault(cm.getName(), Set.of()).contains(cm.getKey())) {
                        problems.add(w + ": " + e.getName() + " -> ConfigMap " + cm.getName() + "/" + cm.getKey());
                    }
                }
                for (String required : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "REDFOUR_API_KEYS")) {
                    EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(required)).findFirst().orElse(null);
                    if (e == null || e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
                        problems.add(w + ": " + required + " must come from a Secret");
                    }
                }
                // components/cloudnative-pg patches entries 0 and 1 by index.
                if (!c.getEnv().get(0).getName().equals("QUARKUS_DATASOURCE_USERNAME")
                        || !c.getEnv().get(1).getName().equals("QUARKUS_DATASOURCE_PASSWORD")) {
                    problems.add(w + ": env[0], env[1] must be the database username and password");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // --- hardening -----------------------------------------------------------------------------------

    @Test
    void podsAreHardened() {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads) {
            if (!"redfour-sessions".equals(w.serviceAccount())) {
                problems.add(w + ": runs as " + w.serviceAccount() + ", not its own ServiceAccount");
            }
            if (!Boolean.FALSE.equals(w.automountToken()) && !Boolean.FALSE.equals(serviceAccount.getAutomountServiceAccountToken())) {
                problems.add(w + ": mounts an API token it never uses");
            }
            Set<String> emptyDirs = new HashSet<>();
            w.volumes().stream().filter(v -> v.getEmptyDir() != null).forEach(v -> emptyDirs.add(v.getName()));
            for (Container c : w.containers()) {
                SecurityContext sc = c.getSecurityContext();
                var pod = w.podSecurity();
                String who = w + "/" + c.getName();
                if (sc == null) {
                    problems.add(who + ": no securityContext");
                    continue;
                }
                boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || sc.getRunAsNonRoot() == null && pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
                if (!nonRoot) {
                    problems.add(who + ": runAsNonRoot");
                }
                if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    problems.add(who + ": readOnlyRootFilesystem");
                }
                if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    problems.add(who + ": allowPrivilegeEscalation must be false");
                }
                if (Boolean.TRUE.equals(sc.getPrivileged())) {
                    problems.add(who + ": privileged");
                }
                if (sc.getCapabilities() == null || !sc.getCapabilities().getDrop().contains("ALL")
                        || !sc.getCapabilities().getAdd().isEmpty()) {
                    problems.add(who + ": capabilities must drop ALL and add none");
                }
                String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                        : pod != null && pod.getSeccompProfile() != null ? pod.getSeccompProfile().getType() : null;
                if (!"RuntimeDefault".equals(seccomp)) {
                    problems.add(who + ": seccompProfile RuntimeDefault");
                }
                boolean tmp = c.getVolumeMounts().stream()
                        .anyMatch(m -> m.getMountPath().equals("/tmp") && emptyDirs.contains(m.getName()));
                if (!tmp) {
                    problems.add(who + ": read-only root needs an emptyDir at /tmp");
                }
                var res = c.getResources();
                for (String r : List.of("cpu", "memory")) {
                    Quantity req = res.getRequests().get(r);
                    Quantity lim = res.getLimits().get(r);
                    if (req == null || lim == null) {
                        problems.add(who + ": " + r + " request and limit");
                    } else if (req.getNumericalAmount().compareTo(lim.getNumericalAmount()) > 0) {
                        problems.add(who + ": " + r + " request above limit");
                    }
                }
                if (!"IfNotPresent".equals(c.getImagePullPolicy()) && !"Always".equals(c.getImagePullPolicy())) {
                    problems.add(who + ": imagePullPolicy " + c.getImagePullPolicy());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void deploymentSpreadsOverNodesAndRollsWithoutLosingCapacity() {
        var spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertEquals(1, spread.size());
        assertEquals("kubernetes.io/hostname", spread.get(0).getTopologyKey());
        assertEquals(1, spread.get(0).getMaxSkew());
        assertEquals("ScheduleAnyway", spread.get(0).getWhenUnsatisfiable(),
                "DoNotSchedule would leave pods pending on small clusters");
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    }

    // --- shutdown and memory ------------------------------------------------------------------------

    @Test
    void gracePeriodCoversPreStopDrainAndShutdownTimeout() throws IOException {
        Duration shutdown = configuredShutdownTimeout().orElse(AGREED_SHUTDOWN_TIMEOUT);
        Container app = api.containers().get(0);
        var preStop = app.getLifecycle().getPreStop();
        long drain;
        if (preStop.getSleep() != null) {
            drain = preStop.getSleep().getSeconds();
        } else {
            List<String> command = preStop.getExec().getCommand();
            assertEquals("sleep", command.get(0), "preStop sleeps while endpoints drain");
            drain = Long.parseLong(command.get(1));
        }
        assertTrue(drain >= 3 && drain <= 15, "preStop sleep " + drain + "s");
        long grace = api.gracePeriodSeconds();
        assertTrue(grace >= drain + shutdown.toSeconds() + 3,
                "terminationGracePeriodSeconds " + grace + " < preStop " + drain + "s + shutdown " + shutdown.toSeconds() + "s + margin");
        assertTrue(grace <= drain + shutdown.toSeconds() + 30, "grace period far longer than needed slows rollouts");
        assertTrue(purgeJob.gracePeriodSeconds() >= shutdown.toSeconds(), "purge job grace period");
    }

    @Test
    void heapLeavesRoomForTheRestOfTheJvmUnderTheMemoryLimit() {
        for (Workload w : jvmWorkloads) {
            Container c = w.containers().get(0);
            String opts = env(c, "JAVA_OPTS_APPEND").orElseThrow(() -> new AssertionError(w + " sets no JAVA_OPTS_APPEND"));
            Matcher m = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(opts);
            assertTrue(m.find(), w + ": heap must be sized relative to the limit");
            double percent = Double.parseDouble(m.group(1));
            assertTrue(percent <= 80, w + ": MaxRAMPercentage " + percent);
            assertFalse(opts.contains("-Xmx"), w + ": a fixed -Xmx ignores the memory limit");
            assertTrue(opts.contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
                    w + ": replacing the image's JAVA_OPTS_APPEND must keep the log manager");
            BigDecimal limitBytes = c.getResources().getLimits().get("memory").getNumericalAmount();
            double nonHeapMiB = limitBytes.doubleValue() * (100 - percent) / 100 / (1024 * 1024);
            assertTrue(nonHeapMiB >= MEASURED_NON_HEAP_MIB, w + ": only " + nonHeapMiB
                    + " MiB left outside the heap; measured need: " + MEASURED_NON_HEAP_MIB + " MiB");
            double heapMiB = limitBytes.doubleValue() * percent / 100 / (1024 * 1024);
            assertTrue(heapMiB >= 4 * MEASURED_LIVE_HEAP_MIB, w + ": a heap of " + heapMiB
                    + " MiB is less than four times the measured live heap (" + MEASURED_LIVE_HEAP_MIB + " MiB)");
            assertTrue(c.getArgs().stream().noneMatch(a -> a.startsWith("-")),
                    w + ": the JVM image's entry point hands args to the application, not to the JVM: " + c.getArgs());
        }
    }

    /**
     * A native executable reads no cgroup limits: without options it sizes its heap from the node's
     * memory and counts every CPU of the node. So each native workload gives exactly one -Xmx (in MiB,
     * at most {@link #MAX_NATIVE_HEAP_SHARE_OF_LIMIT} of its memory limit and leaving
     * {@link #MEASURED_NATIVE_NON_HEAP_MIB} beside it) and one -XX:ActiveProcessorCount (at most its CPU
     * limit, rounded up), before its mode, and no JAVA_OPTS_APPEND, which it would ignore.
     */
    @Test
    void nativeWorkloadsGiveHeapAndProcessorsOnTheCommandLine() {
        Map<Workload, List<String>> modes = Map.of(knativeApi, List.of(), migrateJob, List.of("migrate"),
                knativePurgeJob, List.of("purge"));
        Pattern heap = Pattern.compile("-Xmx(\\d+)m");
        Pattern processors = Pattern.compile("-XX:ActiveProcessorCount=(\\d+)");
        for (Workload w : nativeWorkloads) {
            Container c = w.containers().get(0);
            assertEquals(Optional.empty(), env(c, "JAVA_OPTS_APPEND"), w + ": a native executable ignores JAVA_OPTS_APPEND");
            assertTrue(c.getCommand().isEmpty(), w + ": a command would replace the entry point");
            List<String> args = c.getArgs();
            List<String> options = args.stream().filter(a -> a.startsWith("-")).toList();
            assertEquals(2, options.size(), w + ": exactly the heap and the processor count: " + args);
            assertEquals(options, args.subList(0, 2), w + ": options before the mode: " + args);
            assertEquals(modes.get(w), args.subList(2, args.size()), w + ": mode");
            Matcher xmx = heap.matcher(options.get(0));
            assertTrue(xmx.matches(), w + ": first the heap as -Xmx<MiB>m: " + options.get(0));
            Matcher count = processors.matcher(options.get(1));
            assertTrue(count.matches(), w + ": then -XX:ActiveProcessorCount=<n>: " + options.get(1));

            int cpus = Integer.parseInt(count.group(1));
            BigDecimal cpuLimit = c.getResources().getLimits().get("cpu").getNumericalAmount();
            int cpuLimitRoundedUp = cpuLimit.setScale(0, RoundingMode.CEILING).intValueExact();
            assertTrue(cpus >= 1 && cpus <= cpuLimitRoundedUp,
                    w + ": ActiveProcessorCount " + cpus + " against a CPU limit of " + cpuLimit);

            assertEquals(c.getResources().getLimits().get("memory"), c.getResources().getRequests().get("memory"),
                    w + ": memory request = limit (sized from the measurement, not burstable)");
            double heapMiB = Integer.parseInt(xmx.group(1));
            double limitMiB = c.getResources().getLimits().get("memory").getNumericalAmount().doubleValue() / (1024 * 1024);
            assertTrue(heapMiB <= MAX_NATIVE_HEAP_SHARE_OF_LIMIT * limitMiB, w + ": -Xmx" + (int) heapMiB
                    + "m is more than " + MAX_NATIVE_HEAP_SHARE_OF_LIMIT + " of the " + limitMiB + " MiB limit");
            assertTrue(limitMiB - heapMiB >= MEASURED_NATIVE_NON_HEAP_MIB, w + ": only " + (limitMiB - heapMiB)
                    + " MiB beside the heap; measured need: " + MEASURED_NATIVE_NON_HEAP_MIB + " MiB");
        }
        Container k = knativeApi.containers().get(0);
        for (Workload w : List.of(migrateJob, knativePurgeJob)) {
            Container c = w.containers().get(0);
            assertEquals(k.getArgs(), c.getArgs().subList(0, c.getArgs().size() - 1), w + ": the Knative Service's options");
            assertEquals(k.getResources().getLimits().get("memory"), c.getResources().getLimits().get("memory"),
                    w + ": memory as the Knative Service");
        }
    }

    /**
     * Every workload hands the C library's freed memory back to the system every few seconds (measured:
     * ~30 MiB less resident after load with the same throughput, docs/performance.md), and a real JVM
     * accepts every option the manifests give it: an option this JDK does not know stops the JVM before
     * it serves anything, and nothing else here would notice.
     */
    @Test
    void everyWorkloadsJvmOptionsStartARealJvm() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (Workload w : jvmWorkloads) {
            String opts = env(w.containers().get(0), "JAVA_OPTS_APPEND").orElseThrow();
            Matcher trim = Pattern.compile("-XX:TrimNativeHeapInterval=(\\d+)").matcher(opts);
            assertTrue(trim.find() && Long.parseLong(trim.group(1)) > 0 && Long.parseLong(trim.group(1)) <= 60_000,
                    w + ": the native heap is trimmed at least once a minute");
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(List.of(opts.trim().split("\\s+")));
            command.add("-version");
            Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, jvm.waitFor(), w + ": " + command + " failed:\n" + output);
        }
    }

    // --- purge ------------------------------------------------------------------------------------

    @Test
    void purgeCronJobRunsTheSameImageInPurgeMode() {
        Container job = purgeJob.containers().get(0);
        assertEquals(api.containers().get(0).getImage(), job.getImage(), "same image as the API");
        assertEquals(List.of("purge"), job.getArgs(), "args append to the image's entry point");
        assertTrue(job.getCommand().isEmpty(), "a command would replace the entry point");
        assertEquals(api.containers().get(0).getEnvFrom(), job.getEnvFrom(), "same configuration");
        assertEquals("Forbid", purge.getSpec().getConcurrencyPolicy());
        assertTrue(purge.getSpec().getSchedule().trim().split("\\s+").length == 5, "five-field schedule");
        var jobSpec = purge.getSpec().getJobTemplate().getSpec();
        assertTrue(Set.of("Never", "OnFailure").contains(jobSpec.getTemplate().getSpec().getRestartPolicy()));
        assertNotNull(jobSpec.getActiveDeadlineSeconds(), "a stuck purge must end");
        assertNotNull(jobSpec.getBackoffLimit());
        assertTrue(job.getPorts().isEmpty() && job.getReadinessProbe() == null, "the job serves nothing");
        assertTrue(config.getData().containsKey("REDFOUR_PURGE_BATCH_SIZE"));
    }

    /**
     * Under the Knative overlays the base CronJob runs the native image: its patch changes the args,
     * drops JAVA_OPTS_APPEND and sizes the memory, and nothing else.
     */
    @Test
    void knativePurgeCronJobIsTheBaseOnTheNativeImage() {
        Container base = purgeJob.containers().get(0);
        Container patched = knativePurgeJob.containers().get(0);
        assertEquals(with(knativeApi.containers().get(0).getArgs(), "purge"), patched.getArgs(),
                "the Knative Service's runtime options, then the mode");
        assertEquals(base.getEnv().stream().filter(e -> !e.getName().equals("JAVA_OPTS_APPEND")).toList(), patched.getEnv(),
                "the base's variables without the JVM's options");
        assertEquals(base.getResources().getRequests().get("cpu"), patched.getResources().getRequests().get("cpu"));
        assertEquals(base.getResources().getLimits().get("cpu"), patched.getResources().getLimits().get("cpu"));
        CronJob expected = Manifests.one("base/purge-cronjob.yaml", CronJob.class);
        Container expectedContainer = expected.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        expectedContainer.setArgs(patched.getArgs());
        expectedContainer.setEnv(patched.getEnv());
        expectedContainer.setResources(patched.getResources());
        assertEquals(expected, knativePurge, "the patch changes args, env and resources only");
    }

    // --- network -------------------------------------------------------------------------------------

    @Test
    void networkPolicyAdmitsOnlyTheStorefrontAndMonitoringOnTheHttpPort() {
        assertEquals(List.of("Ingress"), networkPolicy.getSpec().getPolicyTypes());
        assertEquals(1, networkPolicy.getSpec().getIngress().size());
        var rule = networkPolicy.getSpec().getIngress().get(0);
        assertEquals(2, rule.getFrom().size());
        NetworkPolicyPeer storefront = rule.getFrom().get(0);
        NetworkPolicyPeer monitoring = rule.getFrom().get(1);
        assertEquals(Map.of("app.kubernetes.io/name", "storefront"), storefront.getPodSelector().getMatchLabels());
        assertNull(storefront.getNamespaceSelector(), "storefront pods of this namespace only");
        assertEquals(Map.of("kubernetes.io/metadata.name", "monitoring"), monitoring.getNamespaceSelector().getMatchLabels());
        assertNull(monitoring.getPodSelector());
        assertEquals(1, rule.getPorts().size());
        var port = rule.getPorts().get(0);
        assertEquals("TCP", port.getProtocol());
        Container app = api.containers().get(0);
        assertTrue(portExists(app, port.getPort().getStrVal(), port.getPort().getIntVal()));
        assertEquals(8080, port.getPort().getIntVal());
        for (var knativeRule : knativeNetworkPolicy.getSpec().getIngress()) {
            for (var peer : knativeRule.getFrom()) {
                assertNotNull(peer.getNamespaceSelector(), "Knative: admit by namespace (activator, ingress, monitoring)");
                assertNull(peer.getPodSelector());
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private String knativeAnnotation(String key) {
        String value = knative.getSpec().getTemplate().getMetadata().getAnnotations().get(key);
        assertNotNull(value, "Knative revision annotation " + key);
        return value;
    }

    private static Map<String, Probe> probes(Container c) {
        Map<String, Probe> probes = new HashMap<>();
        probes.put("startup", c.getStartupProbe());
        probes.put("readiness", c.getReadinessProbe());
        probes.put("liveness", c.getLivenessProbe());
        probes.forEach((k, v) -> {
            assertNotNull(v, c.getName() + ": no " + k + " probe");
            assertNotNull(v.getHttpGet(), c.getName() + ": " + k + " probe is not an HTTP GET");
        });
        return probes;
    }

    private static List<String> with(List<String> first, String last) {
        List<String> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }

    private static List<String> texts(JsonNode list) {
        List<String> texts = new ArrayList<>();
        list.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Optional<String> env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
    }

    private static boolean portExists(Container c, String name, Integer number) {
        for (ContainerPort p : c.getPorts()) {
            if (name != null && name.equals(p.getName()) || number != null && number.equals(p.getContainerPort())) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesLabels(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(),
                "matchExpressions are not evaluated by this test");
        return matchesLabels(selector.getMatchLabels(), labels);
    }

    /** quarkus.shutdown.timeout (or its %prod. form) from application.properties, once the application sets it. */
    static Optional<Duration> configuredShutdownTimeout() throws IOException {
        var file = Manifests.ROOT.resolve("src/main/resources/application.properties");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Pattern line = Pattern.compile("^\\s*(?:%prod\\.)?quarkus\\.shutdown\\.timeout\\s*[=:]\\s*(\\S+)\\s*$");
        for (String l : Files.readAllLines(file)) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                return Optional.of(parseQuarkusDuration(m.group(1)));
            }
        }
        return Optional.empty();
    }

    /** Quarkus durations: ISO-8601 ("PT20S"), a number of seconds ("20"), or a number with a unit ("20s", "500ms"). */
    static Duration parseQuarkusDuration(String value) {
        String v = value.trim();
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.matches("\\d+ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.matches("\\d+[smhd]")) {
            return Duration.parse((v.endsWith("d") ? "P" : "PT") + v.toUpperCase(Locale.ROOT));
        }
        return Duration.parse(v.toUpperCase(Locale.ROOT));
    }
}
