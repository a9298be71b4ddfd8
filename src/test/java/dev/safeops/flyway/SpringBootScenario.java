package dev.safeops.flyway;

import dev.safeops.examples.flyway.SafeOpsFlywayConfiguration;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Event;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application started by Spring Boot's real Flyway auto-configuration with the documented
 * wiring ({@link SafeOpsFlywayConfiguration}) and a callback it already had, told as lines of text
 * so that it can run in a class loader holding the Flyway that Spring Boot manages.
 */
public final class SpringBootScenario {

    private SpringBootScenario() {
    }

    /** The events the application's own callback saw. */
    static final List<Event> EVENTS = new ArrayList<>();

    /**
     * A callback the application already had, which adding safe-ops must keep. A proxy of the
     * Flyway interface loaded at run time: a class compiled here against Flyway 13 would carry
     * bridge methods naming Flyway 13's CallbackEvent, which Spring's reflection cannot resolve on
     * Flyway 11, whereas a user's callback is compiled against the user's own Flyway.
     */
    @Configuration(proxyBeanMethods = false)
    public static class ExistingCallback {
        @Bean
        Callback recordingCallback() {
            return (Callback) Proxy.newProxyInstance(Callback.class.getClassLoader(), new Class<?>[] {Callback.class},
                    (proxy, method, arguments) -> switch (method.getName()) {
                        case "supports", "canHandleInTransaction" -> true;
                        case "getCallbackName" -> "recording";
                        case "handle" -> EVENTS.add((Event) arguments[0]) ? null : null;
                        case "toString" -> "RecordingCallback";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == arguments[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /**
     * Starts the application on the database, with the examples' core and SQL migrations, and
     * returns whether it started, the callbacks Flyway was configured with and the events the
     * existing callback saw.
     */
    public static List<String> run(String url, String user, String password) {
        List<String> lines = new ArrayList<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withUserConfiguration(SafeOpsFlywayConfiguration.class, ExistingCallback.class)
                .withPropertyValues(
                        "spring.flyway.url=" + url,
                        "spring.flyway.user=" + user,
                        "spring.flyway.password=" + (password == null ? "" : password),
                        "spring.flyway.locations=classpath:dev/safeops/examples/flyway/core,"
                                + "classpath:dev/safeops/examples/flyway/sql")
                .run(context -> {
                    if (context.getStartupFailure() != null) {
                        Throwable cause = context.getStartupFailure();
                        StringBuilder failure = new StringBuilder("failed:");
                        for (; cause != null; cause = cause.getCause()) {
                            failure.append(' ').append(cause);
                        }
                        lines.add(failure.toString());
                        return;
                    }
                    lines.add("started with Flyway " + FlywayRequirement.version(Flyway.class.getClassLoader()));
                    for (Callback callback : context.getBean(Flyway.class).getConfiguration().getCallbacks()) {
                        lines.add("callback " + callback.getCallbackName());
                    }
                    for (Event event : EVENTS) {
                        lines.add("event " + event.name());
                    }
                });
        return lines;
    }
}
