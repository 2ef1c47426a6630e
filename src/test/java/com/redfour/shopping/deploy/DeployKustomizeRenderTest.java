package com.redfour.shopping.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders every overlay with {@code kubectl kustomize} (skipped, with a message, where kubectl is
 * not on the PATH) and checks what each would apply: the expected kinds and no others, every
 * rendered document valid for its model, one namespace, one pushed image everywhere, and the purge
 * CronJob on the JVM image's options under plain Kubernetes and on the native image's under Knative.
 */
class DeployKustomizeRenderTest {

    private static final String NAMESPACE = "redfour";
    private static final String IMAGE_PLACEHOLDER = "redfour/shopping-sessions";

    private static final Set<String> SHARED = Set.of(
            "v1/ConfigMap", "v1/ServiceAccount", "batch/v1/CronJob", "networking.k8s.io/v1/NetworkPolicy");
    private static final Set<String> PLAIN = union(SHARED, Set.of(
            "apps/v1/Deployment", "v1/Service", "policy/v1/PodDisruptionBudget", "autoscaling/v2/HorizontalPodAutoscaler"));
    private static final Set<String> KNATIVE = union(SHARED, Set.of("serving.knative.dev/v1/Service"));

    private static final String KUBECTL = onPath("kubectl");

    private static final String BASE_PURGE = "base/purge-cronjob.yaml";
    private static final String KNATIVE_BASE = "overlays/knative/base-native/kustomization.yaml";

    @BeforeAll
    static void sayWhenSkipped() {
        if (KUBECTL == null) {
            System.err.println("[deploy] kubectl is not on the PATH: kustomize rendering of k8s/overlays is skipped");
        }
    }

    @BeforeEach
    void needKubectl() {
        assumeTrue(KUBECTL != null, "kubectl is not on the PATH: kustomize rendering of k8s/overlays is not checked");
    }

    @Test
    void kubernetesOverlayShipsTheDeploymentSetAndNoKnative() throws Exception {
        List<Manifests.Document> docs = render(Manifests.K8S.resolve("overlays/kubernetes"));
        assertEquals(PLAIN, kinds(docs));
        assertCommon(docs);
        Deployment d = only(docs, Deployment.class);
        assertEquals("redfour-sessions-db", secretOf(d.getSpec().getTemplate().getSpec().getContainers().get(0), 0));
        assertEquals(rendered(Manifests.one(BASE_PURGE, CronJob.class), docs), only(docs, CronJob.class),
                "the base purge CronJob as it is: JVM image, JAVA_OPTS_APPEND, args [purge]");
    }

    @Test
    void knativeOverlayShipsAKnativeServiceInsteadOfDeploymentServiceAndHpa() throws Exception {
        List<Manifests.Document> docs = render(Manifests.K8S.resolve("overlays/knative"));
        assertEquals(KNATIVE, kinds(docs));
        assertCommon(docs);
        assertEquals(rendered(Manifests.patched(BASE_PURGE, CronJob.class, KNATIVE_BASE), docs), only(docs, CronJob.class),
                "kustomize patches the purge CronJob as DeployCrossCheckTest checks it (native options, no JAVA_OPTS_APPEND)");
        assertPurgeTakesTheServicesOptions(docs);
    }

    @Test
    void knativeMigrationShipsTheBaseAndTheMigrateJobOnTheKnativeImage() throws Exception {
        List<Manifests.Document> docs = render(Manifests.K8S.resolve("overlays/knative/migrate"));
        assertEquals(Set.of("v1/ConfigMap", "v1/ServiceAccount", "batch/v1/CronJob", "batch/v1/Job"), kinds(docs));
        assertCommon(docs);
        Set<String> knativeImages = new TreeSet<>();
        render(Manifests.K8S.resolve("overlays/knative")).forEach(d -> collectImages(d.tree(), knativeImages));
        Set<String> migrateImages = new TreeSet<>();
        docs.forEach(d -> collectImages(d.tree(), migrateImages));
        assertEquals(knativeImages, migrateImages, "the migration runs the image the Knative Service runs");
        assertEquals(only(render(Manifests.K8S.resolve("overlays/knative")), CronJob.class), only(docs, CronJob.class),
                "applying the migration leaves the purge CronJob as the Knative overlay applies it");
    }

    @Test
    void cloudNativePgOverlayPointsTheAppAndThePurgeAtTheCluster() throws Exception {
        List<Manifests.Document> docs = render(Manifests.K8S.resolve("overlays/cloudnative-pg"));
        assertEquals(union(PLAIN, Set.of(Manifests.CNPG_CLUSTER)), kinds(docs));
        assertCommon(docs);
        assertPointsAtCluster(docs, only(docs, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0));
    }

    /** The component also composes with the Knative overlay, as docs/deploy.md describes. */
    @Test
    void cloudNativePgComponentAlsoWorksWithKnative(@TempDir Path tmp) throws Exception {
        // kustomize only loads paths below a kustomization's root: build the combination in a copy.
        Path copy = tmp.resolve("k8s");
        try (Stream<Path> files = Files.walk(Manifests.K8S)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(Manifests.K8S.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        // What docs/deploy.md says to do: add the component to overlays/knative.
        Path combined = copy.resolve("overlays/knative");
        Files.writeString(combined.resolve("kustomization.yaml"),
                "components:\n  - ../../components/cloudnative-pg\n", StandardOpenOption.APPEND);
        List<Manifests.Document> docs = render(combined);
        assertEquals(union(KNATIVE, Set.of(Manifests.CNPG_CLUSTER)), kinds(docs));
        assertCommon(docs);
        var ksvc = only(docs, io.fabric8.knative.serving.v1.Service.class);
        assertPointsAtCluster(docs, ksvc.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertPurgeTakesTheServicesOptions(docs);
    }

    /** The rendered purge CronJob runs with the rendered Knative Service's runtime options, then {@code purge}. */
    private static void assertPurgeTakesTheServicesOptions(List<Manifests.Document> docs) {
        List<String> expected = new ArrayList<>(only(docs, io.fabric8.knative.serving.v1.Service.class)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        expected.add("purge");
        Container purge = only(docs, CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(expected, purge.getArgs());
        assertTrue(purge.getEnv().stream().noneMatch(e -> e.getName().equals("JAVA_OPTS_APPEND")), "no JAVA_OPTS_APPEND");
    }

    /** {@code source} as an overlay renders it: in the overlay's namespace, on the image the rendered workloads run. */
    private static CronJob rendered(CronJob source, List<Manifests.Document> docs) {
        Set<String> images = new TreeSet<>();
        docs.forEach(d -> collectImages(d.tree(), images));
        source.getMetadata().setNamespace(NAMESPACE);
        source.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).setImage(images.iterator().next());
        return source;
    }

    private static void assertPointsAtCluster(List<Manifests.Document> docs, Container app) {
        JsonNode cluster = docs.stream().filter(d -> d.type().equals(Manifests.CNPG_CLUSTER)).findFirst().orElseThrow().tree();
        String name = cluster.path("metadata").path("name").asText();
        assertEquals(NAMESPACE, cluster.path("metadata").path("namespace").asText(), "Cluster in the app's namespace");
        ConfigMap config = only(docs, ConfigMap.class);
        assertTrue(config.getData().get("QUARKUS_DATASOURCE_REACTIVE_URL").startsWith("postgresql://" + name + "-rw:5432/"));
        Container purge = only(docs, CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        for (Container c : List.of(app, purge)) {
            assertEquals(name + "-app", secretOf(c, 0), c.getName() + " username");
            assertEquals(name + "-app", secretOf(c, 1), c.getName() + " password");
            assertEquals("redfour-sessions-api-keys", secretOf(c, 2), c.getName() + " API keys stay");
        }
    }

    /** Checks every rendered overlay must pass. */
    private static void assertCommon(List<Manifests.Document> docs) {
        Set<String> images = new TreeSet<>();
        for (Manifests.Document d : docs) {
            assertEquals(NAMESPACE, d.tree().path("metadata").path("namespace").asText(), d.type() + " namespace");
            collectImages(d.tree(), images);
        }
        assertEquals(1, images.size(), "one image for the API and the purge job: " + images);
        String image = images.iterator().next();
        assertFalse(image.equals(IMAGE_PLACEHOLDER) || image.startsWith(IMAGE_PLACEHOLDER + ":"),
                "the overlay's images: entry did not replace the placeholder image");
        assertTrue(image.contains(":") || image.contains("@"), "image is pinned to a tag or digest: " + image);
        assertFalse(docs.stream().anyMatch(d -> d.type().equals("v1/Secret")), "no Secret is ever rendered");
    }

    private static void collectImages(JsonNode node, Set<String> images) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("image") && e.getValue().isTextual()) {
                    images.add(e.getValue().asText());
                } else {
                    collectImages(e.getValue(), images);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectImages(n, images));
        }
    }

    private static String secretOf(Container c, int envIndex) {
        return c.getEnv().get(envIndex).getValueFrom().getSecretKeyRef().getName();
    }

    private static <T extends HasMetadata> T only(List<Manifests.Document> docs, Class<T> model) {
        List<T> found = docs.stream().map(Manifests.Document::model).filter(model::isInstance).map(model::cast).toList();
        assertEquals(1, found.size(), "rendered " + model.getSimpleName() + " count");
        return found.get(0);
    }

    private static Set<String> kinds(List<Manifests.Document> docs) {
        Set<String> kinds = new TreeSet<>();
        docs.forEach(d -> kinds.add(d.type()));
        return kinds;
    }

    /** `kubectl kustomize dir`, each document parsed with the strict model reader. */
    private static List<Manifests.Document> render(Path dir) throws Exception {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(KUBECTL, "kustomize", dir.toString())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + Files.readString(err, StandardCharsets.UTF_8));
            List<Manifests.Document> docs = new ArrayList<>();
            List<JsonNode> trees = Manifests.documents(Files.readString(out, StandardCharsets.UTF_8));
            for (int i = 0; i < trees.size(); i++) {
                docs.add(new Manifests.Document(out, i, trees.get(i), Manifests.typed(trees.get(i))));
            }
            return docs;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }
}
