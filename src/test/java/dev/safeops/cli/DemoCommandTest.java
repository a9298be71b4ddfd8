package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code safe-ops demo} on its own embedded server. */
class DemoCommandTest {

    @Test
    void showsTheNaiveRunLosingEverythingAndSafeOpsKeepingTheSixChanges() {
        Cli run = Cli.run("demo");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out().lines().filter(line -> line.contains("swallowed 42P01"))).hasSize(1);
        assertThat(run.out().lines().filter(line -> line.contains("swallowed 25P02"))).hasSize(9);
        assertThat(run.out()).contains("=> The naive run lost everything")
                .contains("=> safe-ops kept the 6 applied changes and reported the 5 skipped statements")
                .contains("Summary: the naive run kept 0 of 6 changes and reported no error; safe-ops kept 6 of 6")
                .contains("Stopping the server.");
    }
}
