package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Settings.LockRetries;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings are immutable values that refuse what cannot work, and the retry schedule is what they say. */
class SettingsTest {

    @Test
    void theDefaultsLeaveTheSessionsTimeoutsAloneAndNeverRetry() {
        Settings defaults = Settings.defaults();

        assertThat(defaults.lockTimeout()).isNull();
        assertThat(defaults.statementTimeout()).isNull();
        assertThat(defaults.lockRetries()).isEqualTo(LockRetries.none());
        assertThat(defaults.blockerLookup()).isNull();
    }

    @Test
    void theProductionPresetStartsAt100MillisecondsAndRetriesNineTimesWithinTenSeconds() {
        Settings production = Settings.production();

        assertThat(production.lockTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(production.statementTimeout()).isNull();
        assertThat(production.lockRetries()).isEqualTo(new LockRetries(9, Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(10)));
    }

    @Test
    void lockTimeoutsDoubleUpToTheirCap() {
        LockRetries retries = LockRetries.production();
        Duration first = Duration.ofMillis(100);

        assertThat(java.util.stream.IntStream.range(0, 7).mapToObj(n -> retries.lockTimeout(first, n).toMillis()))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void aFirstLockTimeoutAboveTheCapIsKeptForEveryAttempt() {
        assertThat(LockRetries.production().lockTimeout(Duration.ofSeconds(3), 4)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void sleepsDoubleUpToTheirCapWithJitterBetweenHalfAndAll() {
        LockRetries retries = LockRetries.production();
        for (int i = 0; i < 200; i++) {
            assertThat(retries.sleepBefore(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(retries.sleepBefore(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(retries.sleepBefore(9)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
    }

    @Test
    void withMethodsChangeOneComponentAndKeepTheRest() {
        Settings settings = Settings.production().withOperationsPerSavepoint(8)
                .withStatementTimeout(Duration.ofMinutes(5));

        assertThat(settings.operationsPerSavepoint()).isEqualTo(8);
        assertThat(settings.lockTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.lockRetries()).isEqualTo(LockRetries.production());
        assertThat(settings.statementTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesRetriesWithoutALockTimeout() {
        assertThatThrownBy(() -> Settings.defaults().withLockRetries(LockRetries.production()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lock retries need a lock timeout");
    }

    @Test
    void refusesATimeoutUnderAMillisecond() {
        assertThatThrownBy(() -> Settings.defaults().withLockTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> Settings.defaults().withStatementTimeout(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    }

    @Test
    void refusesNegativeRetriesAndDurations() {
        assertThatThrownBy(() -> LockRetries.production().withRetries(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> LockRetries.production().withBudget(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}
