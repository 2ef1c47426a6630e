package com.redfour.shopping.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.redfour.shopping.deploy.Manifests.K8S;
import static com.redfour.shopping.deploy.Manifests.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every YAML file under k8s/ is valid for its kind: typed kinds through the strict fabric8 model,
 * kustomization files and the CloudNativePG Cluster against the fields they may use. Also: the
 * kustomizations reference only existing files, use every manifest, and never ship the Secret
 * template.
 */
class DeployManifestParsingTest {

    private static final String SECRET_TEMPLATE = "base/secrets.template.yaml";

    /** Fields a kustomization (or component) here may use; a typo such as "resource:" fails. */
    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of(
            "apiVersion", "kind", "metadata", "namespace", "resources", "components", "patches",
            "images", "labels", "commonAnnotations", "configMapGenerator", "secretGenerator",
            "generatorOptions", "replacements", "namePrefix", "nameSuffix", "replicas");

    @TestFactory
    Stream<DynamicTest> everyManifestParsesStrictlyIntoItsModel() {
        List<Path> files = Manifests.yamlFiles();
        assertFalse(files.isEmpty(), "no YAML under k8s/");
        return files.stream().map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> {
            List<Manifests.Document> docs = Manifests.load(file);
            assertFalse(docs.isEmpty(), "empty manifest file");
            for (Manifests.Document doc : docs) {
                if (doc.isJsonPatch()) {
                    continue; // operations checked by Manifests.typed
                }
                assertTrue(doc.tree().isObject(), doc.where() + " is not a mapping");
                assertTrue(doc.tree().hasNonNull("apiVersion") && doc.tree().hasNonNull("kind"),
                        doc.where() + " lacks apiVersion/kind");
                if (doc.model() != null) {
                    assertNotNull(doc.model().getMetadata(), doc.where() + " has no metadata");
                    assertNotNull(doc.model().getMetadata().getName(), doc.where() + " has no name");
                    assertTrue(doc.model().getMetadata().getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"),
                            doc.where() + ": name is not a DNS label");
                }
            }
        }));
    }

    /** The strict reader really rejects what Kubernetes would reject or silently ignore. */
    @ParameterizedTest
    @ValueSource(strings = {
            // unknown field at spec level ("replica" for "replicas")
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 2}\n",
            // unknown field deep inside the pod template
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      securityContext: {runAsNonroot: true}
            """,
            // wrong scalar type: a string where Kubernetes wants an integer
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: \"2\"}\n",
            // unquoted number as a ConfigMap value (the API server rejects it)
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {PORT: 8080}\n",
            // unquoted number as an annotation
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, annotations: {a: 1}}\n",
            // duplicate key
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {A: \"1\", A: \"2\"}\n",
            // unknown field in a Knative Service
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: x}\nspec: {template: {spec: {containerConcurency: 1}}}\n",
            // a JSON patch operation with a typo
            "- op: replace\n  path: /spec/replicas\n  vaule: 2\n",
            // a kind no model is registered for
            "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: x}\n",
    })
    void strictReaderRejects(String yaml) {
        Exception e = assertThrows(Exception.class, () -> {
            for (JsonNode doc : Manifests.documents(yaml)) {
                Manifests.typed(doc);
            }
        });
        assertTrue(e instanceof JsonProcessingException || e instanceof IllegalArgumentException,
                "rejected for the wrong reason: " + e);
    }

    @Test
    void strictReaderAcceptsAWellFormedDeployment() throws IOException {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x, annotations: {a: "1"}}
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers:
                        - name: app
                          ports: [{name: http, containerPort: 8080}]
                          resources: {limits: {cpu: "1", memory: 512Mi}}
                """;
        Deployment d = (Deployment) Manifests.typed(Manifests.documents(yaml).get(0));
        assertEquals(2, d.getSpec().getReplicas());
    }

    @Test
    void kustomizationsUseKnownFieldsReferenceExistingFilesAndCoverEveryManifest() throws IOException {
        List<Path> kustomizations = Manifests.yamlFiles().stream()
                .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                .toList();
        assertFalse(kustomizations.isEmpty());
        Set<Path> referenced = new HashSet<>();
        for (Path k : kustomizations) {
            JsonNode tree = Manifests.load(k).get(0).tree();
            String type = Manifests.typeOf(tree);
            assertTrue(type.equals(Manifests.KUSTOMIZATION) || type.equals(Manifests.COMPONENT),
                    ROOT.relativize(k) + ": unexpected " + type);
            Set<String> unknown = new TreeSet<>();
            tree.fieldNames().forEachRemaining(f -> {
                if (!KUSTOMIZATION_FIELDS.contains(f)) {
                    unknown.add(f);
                }
            });
            assertTrue(unknown.isEmpty(), ROOT.relativize(k) + ": unknown fields " + unknown);
            Path dir = k.getParent();
            List<String> paths = new ArrayList<>();
            tree.path("resources").forEach(n -> paths.add(n.asText()));
            tree.path("components").forEach(n -> paths.add(n.asText()));
            tree.path("patches").forEach(n -> {
                assertTrue(n.has("path") || n.has("patch"), ROOT.relativize(k) + ": patch without path");
                if (n.has("path")) {
                    paths.add(n.get("path").asText());
                }
            });
            for (String p : paths) {
                Path target = dir.resolve(p).normalize();
                assertTrue(Files.exists(target), ROOT.relativize(k) + " references missing " + p);
                assertTrue(target.startsWith(K8S), ROOT.relativize(k) + " reaches outside k8s/: " + p);
                if (Files.isDirectory(target)) {
                    assertTrue(Files.exists(target.resolve("kustomization.yaml")),
                            p + " (from " + ROOT.relativize(k) + ") has no kustomization.yaml");
                }
                referenced.add(target);
            }
        }
        Path template = K8S.resolve(SECRET_TEMPLATE);
        assertFalse(referenced.contains(template),
                "the Secret template must never be a kustomize resource: it would overwrite real secrets");
        for (Path file : Manifests.yamlFiles()) {
            if (file.getFileName().toString().equals("kustomization.yaml") || file.equals(template)) {
                continue;
            }
            assertTrue(referenced.contains(file), ROOT.relativize(file) + " is not used by any kustomization");
        }
    }

    @Test
    void secretTemplateHoldsOnlyPlaceholders() {
        List<Secret> secrets = Manifests.load(K8S.resolve(SECRET_TEMPLATE)).stream()
                .map(d -> (Secret) d.model())
                .toList();
        assertEquals(Set.of("redfour-sessions-db", "redfour-sessions-api-keys"),
                Set.copyOf(secrets.stream().map(s -> s.getMetadata().getName()).toList()));
        Pattern placeholder = Pattern.compile("<[^<>]+>(:<[^<>]+>)?");
        for (Secret s : secrets) {
            assertTrue(s.getData() == null || s.getData().isEmpty(),
                    s.getMetadata().getName() + ": base64 data in a template looks like a real value");
            assertFalse(s.getStringData().isEmpty(), s.getMetadata().getName() + " documents no keys");
            s.getStringData().forEach((key, value) -> assertTrue(placeholder.matcher(value).matches(),
                    s.getMetadata().getName() + "/" + key + " must be a <placeholder>, not " + value));
        }
    }

    @Test
    void configMapKeysAreApplicationEnvironmentVariables() {
        ConfigMap config = Manifests.one("base/configmap.yaml", ConfigMap.class);
        for (String key : config.getData().keySet()) {
            assertTrue(key.matches("(QUARKUS|REDFOUR)_[A-Z0-9_]+"), key + " is not an application variable");
        }
        assertTrue(config.getData().containsKey("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertTrue(config.getData().get("QUARKUS_DATASOURCE_REACTIVE_URL").startsWith("postgresql://"),
                "the reactive URL has no jdbc: prefix; the application derives the JDBC one");
        assertFalse(config.getData().keySet().stream().anyMatch(k -> k.contains("PASSWORD") || k.contains("API_KEYS")),
                "credentials belong in a Secret");
    }

    @Test
    void cloudNativePgClusterHasWhatTheApplicationReliesOn() {
        JsonNode cluster = Manifests.tree("components/cloudnative-pg/cluster.yaml");
        assertEquals(Manifests.CNPG_CLUSTER, Manifests.typeOf(cluster));
        String name = cluster.path("metadata").path("name").asText();
        assertFalse(name.isEmpty());
        JsonNode spec = cluster.path("spec");
        Set<String> knownSpecFields = Set.of("instances", "imageName", "primaryUpdateStrategy", "bootstrap",
                "postgresql", "storage", "affinity", "resources", "monitoring", "walStorage", "backup");
        spec.fieldNames().forEachRemaining(f -> assertTrue(knownSpecFields.contains(f), "unknown Cluster field spec." + f));
        assertEquals(3, spec.path("instances").asInt(), "three instances: a primary and two replicas");
        assertTrue(spec.path("instances").isInt());
        assertTrue(spec.path("storage").path("size").asText().matches("\\d+(Gi|Ti)"), "storage.size");
        String database = spec.path("bootstrap").path("initdb").path("database").asText();
        String owner = spec.path("bootstrap").path("initdb").path("owner").asText();
        assertFalse(database.isEmpty(), "bootstrap.initdb.database");
        assertFalse(owner.isEmpty(), "bootstrap.initdb.owner");
        spec.path("postgresql").path("parameters").forEach(v ->
                assertTrue(v.isTextual(), "PostgreSQL parameters are strings"));

        ConfigMap patch = Manifests.one("components/cloudnative-pg/configmap-database-url.yaml", ConfigMap.class);
        assertEquals("postgresql://" + name + "-rw:5432/" + database,
                patch.getData().get("QUARKUS_DATASOURCE_REACTIVE_URL"),
                "the application must use the cluster's read-write service and bootstrap database");
        for (String p : List.of("pod-template-credentials.yaml", "cronjob-credentials.yaml")) {
            JsonNode ops = jsonPatch("components/cloudnative-pg/" + p);
            int replaced = 0;
            for (JsonNode op : ops) {
                assertTrue(Set.of("test", "replace").contains(op.path("op").asText()), p + ": op " + op);
                if (op.path("op").asText().equals("replace")) {
                    assertEquals(name + "-app", op.path("value").asText(), p + " must point at the generated secret");
                    replaced++;
                }
            }
            assertEquals(2, replaced, p + " replaces username and password");
        }
    }

    private static JsonNode jsonPatch(String relative) {
        try {
            List<JsonNode> docs = Manifests.documents(Files.readString(K8S.resolve(relative)));
            assertEquals(1, docs.size());
            assertTrue(docs.get(0).isArray(), relative + " is a JSON patch (a list of operations)");
            return docs.get(0);
        } catch (IOException e) {
            return fail(e);
        }
    }

}
