package com.redfour.shopping.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the deployment manifests under {@code k8s/} strictly: each document becomes the fabric8
 * model class of its apiVersion and kind, and any field the model does not know fails.
 */
final class Manifests {

    static final Path ROOT = projectRoot();
    static final Path K8S = ROOT.resolve("k8s");

    /** API group/version and kind of the CloudNativePG cluster, which has no fabric8 model. */
    static final String CNPG_CLUSTER = "postgresql.cnpg.io/v1/Cluster";
    static final String KUSTOMIZATION = "kustomize.config.k8s.io/v1beta1/Kustomization";
    static final String COMPONENT = "kustomize.config.k8s.io/v1alpha1/Component";

    /** Every apiVersion/kind the manifests may use, and the model class that must accept it. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class));

    private static final ObjectMapper STRICT = strictMapper();

    private Manifests() {
    }

    /** One YAML document of one file: its tree, and its typed model (null for generic kinds). */
    record Document(Path file, int index, JsonNode tree, HasMetadata model) {

        String type() {
            return typeOf(tree);
        }

        boolean isJsonPatch() {
            return tree.isArray();
        }

        String where() {
            String name = file.startsWith(ROOT) ? ROOT.relativize(file).toString() : file.toString();
            return name + (index > 0 ? " (document " + (index + 1) + ")" : "");
        }
    }

    /**
     * The pod-level view shared by a Deployment, a CronJob, a Job and a Knative Service, so that
     * the same checks run on all of them.
     */
    record Workload(String name, String kind, Map<String, String> podLabels, List<Container> containers,
                    List<Volume> volumes, PodSecurityContext podSecurity, String serviceAccount,
                    Boolean automountToken, Long gracePeriodSeconds) {

        static Workload of(Deployment d) {
            var pod = d.getSpec().getTemplate();
            var spec = pod.getSpec();
            return new Workload(d.getMetadata().getName(), "Deployment", pod.getMetadata().getLabels(),
                    spec.getContainers(), spec.getVolumes(), spec.getSecurityContext(),
                    spec.getServiceAccountName(), spec.getAutomountServiceAccountToken(),
                    spec.getTerminationGracePeriodSeconds());
        }

        static Workload of(CronJob c) {
            var pod = c.getSpec().getJobTemplate().getSpec().getTemplate();
            var spec = pod.getSpec();
            return new Workload(c.getMetadata().getName(), "CronJob", pod.getMetadata().getLabels(),
                    spec.getContainers(), spec.getVolumes(), spec.getSecurityContext(),
                    spec.getServiceAccountName(), spec.getAutomountServiceAccountToken(),
                    spec.getTerminationGracePeriodSeconds());
        }

        static Workload of(Job j) {
            var pod = j.getSpec().getTemplate();
            var spec = pod.getSpec();
            return new Workload(j.getMetadata().getName(), "Job", pod.getMetadata().getLabels(),
                    spec.getContainers(), spec.getVolumes(), spec.getSecurityContext(),
                    spec.getServiceAccountName(), spec.getAutomountServiceAccountToken(),
                    spec.getTerminationGracePeriodSeconds());
        }

        static Workload of(io.fabric8.knative.serving.v1.Service k) {
            var revision = k.getSpec().getTemplate();
            var spec = revision.getSpec();
            return new Workload(k.getMetadata().getName(), "Knative Service", revision.getMetadata().getLabels(),
                    spec.getContainers(), spec.getVolumes(), spec.getSecurityContext(),
                    spec.getServiceAccountName(), spec.getAutomountServiceAccountToken(),
                    spec.getTerminationGracePeriodSeconds());
        }

        /** The same workload under another label in messages (the base CronJob as an overlay renders it). */
        Workload as(String label) {
            return new Workload(name, label, podLabels, containers, volumes, podSecurity, serviceAccount,
                    automountToken, gracePeriodSeconds);
        }

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    /**
     * A Jackson YAML mapper that fails on anything Kubernetes would reject or silently drop:
     * unknown properties (fabric8 models normally collect them in an "additionalProperties" map,
     * which is switched off here), duplicate keys, and scalars of the wrong type (a number where
     * a string belongs, e.g. an unquoted ConfigMap value or annotation).
     */
    static ObjectMapper strictMapper() {
        SimpleModule rejectUnknown = new SimpleModule("reject-unknown-kubernetes-fields");
        rejectUnknown.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                         BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(rejectUnknown)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType numeric : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    static ObjectMapper mapper() {
        return STRICT;
    }

    /** Every manifest file under k8s/, kustomization files included. */
    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All documents of a (possibly multi-document) YAML text, empty documents skipped. */
    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = STRICT.getFactory().createParser(yaml)) {
            var values = STRICT.readValues(parser, JsonNode.class);
            while (values.hasNextValue()) {
                JsonNode doc = values.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    static String typeOf(JsonNode doc) {
        return doc.path("apiVersion").asText("?") + "/" + doc.path("kind").asText("?");
    }

    /**
     * The document as its fabric8 model; null for the kinds without one (kustomization files,
     * the CloudNativePG Cluster), which callers check by hand. Unknown kinds fail.
     */
    static HasMetadata typed(JsonNode doc) throws IOException {
        if (doc.isArray()) {
            checkJsonPatch(doc);
            return null;
        }
        String type = typeOf(doc);
        Class<? extends HasMetadata> model = MODELS.get(type);
        if (model != null) {
            return STRICT.treeToValue(doc, model);
        }
        if (type.equals(CNPG_CLUSTER) || type.equals(KUSTOMIZATION) || type.equals(COMPONENT)) {
            return null;
        }
        throw new IllegalArgumentException("no model for " + type + ": add it to Manifests.MODELS");
    }

    /** A JSON 6902 patch (kustomize "patches" with a target): a list of test/replace/add/remove operations. */
    static void checkJsonPatch(JsonNode ops) {
        for (JsonNode op : ops) {
            Set<String> fields = new HashSet<>();
            op.fieldNames().forEachRemaining(fields::add);
            String kind = op.path("op").asText();
            if (!Set.of("test", "replace", "add", "remove").contains(kind)
                    || !op.path("path").asText().startsWith("/")
                    || !Set.of("op", "path", "value").containsAll(fields)
                    || kind.equals("remove") == op.has("value")) {
                throw new IllegalArgumentException("malformed JSON patch operation " + op);
            }
        }
    }

    static List<Document> load(Path file) {
        try {
            List<JsonNode> docs = documents(Files.readString(file));
            List<Document> out = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                out.add(new Document(file, i, docs.get(i), typed(docs.get(i))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT.relativize(file) + ": " + e.getMessage(), e);
        }
    }

    /** The single object of that model class in a manifest file under k8s/. */
    static <T extends HasMetadata> T one(String relativeFile, Class<T> model) {
        List<T> found = load(K8S.resolve(relativeFile)).stream()
                .map(Document::model)
                .filter(model::isInstance)
                .map(model::cast)
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + model.getSimpleName() + " in k8s/" + relativeFile
                    + ", found " + found.size());
        }
        return found.get(0);
    }

    static JsonNode tree(String relativeFile) {
        List<Document> docs = load(K8S.resolve(relativeFile));
        if (docs.size() != 1) {
            throw new AssertionError("expected one document in k8s/" + relativeFile);
        }
        return docs.get(0).tree();
    }

    /**
     * The single object of a base manifest with the JSON patch that a kustomization applies to it:
     * {@code kustomization}'s {@code patches} entry whose target is that object's kind and name. The
     * object as {@code kubectl kustomize} renders it, but for namespace and image (DeployKustomizeRenderTest
     * compares the two).
     */
    static <T extends HasMetadata> T patched(String relativeFile, Class<T> model, String kustomization) {
        JsonNode base = tree(relativeFile);
        Path dir = K8S.resolve(kustomization).getParent();
        List<String> patches = new ArrayList<>();
        tree(kustomization).path("patches").forEach(p -> {
            JsonNode target = p.path("target");
            if (target.path("kind").asText().equals(base.path("kind").asText())
                    && target.path("name").asText().equals(base.path("metadata").path("name").asText())) {
                patches.add(p.path("path").asText());
            }
        });
        if (patches.size() != 1) {
            throw new AssertionError("expected one patch of " + relativeFile + " in k8s/" + kustomization + ", found " + patches);
        }
        try {
            List<JsonNode> ops = documents(Files.readString(dir.resolve(patches.get(0))));
            return STRICT.treeToValue(applyJsonPatch(base, ops.get(0)), model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON 6902 patch of test, replace, add and remove operations (those {@link #checkJsonPatch} admits)
     * applied to a copy of {@code doc} with Jakarta JSON-P's own implementation (Parsson, already on the
     * class path through Quarkus); a failed test or a missing path fails, as it fails kustomize.
     */
    static JsonNode applyJsonPatch(JsonNode doc, JsonNode ops) {
        checkJsonPatch(ops);
        try (JsonReader target = Json.createReader(new StringReader(doc.toString()));
                JsonReader patch = Json.createReader(new StringReader(ops.toString()))) {
            JsonStructure patched = Json.createPatch(patch.readArray()).apply(target.readObject());
            return STRICT.readTree(patched.toString());
        } catch (JsonException e) {
            throw new IllegalArgumentException("JSON patch " + ops + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path projectRoot() {
        // Surefire runs in the module directory; "basedir" is set by Maven, user.dir elsewhere.
        String base = Objects.requireNonNullElse(System.getProperty("basedir"), System.getProperty("user.dir"));
        Path dir = Path.of(base).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("k8s"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no k8s/ directory above " + base);
        }
        return dir;
    }
}
