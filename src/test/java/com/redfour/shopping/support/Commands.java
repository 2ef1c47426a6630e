package com.redfour.shopping.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether a tool the tests drive (node, npm) is there: the ITs that need one skip with a message without it. */
public final class Commands {

    private Commands() {
    }

    /** Whether {@code command} runs and exits 0 within 30 seconds (its output discarded). */
    public static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
