package com.redfour.shopping.ops;

import com.redfour.shopping.devdb.EmbeddedDatabase;
import com.redfour.shopping.support.Api;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged application's {@code purge} command, as the Kubernetes CronJob runs it. */
class PurgeCommandIT {

    @Test
    void purgeRunsAndExitsZero() throws IOException, InterruptedException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).exists();
        String url = System.getenv().getOrDefault("QUARKUS_DATASOURCE_REACTIVE_URL", EmbeddedDatabase.startOnce());
        Path log = Files.createTempFile("purge", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "purge"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", url);
        builder.environment().putIfAbsent("QUARKUS_DATASOURCE_USERNAME", "postgres");
        builder.environment().putIfAbsent("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().put("REDFOUR_API_KEYS", Api.KEYS);
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON", "false");
        Process process = builder.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(exited).as("purge exited within 120 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("purge deleted");
    }
}
