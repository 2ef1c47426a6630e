package com.redfour.shopping.ops;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged application's {@code purge} command, as the Kubernetes CronJob runs it. */
class PurgeCommandIT {

    @Test
    void purgeRunsAndExitsZero() {
        PackagedApp.Finished purge = PackagedApp.on(PackagedApp.testServerUrl()).run("purge", Duration.ofSeconds(120));
        assertThat(purge.exited()).as("purge exited within 120 s; output:%n%s", purge.output()).isTrue();
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        assertThat(purge.output()).contains("purge deleted");
    }
}
