package dev.safeops.examples.flyway;

import dev.safeops.Policy;
import dev.safeops.flyway.SafeOpsCallback;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Boot: Flyway's auto-configuration runs the SQL migrations at startup, every statement guarded. */
@Configuration(proxyBeanMethods = false)
public class SafeOpsFlywayConfiguration {

    @Bean
    FlywayConfigurationCustomizer safeOpsCallback() {
        return configuration -> {
            // callbacks(…) replaces the list: keep those Spring Boot already configured
            List<Callback> callbacks = new ArrayList<>(List.of(configuration.getCallbacks()));
            callbacks.add(new SafeOpsCallback(Policy.defaults().withOptionalTables("pipeline_*", "admin_*")));
            configuration.callbacks(callbacks.toArray(Callback[]::new));
        };
    }
}
