package com.redfour.shopping.ops;

import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged application's {@code purge} command, as the Kubernetes CronJob runs it. */
class PurgeCommandIT {

    @Test
    void purgeRunsAndExitsZero() {
        PackagedApp.Finished purge = PackagedApp.on(TestDatabase.serverUrl()).run("purge", Duration.ofSeconds(120));
        assertThat(purge.exited()).as("purge exited within 120 s; output:%n%s", purge.output()).isTrue();
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        assertThat(purge.output()).contains("purge deleted");
    }
}
