package dev.safeops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What safe-ops logged during each test, as events — level, logger, message — read from the
 * tests' SLF4J binding rather than from text on a swapped {@code System.err}:
 * {@code @RegisterExtension final CapturedLog log = new CapturedLog();}. Everything still reaches
 * the test run's own output as well.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {

    private static final String LIBRARY = "dev.safeops";

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        events.list.clear();
        events.start();
        library().addAppender(events);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        library().detachAppender(events);
        events.stop();
    }

    /** The messages safe-ops logged at {@code level}, formatted, in order. */
    public List<String> messages(Level level) {
        return events().stream().filter(event -> event.getLevel().toString().equals(level.name()))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The messages {@code type}'s logger logged at {@code level}, formatted, in order. */
    public List<String> messages(Level level, Class<?> type) {
        return events().stream().filter(event -> event.getLevel().toString().equals(level.name()))
                .filter(event -> event.getLoggerName().equals(type.getName()))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<ILoggingEvent> events() {
        synchronized (events) {
            return List.copyOf(events.list);
        }
    }

    private static Logger library() {
        if (!(LoggerFactory.getLogger(LIBRARY) instanceof Logger logger)) {
            throw new IllegalStateException("the tests' SLF4J binding is not Logback but "
                    + LoggerFactory.getILoggerFactory().getClass().getName()
                    + ": Maven puts it first on the class path (see pom.xml)");
        }
        return logger;
    }
}
