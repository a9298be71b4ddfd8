package dev.safeops.examples.flyway;

import dev.safeops.Policy;
import dev.safeops.flyway.SafeOpsCallback;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Boot: Flyway's auto-configuration runs the SQL migrations at startup, every statement guarded. */
// README:begin
@Configuration(proxyBeanMethods = false)
public class SafeOpsFlywayConfiguration {

    @Bean
    FlywayConfigurationCustomizer safeOpsCallback() {
        return SafeOpsFlywayConfiguration::addSafeOps;
    }

    /** Adds safe-ops to the callbacks; {@code callbacks(…)} replaces the list, so keep those already there. */
    public static void addSafeOps(FluentConfiguration configuration) {
        List<Callback> callbacks = new ArrayList<>(List.of(configuration.getCallbacks()));
        callbacks.add(new SafeOpsCallback(Policy.defaults().withOptionalTables("pipeline_*", "admin_*")));
        configuration.callbacks(callbacks.toArray(Callback[]::new));
    }
}
// README:end
